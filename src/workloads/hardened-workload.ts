import { ApiObject, ApiObjectMetadata, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addConstructionWarning } from './construction-warnings';
import { addSelfCheck } from './workload-self-check';
import { renderChartsOncePerSynth } from '../construct-helpers/chart-rendering';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { namespaceOf, validateDnsLabel } from '../construct-helpers/names';
import { MinimalServiceAccount, MinimalServiceAccountProps } from '../identity/minimal-service-account';
import { declarationAnnotation, exceptionAnnotations, SecurityException } from '../model/exceptions';
import { isPinnedByDigest, registeredImagePolicy, registryVerdict, withoutDigest } from '../model/image-policy';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { RuleIds } from '../model/rule-ids';
import { BASELINE_ALLOWED_CAPABILITIES, SecurityDefaults, SYSTEM_NAMESPACES } from '../model/security-defaults';
import type { IFlowEndpoint } from '../network/flow-endpoint';
import type { SecretProviderClass } from '../secrets/secret-provider-class';

/**
 * A container of a hardened workload: everything cdk8s-plus offers except the security
 * context, which the workload sets and only typed exceptions weaken.
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
 * Reasoned exceptions to a hardened workload's secure defaults. Each one is written to the
 * workload object as an `ignore-check.cdk8s-hardened.io/<rule-id>` (or, for what no rule checks,
 * `declared.cdk8s-hardened.io/<name>`) annotation with its reason.
 */
export interface HardenedWorkloadExceptions {
  /**
   * Run as root: `runAsNonRoot: false`, `runAsUser: 0` and `runAsGroup: 0`.
   *
   * @default - runs as a non-root user and group
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
  /**
   * Read Secrets into environment variables (`env[].valueFrom.secretKeyRef`, `envFrom[].secretRef`).
   * Environment variables are inherited by child processes, readable in `/proc/<pid>/environ` and
   * printed in crash dumps; mount Secrets as files with `mountSecret()` instead.
   *
   * @default - a Secret in env throws
   */
  readonly secretInEnv?: SecurityException;
  /**
   * Run in a namespace Kubernetes creates itself (`default`, `kube-system`, `kube-public`,
   * `kube-node-lease`), which no `HardenedNamespace` isolates. Written as the annotation
   * `declared.cdk8s-hardened.io/system-namespace`.
   *
   * @default - a system namespace fails synth
   */
  readonly systemNamespace?: SecurityException;
  /**
   * Run images that are not pinned by digest (`@sha256:<64 hex>`): the registry may then serve
   * other content under the same tag on every pull. Written as the suppression of
   * `image-digest-missing`.
   *
   * @default - an unpinned image throws at construction
   */
  readonly unpinnedImages?: SecurityException;
  /**
   * Run images from registries the app's `ImagePolicy` does not allow. Written as the
   * suppression of `image-registry-not-allowed`.
   *
   * @default - with an `ImagePolicy` in the app, an image from elsewhere throws at construction
   */
  readonly imageRegistry?: SecurityException;
}

/** options for `expose()`. */
export interface HardenedServiceOptions {
  /**
   * The Service's name.
   *
   * @default - the workload's name
   */
  readonly name?: string;
  /** the ports; at least one. */
  readonly ports: kplus.ServicePort[];
}

/** a Secret to mount: its name, a cdk8s-plus Secret, or anything with a `secretName` (an `ExternalSecret`). */
export type SecretReference = string | kplus.ISecret | { readonly secretName: string; readonly keys?: readonly string[] };

/** options for `mountSecret()` and `mountSecretProviderClass()`. */
export interface SecretMountOptions {
  /** the directory the files appear in, e.g. `/var/run/secrets/db`; one file per key. */
  readonly mountPath: string;
  /**
   * The containers (by name) that get the mount; list init containers here too if they need it.
   *
   * @default - every container (not init containers) added so far
   */
  readonly containers?: string[];
  /**
   * Only these keys of the Secret, each as a file of the same name.
   *
   * @default - every key
   */
  readonly keys?: string[];
  /**
   * Permission bits of the files: at most `0o440`. The kubelet makes the files owned by root and
   * the pod's fsGroup, so `0o440` lets the non-root process read them through its group and
   * nobody write them. `0o400` suits only a workload that runs as root.
   *
   * @default 0o440
   */
  readonly defaultMode?: number;
  /**
   * The volume's name.
   *
   * @default - `secret-<secret name>` (or `csi-<class name>`)
   */
  readonly volumeName?: string;
}

/** the most a mounted secret file may allow: read by owner (root) and group (fsGroup). */
export const SECRET_FILE_MODE = 0o440;
/** the modes a mounted secret may have: read by owner and group, group only, or owner only (root). */
const SECRET_FILE_MODES: readonly number[] = [0o440, 0o040, 0o400];

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
 * Props every hardened workload kind shares: the pod, its containers, identity and exceptions.
 */
export interface HardenedWorkloadProps {
  /**
   * The object's name and the value of `app.kubernetes.io/name`, which with `component`
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
   * The namespace. It must be created by a `HardenedNamespace` in the same app, or declared
   * with `externallyHardenedNamespace`; otherwise synth fails.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Declares that the namespace is hardened outside this app (another repository, a platform
   * team): PSA `restricted` labels, default-deny policies and DNS egress exist there. Written
   * as the annotation `declared.cdk8s-hardened.io/externally-hardened-namespace`.
   *
   * @default - the namespace must come from a `HardenedNamespace` in the same app
   */
  readonly externallyHardenedNamespace?: SecurityException;
  /** the containers; at least one. Add more later with `addContainer`. */
  readonly containers: HardenedContainerProps[];
  /**
   * Init containers; hardened exactly like the containers.
   *
   * @default - none
   */
  readonly initContainers?: HardenedContainerProps[];
  /**
   * The ServiceAccount the pods run as. Never the namespace's `default`.
   *
   * @default - a dedicated `MinimalServiceAccount` named like the workload
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
   * Further volumes for the pod; mount them through the containers' `volumeMounts`. hostPath
   * volumes are refused (a `HardenedDaemonSet` declares read-only host paths with a reason).
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
   * GID of every container's process. Must not be 0 (see `exceptions.runAsRoot`).
   *
   * @default 10001
   */
  readonly group?: number;
  /**
   * Group that owns the pod's volumes. Must not be 0.
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
  readonly exceptions?: HardenedWorkloadExceptions;
}

/** what the shared core hands a kind to build its cdk8s-plus workload from. */
export interface HardenedPodSettings {
  readonly metadata: ApiObjectMetadata;
  readonly podMetadata: ApiObjectMetadata;
  readonly serviceAccount: kplus.IServiceAccount;
  readonly automountServiceAccountToken: boolean;
  readonly hostNetwork: boolean;
  readonly securityContext: kplus.PodSecurityContextProps;
  readonly volumes?: kplus.Volume[];
  readonly select: false;
}

/** how one workload kind differs from the others; given by each kind's constructor. */
export interface HardenedWorkloadKind {
  /** the Kubernetes kind, for messages. */
  readonly kind: string;
  /** JSON pointer of the pod template in the object: `/spec/template` or `/spec/jobTemplate/spec/template`. */
  readonly podTemplatePath: string;
  /**
   * How volume ownership changes when the pod starts.
   *
   * @default - cdk8s-plus's `Always`
   */
  readonly fsGroupChangePolicy?: kplus.FsGroupChangePolicy;
  /** @default false */
  readonly hostNetwork?: boolean;
  /** further reasoned annotations of the kind's own exceptions. @default - none */
  readonly annotations?: Record<string, string>;
  /** host paths the kind declared with a reason (read-only mounts only). @default - none */
  readonly allowedHostPaths?: readonly string[];
  /** builds the cdk8s-plus workload with id `Resource` under `scope`. */
  readonly create: (scope: Construct, settings: HardenedPodSettings) => kplus.Workload;
}

/**
 * The hardened pod core every workload kind is built on: one source for the secure defaults,
 * the exceptions and their annotations, container and volume hardening, the ServiceAccount,
 * and the synth-time self-check. Subclasses only add what their kind has of its own.
 *
 * With no options the pods pass Pod Security `restricted` (v1.28): non-root with a fixed UID and
 * GID, seccomp `RuntimeDefault`, every capability dropped, read-only root with typed writable
 * paths, no privilege escalation, no host access, no token, their own ServiceAccount, small
 * explicit requests and a memory limit, and a selector made of stable labels.
 */
export abstract class HardenedWorkload extends Construct implements IFlowEndpoint {
  /** the underlying cdk8s-plus workload; the escape hatch for what the library does not model. */
  public readonly resource: kplus.Workload;
  /** the ServiceAccount the pods run as. */
  public readonly serviceAccount: kplus.IServiceAccount;
  /** the object's name and `app.kubernetes.io/name`. */
  public readonly appName: string;
  /** the namespace, when known. */
  public readonly namespaceName?: string;
  /** labels that select exactly this workload's pods. */
  public readonly selectorLabels: Record<string, string>;
  /** the Kubernetes kind of `resource`. */
  public readonly kind: string;
  /**
   * Construction-time warnings (for example unpinned images): also recorded as node metadata
   * `cdk8s-hardened:warning` and printed on stderr once per synth.
   */
  public readonly warnings: string[] = [];

  /** the exceptions the workload was built with. */
  protected readonly exceptions: HardenedWorkloadExceptions;
  private readonly sharedMounts: kplus.VolumeMount[];
  private readonly containerSecurity: ReturnType<typeof containerSecurityContext>;
  private readonly containerCount = { containers: 0, initContainers: 0 };
  private readonly volumeNames = new Set<string>();
  /** host paths the kind declared; the self-check fails on any other. */
  public readonly allowedHostPaths: readonly string[];
  /** true when the workload declared its namespace as hardened elsewhere. */
  public readonly externallyHardenedNamespace: boolean;

  protected constructor(scope: Construct, id: string, props: HardenedWorkloadProps, kind: HardenedWorkloadKind) {
    super(scope, id);
    recordObjectPaths(this);
    renderChartsOncePerSynth(this);
    if (props === null || typeof props !== 'object') {
      throw new Error(`props of ${kind.kind} "${id}" are missing: pass at least { containers: [{ image: "registry.example.com/app@sha256:..." }] }`);
    }
    this.kind = kind.kind;
    this.appName = validateDnsLabel('name', props.name ?? id);
    this.namespaceName = namespaceOf(this, props.namespace);
    this.exceptions = props.exceptions ?? {};
    this.allowedHostPaths = kind.allowedHostPaths ?? [];
    this.externallyHardenedNamespace = props.externallyHardenedNamespace !== undefined;
    const exceptions = this.exceptions;
    if ((props as { requireDigest?: unknown }).requireDigest !== undefined) {
      throw new Error('requireDigest is set: it was removed, because every hardened workload now requires a digest; drop requireDigest (an unpinned image throws unless exceptions.unpinnedImages gives a reason)');
    }
    const platform = props.platform ?? Platform.KUBERNETES;
    validateContradictions(props, exceptions, platform);

    const annotations = { ...exceptionAnnotationsOf(exceptions), ...kind.annotations };
    if (props.externallyHardenedNamespace !== undefined) {
      Object.assign(annotations, declarationAnnotation('externallyHardenedNamespace', 'externally-hardened-namespace', props.externallyHardenedNamespace));
    }
    if (exceptions.systemNamespace !== undefined) {
      if (this.namespaceName === undefined || !SYSTEM_NAMESPACES.includes(this.namespaceName)) {
        throw new Error(`exceptions.systemNamespace is set but namespace is ${JSON.stringify(this.namespaceName ?? '(unset)')}, not one of ${SYSTEM_NAMESPACES.join(', ')}: drop the exception`);
      }
      Object.assign(annotations, declarationAnnotation('exceptions.systemNamespace', 'system-namespace', exceptions.systemNamespace));
    }

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

    for (const volume of props.volumes ?? []) this.checkVolume(volume, 'volumes');

    this.resource = kind.create(this, {
      metadata: {
        name: this.appName,
        namespace: this.namespaceName,
        labels: objectLabels,
        annotations,
      },
      // the selector comes from stable labels, never from the construct path.
      select: false,
      podMetadata: {
        labels: { ...props.podMetadata?.labels, ...accountPodLabels, ...objectLabels },
        annotations: props.podMetadata?.annotations,
      },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: exceptions.automountServiceAccountToken !== undefined,
      hostNetwork: kind.hostNetwork ?? false,
      securityContext: {
        ensureNonRoot: !runAsRoot,
        user,
        group,
        fsGroup,
        fsGroupChangePolicy: kind.fsGroupChangePolicy,
      },
      volumes: props.volumes,
    });
    this.resource.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    // cdk8s-plus-28 has no pod-level seccompProfile prop; the field is in the k8s 1.28 schema, so the patch survives.
    ApiObject.of(this.resource).addJsonPatch(
      JsonPatch.add(`${kind.podTemplatePath}/spec/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
      // cdk8s-plus labels pods with a hash of the construct path; drop it so moving the construct
      // leaves the pod template (and so the pods) untouched.
      JsonPatch.remove(`${kind.podTemplatePath}/metadata/labels/cdk8s.io~1metadata.addr`),
    );

    this.sharedMounts = this.writableMounts(props.writablePaths ?? [], props.writableTmp ?? true);
    const tokenMount = this.projectedTokenMount();
    if (tokenMount) this.sharedMounts.push(tokenMount);
    this.containerSecurity = containerSecurityContext(exceptions, user, group);

    if (!Array.isArray(props.containers) || props.containers.length === 0) {
      throw new Error(`containers is empty: a ${kind.kind} needs at least one container, e.g. [{ image: "registry.example.com/app@sha256:..." }]`);
    }
    props.containers.forEach((c) => this.addContainer(c));
    (props.initContainers ?? []).forEach((c) => this.addInitContainer(c));
    addSelfCheck(this);
  }

  /**
   * Adds a container, hardened like the ones given at construction: the workload's security
   * context, the writable paths, default resources. Use this instead of `resource.addContainer()`,
   * which adds cdk8s-plus's defaults (no dropped capabilities, no seccomp, 1 CPU / 2Gi) and
   * fails synth.
   */
  public addContainer(container: HardenedContainerProps): kplus.Container {
    return this.resource.addContainer(this.hardenContainer(container, 'containers'));
  }

  /** adds an init container, hardened exactly like `addContainer` does. */
  public addInitContainer(container: HardenedContainerProps): kplus.Container {
    return this.resource.addInitContainer(this.hardenContainer(container, 'initContainers'));
  }

  /**
   * Adds a volume to the pod; mount it through a container's `volumeMounts`. hostPath volumes
   * are refused, and so are Secrets of type `kubernetes.io/service-account-token` (the self-check
   * finds those by name at synth).
   */
  public addVolume(volume: kplus.Volume): void {
    this.checkVolume(volume, 'addVolume');
    this.resource.addVolume(volume);
  }

  /**
   * Mounts a Secret (a plain one or the target of an `ExternalSecret`) as read-only files, one
   * per key, with mode `0o440` (root and the pod's fsGroup may read, nobody may write): the way
   * secrets should reach a process, instead of environment variables. Never a `subPath` mount,
   * so rotated values reach the files.
   *
   * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod
   */
  public mountSecret(secret: SecretReference, options: SecretMountOptions): kplus.Volume {
    const { name: secretName, keys: knownKeys } = secretOf(secret);
    const mode = this.checkSecretMode(options?.defaultMode);
    const keys = options.keys;
    if (keys !== undefined) {
      if (!Array.isArray(keys) || keys.length === 0) throw new Error(`mountSecret keys is ${JSON.stringify(keys)}: list the keys to mount, or leave keys out for all`);
      const unknown = knownKeys ? keys.filter((key) => !knownKeys.includes(key)) : [];
      if (unknown.length > 0) throw new Error(`mountSecret keys ${JSON.stringify(unknown)} are not keys of Secret "${secretName}" (it has ${JSON.stringify(knownKeys)}): mount existing keys`);
    }
    const volumeName = validateDnsLabel('mountSecret volumeName', options.volumeName ?? `secret-${secretName}`.slice(0, 63).replace(/[^a-z0-9-]/g, '-').replace(/-+$/, ''));
    const targets = this.mountTargets('mountSecret', options, volumeName);
    const volume = kplus.Volume.fromSecret(this, `SecretVolume-${volumeName}`, kplus.Secret.fromSecretName(this, `Secret-${volumeName}`, secretName), {
      name: volumeName,
      defaultMode: mode,
      items: keys ? Object.fromEntries([...keys].sort().map((key) => [key, { path: key }])) : undefined,
    });
    this.mountReadOnly(volume, targets, options.mountPath);
    return volume;
  }

  /**
   * Mounts a Secrets Store CSI `SecretProviderClass` as a read-only `csi` volume (allowed by Pod
   * Security `restricted`): the driver fetches the secrets at pod start with the pod's own
   * identity and nothing is stored in etcd. The class must live in the workload's namespace.
   */
  public mountSecretProviderClass(secretProviderClass: SecretProviderClass, options: SecretMountOptions): kplus.Volume {
    const spcNamespace = secretProviderClass?.namespaceName;
    if (spcNamespace !== undefined && this.namespaceName !== undefined && spcNamespace !== this.namespaceName) {
      throw new Error(`mountSecretProviderClass got SecretProviderClass "${secretProviderClass.secretProviderClassName}" of namespace "${spcNamespace}", but the ${this.kind} runs in "${this.namespaceName}": the CSI driver reads the class from the pod's namespace; create it there`);
    }
    if (options?.keys !== undefined || options?.defaultMode !== undefined) {
      throw new Error('mountSecretProviderClass takes no keys or defaultMode: the SecretProviderClass lists the objects, and its provider plug-in sets file permissions');
    }
    const volumeName = validateDnsLabel('mountSecretProviderClass volumeName', options.volumeName ?? `csi-${secretProviderClass.secretProviderClassName}`.slice(0, 63).replace(/-+$/, ''));
    const targets = this.mountTargets('mountSecretProviderClass', options, volumeName);
    const volume = secretProviderClass.volume(this, `CsiVolume-${volumeName}`, volumeName);
    this.mountReadOnly(volume, targets, options.mountPath);
    return volume;
  }

  /**
   * A ClusterIP Service for this workload that selects its pods by the stable labels.
   * Use it instead of `resource.exposeViaService()`, whose selector is the construct-path label
   * this construct removes from the pods (synth fails on such a Service).
   */
  public expose(options: HardenedServiceOptions): kplus.Service {
    if (!Array.isArray(options?.ports) || options.ports.length === 0) {
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

  private checkSecretMode(mode: number | undefined): number {
    const value = mode ?? SECRET_FILE_MODE;
    if (!SECRET_FILE_MODES.includes(value)) {
      throw new Error(`mountSecret defaultMode is ${typeof value === 'number' ? `0o${value.toString(8)}` : JSON.stringify(value)}: secret files allow at most 0o440 (read by owner and group); use 0o440, 0o040 or 0o400, with no write, execute or world bits`);
    }
    if (value === 0o400 && this.exceptions.runAsRoot === undefined) {
      throw new Error('mountSecret defaultMode is 0o400: the files belong to root, so a non-root process reads them only through the fsGroup\'s read bit; use 0o440');
    }
    return value;
  }

  /** checks a mount's path, containers and volume name before anything is created; returns the containers. */
  private mountTargets(method: string, options: SecretMountOptions, volumeName: string): kplus.Container[] {
    const path = options?.mountPath;
    if (typeof path !== 'string' || !path.startsWith('/') || path === '/' || path.includes('..') || path.endsWith('/')) {
      throw new Error(`${method} mountPath is ${JSON.stringify(path)}: use an absolute directory such as "/var/run/secrets/db"`);
    }
    const all = [...this.resource.containers, ...this.resource.initContainers];
    const targets = options.containers === undefined ? this.resource.containers : options.containers.map((name) => {
      const container = all.find((candidate) => candidate.name === name);
      if (!container) throw new Error(`${method} containers names ${JSON.stringify(name)}, which is not a container of this ${this.kind} (${all.map((c) => JSON.stringify(c.name)).join(', ')})`);
      return container;
    });
    if (targets.length === 0) throw new Error(`${method} has no container to mount into: add containers first, or name them in containers`);
    for (const container of targets) {
      if (container.mounts.some((mount) => mount.path === path)) {
        throw new Error(`${method} mountPath ${JSON.stringify(path)} is already mounted in container ${JSON.stringify(container.name)}: use another directory`);
      }
    }
    if (this.volumeNames.has(volumeName)) throw new Error(`${method} volume "${volumeName}" exists already: give this mount its own volumeName`);
    return targets;
  }

  private mountReadOnly(volume: kplus.Volume, targets: kplus.Container[], path: string): void {
    this.addVolume(volume);
    for (const container of targets) container.mount(path, volume, { readOnly: true });
  }

  /** the mounts every container gets (writable paths, the projected token); for kinds that add their own. */
  protected addSharedMount(mount: kplus.VolumeMount): void {
    this.sharedMounts.push(mount);
  }

  private hardenContainer(containerProps: HardenedContainerProps, list: 'containers' | 'initContainers'): kplus.ContainerProps {
    const prop = `${list}[${this.containerCount[list]++}]`;
    if (containerProps === null || typeof containerProps !== 'object') {
      throw new Error(`${prop} is ${JSON.stringify(containerProps)}: pass container props such as { image: "registry.example.com/app@sha256:..." }`);
    }
    if ('securityContext' in containerProps && (containerProps as { securityContext?: unknown }).securityContext !== undefined) {
      throw new Error(`${prop}.securityContext is set: the workload sets every container's security context; weaken it only through exceptions with a reason`);
    }
    this.checkImage(prop, containerProps.image, containerProps.name);
    if (this.exceptions.secretInEnv === undefined) checkSecretEnv(prop, containerProps);
    const securityContext = {
      ...this.containerSecurity,
      capabilities: {
        ...this.containerSecurity.capabilities,
        add: capabilitiesToAdd(containerProps.allowNetBindService ?? false, this.exceptions.capabilities),
      },
    };
    const { allowNetBindService: _ignored, ...kplusProps } = containerProps;
    return {
      ...kplusProps,
      resources: containerProps.resources ?? defaultResources(),
      securityContext,
      volumeMounts: [...this.sharedMounts, ...(containerProps.volumeMounts ?? [])],
    } as kplus.ContainerProps;
  }

  private checkVolume(volume: kplus.Volume, prop: string): void {
    const kube = volume?._toKube?.();
    if (!kube) throw new Error(`${prop} got ${JSON.stringify(volume)}: pass a cdk8s-plus Volume, e.g. Volume.fromEmptyDir(...)`);
    if (kube.hostPath !== undefined) {
      throw new Error(`${prop} got hostPath volume "${kube.name}" (${kube.hostPath.path}): a hostPath gives the pod the node's files; use an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim (a HardenedDaemonSet declares read-only host paths with hostPaths and a reason)`);
    }
    if (this.volumeNames.has(kube.name)) throw new Error(`${prop} got volume "${kube.name}" twice: give each volume its own name`);
    this.volumeNames.add(kube.name);
  }

  private resolveServiceAccount(props: HardenedWorkloadProps): kplus.IServiceAccount {
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
      const name = volumeNameOf('writable', path, 'writablePaths path');
      this.volumeNames.add(name);
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
    this.volumeNames.add('projected-token');
    return { path: token.mountPath, volume, readOnly: true };
  }

  private checkImage(prop: string, image: string, name: string | undefined) {
    if (typeof image !== 'string' || image.trim() === '') {
      throw new Error(`${prop}.image is ${JSON.stringify(image)}: name an image pinned by digest (registry/name:tag@sha256:<64 hex digits>)`);
    }
    const container = `${prop}${name !== undefined ? ` (container ${JSON.stringify(name)})` : ''}`;
    if (!isPinnedByDigest(image)) {
      const message = `${container}.image is ${JSON.stringify(image)}: not pinned by digest, so the registry can serve other content under the same tag`;
      if (this.exceptions.unpinnedImages === undefined) {
        throw new Error(`${message}; pin it (${withoutDigest(image)}@sha256:<64 hex digits>, e.g. from \`crane digest ${withoutDigest(image)}\`) or set exceptions.unpinnedImages with a reason`);
      }
      this.warnings.push(`${message} (allowed by exceptions.unpinnedImages)`);
      addConstructionWarning(this, `${message} (allowed by exceptions.unpinnedImages)`);
    }
    const policy = registeredImagePolicy(this.node.root);
    if (policy && this.exceptions.imageRegistry === undefined) {
      const verdict = registryVerdict(image, policy);
      if (!verdict.allowed) {
        const what = verdict.reason === 'invalid-reference' ? 'is not a valid image reference (lower-case repository path, well-formed tag and digest)' : `comes from ${verdict.name}, which the app's ImagePolicy does not allow (allowed: ${policy.allowedRegistries.join(', ')})`;
        throw new Error(`${container}.image is ${JSON.stringify(image)}: it ${what}; mirror the image below an allowed registry, add its registry to ImagePolicy allowedRegistries, or set exceptions.imageRegistry with a reason`);
      }
    }
  }
}

function validateContradictions(props: HardenedWorkloadProps, exceptions: HardenedWorkloadExceptions, platform: Platform) {
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
    if (props.fsGroup === 0) {
      throw new Error(`fsGroup is 0 (root group): volumes would be owned by the root group; use a non-root id such as ${SecurityDefaults.FS_GROUP}`);
    }
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

function exceptionAnnotationsOf(exceptions: HardenedWorkloadExceptions): Record<string, string> {
  const annotations: Record<string, string> = {};
  const add = (prop: keyof HardenedWorkloadExceptions, ruleIds: string[]) => {
    const exception = exceptions[prop];
    if (exception) Object.assign(annotations, exceptionAnnotations(`exceptions.${prop}`, exception, ruleIds));
  };
  add('runAsRoot', [RuleIds.PSS_RUN_AS_NON_ROOT, RuleIds.PSS_RUN_AS_USER, RuleIds.CONTAINER_ROOT_GROUP]);
  add('allowPrivilegeEscalation', [RuleIds.PSS_ALLOW_PRIVILEGE_ESCALATION]);
  add('privileged', [RuleIds.PSS_PRIVILEGED]);
  add('writableRootFilesystem', [RuleIds.CONTAINER_WRITABLE_ROOT]);
  add('automountServiceAccountToken', [RuleIds.WORKLOAD_TOKEN_AUTOMOUNT]);
  add('secretInEnv', [RuleIds.SECRET_IN_ENV]);
  add('unpinnedImages', [RuleIds.IMAGE_DIGEST_MISSING]);
  add('imageRegistry', [RuleIds.IMAGE_REGISTRY_NOT_ALLOWED]);
  if (exceptions.capabilities) {
    const outsideBaseline = exceptions.capabilities.add.some((cap) => !BASELINE_ALLOWED_CAPABILITIES.includes(cap));
    add('capabilities', outsideBaseline
      ? [RuleIds.PSS_CAPABILITIES_BASELINE, RuleIds.PSS_CAPABILITIES_RESTRICTED]
      : [RuleIds.PSS_CAPABILITIES_RESTRICTED]);
  }
  return annotations;
}

/** the name (and, for an ExternalSecret, the keys) of a Secret reference. */
function secretOf(secret: SecretReference): { name: string; keys?: readonly string[] } {
  if (typeof secret === 'string') return { name: validateDnsLabel('mountSecret secret', secret) };
  if (secret && typeof (secret as { secretName?: unknown }).secretName === 'string') {
    const source = secret as { secretName: string; keys?: readonly string[] };
    return { name: validateDnsLabel('mountSecret secret', source.secretName), keys: source.keys };
  }
  if (secret && typeof (secret as kplus.ISecret).name === 'string') return { name: (secret as kplus.ISecret).name };
  throw new Error(`mountSecret got ${JSON.stringify(secret)}: pass a Secret name, a cdk8s-plus Secret or an ExternalSecret`);
}

/** throws when a container reads a Secret into its environment. */
function checkSecretEnv(prop: string, container: HardenedContainerProps): void {
  const fix = 'mount the Secret as files with mountSecret() and point the application at the file, or add exceptions.secretInEnv with a reason';
  for (const [name, value] of Object.entries(container.envVariables ?? {})) {
    const ref = (value as { valueFrom?: { secretKeyRef?: { name?: string } } })?.valueFrom?.secretKeyRef;
    if (ref) throw new Error(`${prop}.envVariables.${name} reads Secret ${JSON.stringify(ref.name ?? '')} into the environment: ${fix}`);
  }
  (container.envFrom ?? []).forEach((source, index) => {
    const ref = source?._toKube?.().secretRef;
    if (ref) throw new Error(`${prop}.envFrom[${index}] loads every key of Secret ${JSON.stringify(ref.name ?? '')} into the environment: ${fix}`);
  });
}

function containerSecurityContext(exceptions: HardenedWorkloadExceptions, user: number | undefined, group: number | undefined) {
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

/** `/var/cache/nginx` becomes `writable-var-cache-nginx`: stable, readable volume names. */
export function volumeNameOf(prefix: string, path: string, prop: string): string {
  const name = path.slice(1).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return validateDnsLabel(prop, `${prefix}-${name}`.slice(0, 63).replace(/-+$/, ''));
}
