import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { recordObjectPaths } from './construct-paths';
import { exceptionAnnotations, SecurityException } from '../exceptions';
import { Labels, MANAGED_BY_VALUE } from '../labels';
import { RuleIds } from '../rule-ids';
import { addConstructionWarning } from './construction-warnings';
import type { IFlowEndpoint } from './flow-endpoint';
import { MinimalServiceAccount, MinimalServiceAccountProps } from './minimal-service-account';
import { namespaceOf, validateDnsLabel } from './names';
import { BASELINE_ALLOWED_CAPABILITIES, SecurityDefaults } from './security-defaults';

/**
 * A container of a `HardenedDeployment`: everything cdk8s-plus offers except the security
 * context, which the deployment sets and only typed exceptions weaken.
 */
export interface HardenedContainerProps extends Omit<kplus.ContainerProps, 'securityContext'> {
  /**
   * Requests and limits. Pass `{}` to emit none (the checker then warns).
   *
   * @default - requests 50m CPU and 64Mi memory, a 256Mi memory limit, no CPU limit
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Add back `NET_BIND_SERVICE`, the one capability `restricted` allows, to bind ports below 1024.
   *
   * @default false
   */
  readonly allowNetBindService?: boolean;
}

/**
 * A writable directory under the read-only root filesystem, backed by an emptyDir volume
 * mounted into every container.
 */
export interface WritablePath {
  /** absolute path, e.g. `/tmp` or `/var/cache/nginx`. */
  readonly path: string;
  /**
   * Size limit of the emptyDir; the pod is evicted beyond it.
   *
   * @default Size.mebibytes(64)
   */
  readonly sizeLimit?: Size;
  /**
   * Back the directory with memory (tmpfs) instead of node disk; counts against the memory limit.
   *
   * @default - node disk
   */
  readonly memory?: boolean;
}

/** capabilities to add beyond `NET_BIND_SERVICE`, with a reason. */
export interface CapabilitiesException extends SecurityException {
  /** capability names as the runtime spells them, without `CAP_`: `NET_ADMIN`. */
  readonly add: string[];
}

/**
 * Reasoned exceptions to the deployment's secure defaults. Each one is written to the
 * Deployment as an `ignore-check.cdk8s-hardened.io/<rule-id>` annotation with its reason.
 */
export interface HardenedDeploymentExceptions {
  /**
   * Run as root: `runAsNonRoot: false` and `runAsUser: 0`.
   *
   * @default - runs as a non-root user
   */
  readonly runAsRoot?: SecurityException;
  /**
   * Set `allowPrivilegeEscalation: true` on every container.
   *
   * @default - privilege escalation is off
   */
  readonly allowPrivilegeEscalation?: SecurityException;
  /**
   * Run every container privileged. Needs `allowPrivilegeEscalation` too, as the API requires.
   *
   * @default - not privileged
   */
  readonly privileged?: SecurityException;
  /**
   * Add capabilities beyond `NET_BIND_SERVICE`.
   *
   * @default - all capabilities dropped
   */
  readonly capabilities?: CapabilitiesException;
  /**
   * Leave the root filesystem writable.
   *
   * @default - read-only root filesystem
   */
  readonly writableRootFilesystem?: SecurityException;
  /**
   * Mount the ServiceAccount token into the pods.
   *
   * @default - no token is mounted
   */
  readonly automountServiceAccountToken?: SecurityException;
}

/** options for `HardenedDeployment.expose()`. */
export interface HardenedServiceOptions {
  /**
   * The Service's name.
   *
   * @default - the deployment's name
   */
  readonly name?: string;
  /** the ports; at least one. */
  readonly ports: kplus.ServicePort[];
}

/** how the cluster assigns user and group ids. */
export enum Platform {
  /** upstream Kubernetes and managed clusters: the pod sets a fixed non-root UID/GID. */
  KUBERNETES = 'kubernetes',
  /**
   * OpenShift `restricted-v2`: the cluster assigns a UID and GID from the namespace's range, so
   * no fixed `runAsUser`, `runAsGroup` or `fsGroup` is emitted (`runAsNonRoot: true` stays).
   */
  OPENSHIFT = 'openshift',
}

/**
 * Props for `HardenedDeployment`.
 */
export interface HardenedDeploymentProps {
  /**
   * The Deployment's name and the value of `app.kubernetes.io/name`, which with `component`
   * forms the selector. A DNS-1123 label.
   *
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The `app.kubernetes.io/component` label, also part of the selector.
   *
   * @default - no component label
   */
  readonly component?: string;
  /**
   * The `app.kubernetes.io/part-of` label.
   *
   * @default - no part-of label
   */
  readonly partOf?: string;
  /**
   * The namespace.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** the containers; at least one. */
  readonly containers: HardenedContainerProps[];
  /**
   * Init containers; hardened exactly like the containers.
   *
   * @default - none
   */
  readonly initContainers?: HardenedContainerProps[];
  /**
   * Number of pods.
   *
   * @default 2
   */
  readonly replicas?: number;
  /**
   * The ServiceAccount the pods run as. Never the namespace's `default`.
   *
   * @default - a dedicated `MinimalServiceAccount` named like the deployment
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Settings of the dedicated ServiceAccount (grants, projected token, workload identity).
   * Only when `serviceAccount` is not given.
   *
   * @default - no grants, no token
   */
  readonly serviceAccountOptions?: Omit<MinimalServiceAccountProps, 'name' | 'namespace'>;
  /**
   * Writable directories under the read-only root, as emptyDir mounts in every container, in
   * addition to `/tmp` (list `/tmp` here to give it another size or medium).
   *
   * @default - none beyond `/tmp`
   */
  readonly writablePaths?: WritablePath[];
  /**
   * Mount a writable `/tmp` (a 64Mi emptyDir) in every container. Set to `false` for a root
   * filesystem without any writable directory except those in `writablePaths`.
   *
   * @default true
   */
  readonly writableTmp?: boolean;
  /**
   * Further volumes for the pod; mount them through the containers' `volumeMounts`.
   *
   * @default - none
   */
  readonly volumes?: kplus.Volume[];
  /**
   * UID of every container's process. Must not be 0 (see `exceptions.runAsRoot`).
   *
   * @default 10001
   */
  readonly user?: number;
  /**
   * GID of every container's process.
   *
   * @default 10001
   */
  readonly group?: number;
  /**
   * Group that owns the pod's volumes.
   *
   * @default 10001
   */
  readonly fsGroup?: number;
  /**
   * How the cluster assigns UIDs.
   *
   * @default Platform.KUBERNETES
   */
  readonly platform?: Platform;
  /**
   * Fail construction when an image is not pinned by digest (`image@sha256:...`), instead of warning.
   *
   * @default false
   */
  readonly requireDigest?: boolean;
  /**
   * Extra labels and annotations for the pods.
   *
   * @default - the stable selector labels only
   */
  readonly podMetadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  /**
   * Reasoned exceptions to the secure defaults.
   *
   * @default - none: the pods pass Pod Security `restricted`
   */
  readonly exceptions?: HardenedDeploymentExceptions;
}

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/**
 * A cdk8s-plus Deployment whose pods pass Pod Security `restricted` (v1.28) with no options:
 * non-root with a fixed UID, seccomp `RuntimeDefault`, every capability dropped, read-only root
 * with typed writable paths, no privilege escalation, no host access, no token, its own
 * ServiceAccount, small explicit requests and a memory limit, and a selector made of stable labels.
 */
export class HardenedDeployment extends Construct implements IFlowEndpoint {
  /** the underlying cdk8s-plus Deployment. */
  public readonly resource: kplus.Deployment;
  /** the ServiceAccount the pods run as. */
  public readonly serviceAccount: kplus.IServiceAccount;
  /** the Deployment's name and `app.kubernetes.io/name`. */
  public readonly appName: string;
  /** the namespace, when known. */
  public readonly namespaceName?: string;
  /** labels that select exactly this deployment's pods. */
  public readonly selectorLabels: Record<string, string>;
  /**
   * Construction-time warnings (for example unpinned images): also recorded as node metadata
   * `cdk8s-hardened:warning` and printed on stderr once per synth.
   */
  public readonly warnings: string[] = [];

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    recordObjectPaths(this);
    this.appName = validateDnsLabel('name', props.name ?? id);
    this.namespaceName = namespaceOf(this, props.namespace);
    const exceptions = props.exceptions ?? {};
    const platform = props.platform ?? Platform.KUBERNETES;
    validateContradictions(props, exceptions, platform);

    const annotations = exceptionAnnotationsOf(exceptions);
    this.selectorLabels = { [Labels.NAME]: this.appName };
    if (props.component !== undefined) {
      this.selectorLabels[Labels.COMPONENT] = validateDnsLabel('component', props.component);
    }
    const objectLabels: Record<string, string> = { ...this.selectorLabels, [Labels.MANAGED_BY]: MANAGED_BY_VALUE };
    if (props.partOf !== undefined) objectLabels[Labels.PART_OF] = validateDnsLabel('partOf', props.partOf);

    this.serviceAccount = this.resolveServiceAccount(props);
    const accountPodLabels = this.serviceAccount instanceof MinimalServiceAccount ? this.serviceAccount.podLabels : {};

    const runAsRoot = exceptions.runAsRoot !== undefined;
    const fixedIds = platform === Platform.KUBERNETES;
    const user = runAsRoot ? 0 : fixedIds ? props.user ?? SecurityDefaults.USER : undefined;
    const group = runAsRoot ? 0 : fixedIds ? props.group ?? SecurityDefaults.GROUP : undefined;
    const fsGroup = fixedIds ? props.fsGroup ?? SecurityDefaults.FS_GROUP : undefined;

    const replicas = props.replicas ?? SecurityDefaults.REPLICAS;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new Error(`replicas is ${replicas}: use a whole number of pods, 0 or more`);
    }

    this.resource = new kplus.Deployment(this, 'Resource', {
      metadata: {
        name: this.appName,
        namespace: this.namespaceName,
        labels: objectLabels,
        annotations,
      },
      replicas,
      // the selector comes from stable labels, never from the construct path.
      select: false,
      podMetadata: {
        labels: { ...props.podMetadata?.labels, ...accountPodLabels, ...objectLabels },
        annotations: props.podMetadata?.annotations,
      },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: exceptions.automountServiceAccountToken !== undefined,
      hostNetwork: false,
      securityContext: {
        ensureNonRoot: !runAsRoot,
        user,
        group,
        fsGroup,
      },
      volumes: props.volumes,
    });
    this.resource.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    // cdk8s-plus-28 has no pod-level seccompProfile prop; the field is in the k8s 1.28 schema, so the patch survives.
    ApiObject.of(this.resource).addJsonPatch(
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      // cdk8s-plus labels pods with a hash of the construct path; drop it so moving the construct
      // leaves the pod template (and so the pods) untouched.
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
    );

    const mounts = this.writableMounts(props.writablePaths ?? [], props.writableTmp ?? true);
    const tokenMount = this.projectedTokenMount();
    if (tokenMount) mounts.push(tokenMount);

    const containerSecurity = containerSecurityContext(exceptions, user, group);
    const requireDigest = props.requireDigest ?? false;
    const addContainer = (containerProps: HardenedContainerProps, index: number, list: string) => {
      const prop = `${list}[${index}]`;
      this.checkImage(prop, containerProps.image, requireDigest);
      const securityContext = {
        ...containerSecurity,
        capabilities: {
          ...containerSecurity.capabilities,
          add: capabilitiesToAdd(containerProps.allowNetBindService ?? false, exceptions.capabilities),
        },
      };
      const { allowNetBindService: _ignored, ...kplusProps } = containerProps;
      return {
        ...kplusProps,
        resources: containerProps.resources ?? defaultResources(),
        securityContext,
        volumeMounts: [...mounts, ...(containerProps.volumeMounts ?? [])],
      } as kplus.ContainerProps;
    };
    if (!Array.isArray(props.containers) || props.containers.length === 0) {
      throw new Error('containers is empty: a deployment needs at least one container, e.g. [{ image: "registry.example.com/app@sha256:..." }]');
    }
    props.containers.forEach((c, i) => this.resource.addContainer(addContainer(c, i, 'containers')));
    (props.initContainers ?? []).forEach((c, i) => this.resource.addInitContainer(addContainer(c, i, 'initContainers')));
  }

  /**
   * A ClusterIP Service for this deployment that selects its pods by the stable labels.
   * Use it instead of `resource.exposeViaService()`, whose selector is the construct-path label
   * this construct removes from the pods.
   */
  public expose(options: HardenedServiceOptions): kplus.Service {
    if (!Array.isArray(options.ports) || options.ports.length === 0) {
      throw new Error('expose ports is empty: list the service ports, e.g. [{ port: 80, targetPort: 8080 }]');
    }
    const name = validateDnsLabel('expose name', options.name ?? this.appName);
    const id = this.node.tryFindChild('Service') ? `Service-${name}` : 'Service';
    return new kplus.Service(this, id, {
      metadata: {
        name,
        namespace: this.namespaceName,
        labels: { ...this.selectorLabels, [Labels.MANAGED_BY]: MANAGED_BY_VALUE },
      },
      type: kplus.ServiceType.CLUSTER_IP,
      selector: kplus.Pods.select(this, `${id}Selector`, { labels: this.selectorLabels }),
      ports: options.ports,
    });
  }

  private resolveServiceAccount(props: HardenedDeploymentProps): kplus.IServiceAccount {
    if (props.serviceAccount) {
      if (props.serviceAccountOptions) {
        throw new Error('serviceAccountOptions is set together with serviceAccount: options only apply to the dedicated account; configure the account you pass in, or drop serviceAccount');
      }
      if (props.serviceAccount.name === 'default') {
        throw new Error('serviceAccount is "default": the namespace\'s default account is shared by every pod; leave serviceAccount out to get a dedicated one');
      }
      return props.serviceAccount;
    }
    return new MinimalServiceAccount(this, 'ServiceAccount', {
      ...props.serviceAccountOptions,
      name: this.appName,
      namespace: this.namespaceName,
    });
  }

  private writableMounts(paths: WritablePath[], writableTmp: boolean): kplus.VolumeMount[] {
    const tmpListed = paths.some((entry) => entry?.path === SecurityDefaults.TMP_PATH);
    const writable = writableTmp && !tmpListed ? [{ path: SecurityDefaults.TMP_PATH }, ...paths] : paths;
    const offset = writable.length - paths.length;
    const seen = new Set<string>();
    return writable.map((entry, position) => {
      const index = position - offset;
      const path = entry.path;
      if (typeof path !== 'string' || !path.startsWith('/') || path === '/' || path.includes('..') || path.endsWith('/')) {
        throw new Error(`writablePaths[${index}].path is ${JSON.stringify(path)}: use an absolute directory below the root, e.g. "/tmp" or "/var/cache/app"`);
      }
      if (seen.has(path)) throw new Error(`writablePaths[${index}].path is ${JSON.stringify(path)} again: list each directory once`);
      seen.add(path);
      const name = volumeNameOf(path);
      const volume = kplus.Volume.fromEmptyDir(this, `Volume-${name}`, name, {
        sizeLimit: entry.sizeLimit ?? Size.mebibytes(SecurityDefaults.TMP_SIZE_LIMIT_MIB),
        medium: entry.memory ? kplus.EmptyDirMedium.MEMORY : undefined,
      });
      return { path, volume };
    });
  }

  private projectedTokenMount(): kplus.VolumeMount | undefined {
    const account = this.serviceAccount;
    if (!(account instanceof MinimalServiceAccount) || !account.projectedToken) return undefined;
    const token = account.projectedToken;
    // cdk8s-plus-28 has no projected-volume factory; Volume's constructor takes the raw k8s
    // volume source, which the k8s 1.28 schema keeps.
    const VolumeClass = kplus.Volume as unknown as new (scope: Construct, id: string, name: string, config: unknown) => kplus.Volume;
    const volume = new VolumeClass(this, 'ProjectedToken', 'projected-token', {
      projected: {
        sources: [{ serviceAccountToken: { audience: token.audience, expirationSeconds: token.expirationSeconds, path: 'token' } }],
      },
    });
    return { path: token.mountPath, volume, readOnly: true };
  }

  private checkImage(prop: string, image: string, requireDigest: boolean) {
    if (typeof image !== 'string' || image.trim() === '') {
      throw new Error(`${prop}.image is ${JSON.stringify(image)}: name an image, ideally pinned by digest (registry/name@sha256:...)`);
    }
    if (DIGEST.test(image)) return;
    const message = `${prop}.image is ${JSON.stringify(image)}: not pinned by digest, so the tag can move under you; use ${image.split('@')[0]}@sha256:<digest>`;
    if (requireDigest) throw new Error(`${message} (requireDigest is true)`);
    this.warnings.push(message);
    addConstructionWarning(this, message);
  }
}

function validateContradictions(props: HardenedDeploymentProps, exceptions: HardenedDeploymentExceptions, platform: Platform) {
  if (exceptions.privileged && !exceptions.allowPrivilegeEscalation) {
    throw new Error('exceptions.privileged is set without exceptions.allowPrivilegeEscalation: the API rejects privileged: true with allowPrivilegeEscalation: false; add exceptions.allowPrivilegeEscalation with a reason too');
  }
  for (const prop of ['user', 'group'] as const) {
    const value = props[prop];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw new Error(`${prop} is ${value}: use a non-negative whole number`);
    if (value === 0 && !exceptions.runAsRoot) {
      throw new Error(`${prop} is 0 (root): use a non-root id such as ${SecurityDefaults.USER}, or add exceptions.runAsRoot with a reason`);
    }
    if (exceptions.runAsRoot && value !== 0) {
      throw new Error(`${prop} is ${value} while exceptions.runAsRoot is set: running as root means id 0; drop ${prop} or the exception`);
    }
    if (platform === Platform.OPENSHIFT) {
      throw new Error(`${prop} is ${value} while platform is OPENSHIFT, which assigns ids from the namespace's range; drop ${prop}`);
    }
  }
  if (props.fsGroup !== undefined) {
    if (!Number.isInteger(props.fsGroup) || props.fsGroup < 0) throw new Error(`fsGroup is ${props.fsGroup}: use a non-negative whole number`);
    if (platform === Platform.OPENSHIFT) {
      throw new Error(`fsGroup is ${props.fsGroup} while platform is OPENSHIFT, which assigns it from the namespace's range; drop fsGroup`);
    }
  }
  if (exceptions.runAsRoot && platform === Platform.OPENSHIFT) {
    throw new Error('exceptions.runAsRoot is set while platform is OPENSHIFT: restricted-v2 never admits root; use platform KUBERNETES with a privileged SCC, or drop the exception');
  }
  const caps = exceptions.capabilities;
  if (caps) {
    if (!Array.isArray(caps.add) || caps.add.length === 0) {
      throw new Error('exceptions.capabilities.add is empty: list the capabilities to add, or drop the exception');
    }
    for (const cap of caps.add) {
      if (!/^[A-Z_]+$/.test(cap) || cap.startsWith('CAP_')) {
        throw new Error(`exceptions.capabilities.add contains ${JSON.stringify(cap)}: use the upper-case name without CAP_, e.g. "NET_ADMIN"`);
      }
      if (cap === 'ALL') throw new Error('exceptions.capabilities.add contains "ALL": name each capability the workload needs');
      if (cap === SecurityDefaults.NET_BIND_SERVICE) {
        throw new Error('exceptions.capabilities.add contains "NET_BIND_SERVICE": restricted allows it, so set allowNetBindService: true on the container instead');
      }
    }
  }
}

function exceptionAnnotationsOf(exceptions: HardenedDeploymentExceptions): Record<string, string> {
  const annotations: Record<string, string> = {};
  const add = (prop: keyof HardenedDeploymentExceptions, ruleIds: string[]) => {
    const exception = exceptions[prop];
    if (exception) Object.assign(annotations, exceptionAnnotations(`exceptions.${prop}`, exception, ruleIds));
  };
  add('runAsRoot', [RuleIds.PSS_RUN_AS_NON_ROOT, RuleIds.PSS_RUN_AS_USER]);
  add('allowPrivilegeEscalation', [RuleIds.PSS_ALLOW_PRIVILEGE_ESCALATION]);
  add('privileged', [RuleIds.PSS_PRIVILEGED]);
  add('writableRootFilesystem', [RuleIds.CONTAINER_WRITABLE_ROOT]);
  add('automountServiceAccountToken', [RuleIds.WORKLOAD_TOKEN_AUTOMOUNT]);
  if (exceptions.capabilities) {
    const outsideBaseline = exceptions.capabilities.add.some((cap) => !BASELINE_ALLOWED_CAPABILITIES.includes(cap));
    add('capabilities', outsideBaseline
      ? [RuleIds.PSS_CAPABILITIES_BASELINE, RuleIds.PSS_CAPABILITIES_RESTRICTED]
      : [RuleIds.PSS_CAPABILITIES_RESTRICTED]);
  }
  return annotations;
}

function containerSecurityContext(exceptions: HardenedDeploymentExceptions, user: number | undefined, group: number | undefined) {
  return {
    ensureNonRoot: exceptions.runAsRoot === undefined,
    user,
    group,
    privileged: exceptions.privileged !== undefined,
    allowPrivilegeEscalation: exceptions.allowPrivilegeEscalation !== undefined,
    readOnlyRootFilesystem: exceptions.writableRootFilesystem === undefined,
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    capabilities: { drop: [kplus.Capability.ALL] },
  } satisfies kplus.ContainerSecurityContextProps;
}

function capabilitiesToAdd(netBindService: boolean, exception: CapabilitiesException | undefined): kplus.Capability[] | undefined {
  const add = [
    ...(netBindService ? [SecurityDefaults.NET_BIND_SERVICE] : []),
    ...(exception?.add ?? []),
  ].sort();
  return add.length > 0 ? add as kplus.Capability[] : undefined;
}

function defaultResources(): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(SecurityDefaults.CPU_REQUEST_MILLIS) },
    memory: {
      request: Size.mebibytes(SecurityDefaults.MEMORY_REQUEST_MIB),
      limit: Size.mebibytes(SecurityDefaults.MEMORY_LIMIT_MIB),
    },
  };
}

/** `/var/cache/nginx` becomes `var-cache-nginx`: stable, readable volume names. */
function volumeNameOf(path: string): string {
  const name = path.slice(1).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return validateDnsLabel('writablePaths path', `writable-${name}`.slice(0, 63).replace(/-+$/, ''));
}
