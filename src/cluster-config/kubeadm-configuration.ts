import { Document, isMap, isSeq, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { AuditPolicy } from './audit-policy';
import { AuthenticationConfiguration } from './authentication-configuration';
import { EncryptionConfiguration } from './encryption-configuration';
import { KubeletConfiguration } from './kubelet-configuration';
import {
  appliesTo, cisLabel, CisRef, CONTROL_PLANE_PATHS, ControlPlaneComponent, KubernetesVersionRange, SECURE_FLAGS,
} from '../model/control-plane-settings';
import { isUsableReason, MIN_REASON_LENGTH, quoteReason } from '../model/exceptions';

/** one flag the kubeadm configuration sets, with where it comes from. */
export interface ControlPlaneSetting {
  readonly component: ControlPlaneComponent;
  readonly flag: string;
  readonly value: string;
  /** the CIS recommendations it satisfies, each with its benchmark version; empty when none names it. */
  readonly cis: readonly CisRef[];
  readonly kubernetes: KubernetesVersionRange;
  readonly why: string;
}

/** properties of {@link KubeadmConfiguration}. */
export interface KubeadmConfigurationProps {
  /**
   * The exact Kubernetes release kubeadm installs, `v1.<minor>.<patch>`. Picks the kubeadm API
   * (`kubeadm.k8s.io/v1beta4` from 1.31, `v1beta3` for 1.22–1.30), and leaves out flags the release
   * no longer has.
   *
   * @default 'v1.28.15'
   */
  readonly kubernetesVersion?: string;
  /**
   * Encryption at rest; its file is mounted into the API server.
   *
   * @default - new EncryptionConfiguration() (KMS v2, Secrets)
   */
  readonly encryption?: EncryptionConfiguration;
  /**
   * The audit policy and log retention.
   *
   * @default - new AuditPolicy()
   */
  readonly auditPolicy?: AuditPolicy;
  /**
   * The kubelet configuration kubeadm writes to every node.
   *
   * @default - new KubeletConfiguration() for the same version
   */
  readonly kubelet?: KubeletConfiguration;
  /**
   * The ServiceAccount token issuer (`--service-account-issuer`).
   *
   * @default 'https://kubernetes.default.svc.cluster.local'
   */
  readonly serviceAccountIssuer?: string;
  /**
   * Terminated pods kept before the garbage collector deletes them (CIS 1.8 1.3.1).
   *
   * @default 1000
   */
  readonly terminatedPodGcThreshold?: number;
  /**
   * Enable the AlwaysPullImages admission plugin (CIS 1.8 1.2.11, manual): every pod start checks
   * the registry, so a node cannot run a private image another tenant pulled. It makes pod starts
   * depend on the registry; off by default, the reason for turning it on is not needed.
   *
   * @default false
   */
  readonly alwaysPullImages?: boolean;
  /**
   * Keep the API server's HTTP health probes with anonymous access on before 1.32 (instead of
   * `--anonymous-auth=false` with TCP probes); give the reason.
   *
   * @default - anonymous access off, TCP probes (before 1.32); health endpoints only (1.32+)
   */
  readonly anonymousAuthReason?: string;
}

/** the kubeadm probe patch file: kube-apiserver probes over TCP, for `--anonymous-auth=false` before 1.32. */
export const KUBE_APISERVER_PROBE_PATCH_FILE = 'kube-apiserver0+strategic.yaml';

/** flags the builder sets that no CIS recommendation names, with why. */
const OTHER_FLAGS: Record<string, { readonly why: string; readonly kubernetes?: KubernetesVersionRange }> = {
  'admission-control-config-file': { why: 'the cluster-wide Pod Security default (restricted) for namespaces without labels' },
  'audit-log-format': { why: 'one JSON event per line, for log shippers' },
  'audit-webhook-config-file': { why: 'audit events also go to the webhook backend' },
  'audit-webhook-mode': { why: 'the webhook backend buffers instead of blocking requests' },
  'authentication-config': { why: 'anonymous access to the health endpoints only', kubernetes: { since: '1.32' } },
  'encryption-provider-config-automatic-reload': { why: 'key rotation without restarting the API servers', kubernetes: { since: '1.26' } },
  'service-account-issuer': { why: 'the issuer written into ServiceAccount tokens' },
  'service-account-signing-key-file': { why: 'the key that signs ServiceAccount tokens' },
  'tls-min-version': { why: 'no TLS 1.0 or 1.1' },
  'tls-cipher-suites': { why: 'forward-secret AEAD cipher suites only' },
};

const FULL_VERSION = /^v1\.(\d+)\.(\d+)$/;

/** the kubeadm extraVolumes for a file or folder on the host. */
interface HostVolume {
  readonly name: string;
  readonly hostPath: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
  readonly pathType: string;
}

const dirname = (file: string) => file.slice(0, file.lastIndexOf('/'));

/**
 * A kubeadm configuration (InitConfiguration, ClusterConfiguration and KubeletConfiguration in one
 * file) that wires the hardened files into the control plane: API server flags (profiling off,
 * audit and encryption files, NodeRestriction and DenyServiceExternalIPs, the PodSecurity admission
 * configuration, TLS 1.2+ with strong ciphers, ServiceAccount key and issuer, kubelet certificate
 * verification), controller manager and scheduler (loopback only, profiling off, per-controller
 * credentials, pod GC threshold) and etcd (client and peer certificate auth, no auto-TLS), with the
 * hostPath mounts each file needs. Every flag carries its CIS ids (with benchmark version) and the
 * Kubernetes versions it applies to as a comment; flags a release no longer has are not emitted.
 *
 * @see https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/
 */
export class KubeadmConfiguration {
  /** `CIS cis-1.8 1.2.16, cis-1.10 1.2.15; Kubernetes all: why` for one setting. */
  public static describe(setting: ControlPlaneSetting): string {
    const cis = setting.cis.length > 0 ? `CIS ${setting.cis.map(cisLabel).join(', ')}` : 'no CIS id';
    const { since, until } = setting.kubernetes;
    const versions = since && until ? `Kubernetes ${since} to before ${until}` : since ? `Kubernetes >= ${since}` : until ? `Kubernetes before ${until}` : 'all Kubernetes versions';
    return `${cis}; ${versions}: ${setting.why}`;
  }

  /** the kubeadm API version used: `kubeadm.k8s.io/v1beta4` (1.31+) or `kubeadm.k8s.io/v1beta3`. */
  public readonly apiVersion: string;
  /** every flag set, in emission order (component, then name). */
  public readonly settings: readonly ControlPlaneSetting[];
  /** the InitConfiguration document. */
  public readonly initConfiguration: Record<string, unknown>;
  /** the ClusterConfiguration document. */
  public readonly clusterConfiguration: Record<string, unknown>;
  /** the kubelet configuration written to every node. */
  public readonly kubelet: KubeletConfiguration;
  /** the encryption configuration mounted into the API server. */
  public readonly encryption: EncryptionConfiguration;
  /** the audit policy mounted into the API server. */
  public readonly auditPolicy: AuditPolicy;
  /** the structured authentication file (1.32+), else undefined. */
  public readonly authentication?: AuthenticationConfiguration;
  /** the kubeadm patch that switches the API server probes to TCP (before 1.32, anonymous off), else undefined. */
  public readonly probePatch?: Record<string, unknown>;
  private readonly minor: number;

  constructor(props: KubeadmConfigurationProps = {}) {
    const release = props.kubernetesVersion ?? 'v1.28.15';
    const match = FULL_VERSION.exec(release);
    if (!match) throw new Error(`kubernetesVersion is ${JSON.stringify(release)}: kubeadm installs an exact release, give "v1.<minor>.<patch>" such as "v1.28.15"`);
    this.minor = Number(match[1]);
    if (this.minor < 22) throw new Error(`kubernetesVersion is ${JSON.stringify(release)}: kubeadm.k8s.io/v1beta3 needs 1.22 or later`);
    const version = `1.${this.minor}`;
    this.apiVersion = this.minor >= 31 ? 'kubeadm.k8s.io/v1beta4' : 'kubeadm.k8s.io/v1beta3';
    this.encryption = props.encryption ?? new EncryptionConfiguration({ kubernetesVersion: version });
    this.auditPolicy = props.auditPolicy ?? new AuditPolicy();
    this.kubelet = props.kubelet ?? new KubeletConfiguration({ kubernetesVersion: version });
    const gcThreshold = props.terminatedPodGcThreshold ?? 1000;
    if (!Number.isInteger(gcThreshold) || gcThreshold < 1) throw new Error(`terminatedPodGcThreshold is ${JSON.stringify(gcThreshold)}: give a whole number of at least 1`);
    const issuer = props.serviceAccountIssuer ?? 'https://kubernetes.default.svc.cluster.local';
    if (!/^https:\/\/[^\s]+$/.test(issuer)) throw new Error(`serviceAccountIssuer is ${JSON.stringify(issuer)}: give an https URL`);
    let anonymousKept = false;
    if (props.anonymousAuthReason !== undefined) {
      if (!isUsableReason(props.anonymousAuthReason)) {
        throw new Error(`anonymousAuthReason is ${quoteReason(props.anonymousAuthReason)}: say in at least ${MIN_REASON_LENGTH} characters why anonymous requests must reach the API server`);
      }
      anonymousKept = true;
    }
    if (AuthenticationConfiguration.supports(version)) this.authentication = new AuthenticationConfiguration({ kubernetesVersion: version });

    const plugins = ['NodeRestriction', 'DenyServiceExternalIPs', ...(props.alwaysPullImages ? ['AlwaysPullImages'] : [])];
    const apiServer: Record<string, string> = {
      'admission-control-config-file': CONTROL_PLANE_PATHS.admissionConfiguration,
      'authorization-mode': 'Node,RBAC',
      'enable-admission-plugins': plugins.join(','),
      'encryption-provider-config': CONTROL_PLANE_PATHS.encryptionConfiguration,
      'encryption-provider-config-automatic-reload': 'true',
      'kubelet-certificate-authority': CONTROL_PLANE_PATHS.caCertificate,
      'profiling': 'false',
      'service-account-extend-token-expiration': 'false',
      'service-account-issuer': issuer,
      'service-account-key-file': CONTROL_PLANE_PATHS.serviceAccountPublicKey,
      'service-account-lookup': 'true',
      'service-account-signing-key-file': CONTROL_PLANE_PATHS.serviceAccountPrivateKey,
      'tls-cipher-suites': SECURE_FLAGS.find((flag) => flag.flag === 'tls-cipher-suites')!.value,
      'tls-min-version': 'VersionTLS12',
      ...this.auditPolicy.apiServerFlags(),
    };
    if (this.authentication !== undefined) apiServer['authentication-config'] = CONTROL_PLANE_PATHS.authenticationConfiguration;
    else if (!anonymousKept) apiServer['anonymous-auth'] = 'false';
    const controllerManager: Record<string, string> = {
      'bind-address': '127.0.0.1',
      'profiling': 'false',
      'terminated-pod-gc-threshold': String(gcThreshold),
      'tls-cipher-suites': apiServer['tls-cipher-suites'],
      'tls-min-version': 'VersionTLS12',
      'use-service-account-credentials': 'true',
    };
    const scheduler: Record<string, string> = {
      'bind-address': '127.0.0.1',
      'profiling': 'false',
      'tls-cipher-suites': apiServer['tls-cipher-suites'],
      'tls-min-version': 'VersionTLS12',
    };
    const etcd: Record<string, string> = {
      'auto-tls': 'false',
      'client-cert-auth': 'true',
      'peer-auto-tls': 'false',
      'peer-client-cert-auth': 'true',
    };

    const settings: ControlPlaneSetting[] = [];
    const describe = (component: ControlPlaneComponent, args: Record<string, string>): Record<string, string> => {
      const kept: Record<string, string> = {};
      for (const flag of Object.keys(args).sort()) {
        const known = SECURE_FLAGS.filter((entry) => entry.component === component && entry.flag === flag);
        const other = OTHER_FLAGS[flag];
        const range: KubernetesVersionRange = known[0]?.kubernetes ?? other?.kubernetes ?? {};
        if (!appliesTo(range, version)) continue;
        kept[flag] = args[flag];
        settings.push({
          component,
          flag,
          value: args[flag],
          cis: known.flatMap((entry) => entry.cis),
          kubernetes: range,
          why: known.length > 0 ? known.map((entry) => entry.why).join('; ') : other?.why ?? 'hardening',
        });
      }
      return kept;
    };
    const apiServerArgs = describe('kube-apiserver', apiServer);
    const controllerManagerArgs = describe('kube-controller-manager', controllerManager);
    const schedulerArgs = describe('kube-scheduler', scheduler);
    const etcdArgs = describe('etcd', etcd);
    this.settings = settings;

    const volumes: HostVolume[] = [
      { name: 'admission-configuration', hostPath: dirname(CONTROL_PLANE_PATHS.admissionConfiguration), mountPath: dirname(CONTROL_PLANE_PATHS.admissionConfiguration), readOnly: true, pathType: 'DirectoryOrCreate' },
      { name: 'audit-log', hostPath: dirname(CONTROL_PLANE_PATHS.auditLog), mountPath: dirname(CONTROL_PLANE_PATHS.auditLog), readOnly: false, pathType: 'DirectoryOrCreate' },
      { name: 'audit-policy', hostPath: dirname(CONTROL_PLANE_PATHS.auditPolicy), mountPath: dirname(CONTROL_PLANE_PATHS.auditPolicy), readOnly: true, pathType: 'DirectoryOrCreate' },
      { name: 'encryption-configuration', hostPath: dirname(CONTROL_PLANE_PATHS.encryptionConfiguration), mountPath: dirname(CONTROL_PLANE_PATHS.encryptionConfiguration), readOnly: true, pathType: 'DirectoryOrCreate' },
    ];
    if (this.authentication !== undefined) {
      volumes.push({ name: 'authentication-configuration', hostPath: dirname(CONTROL_PLANE_PATHS.authenticationConfiguration), mountPath: dirname(CONTROL_PLANE_PATHS.authenticationConfiguration), readOnly: true, pathType: 'DirectoryOrCreate' });
    }
    if (this.encryption.provider.socketPath !== undefined) {
      const socketDir = dirname(this.encryption.provider.socketPath);
      volumes.push({ name: 'kms-plugin-socket', hostPath: socketDir, mountPath: socketDir, readOnly: false, pathType: 'DirectoryOrCreate' });
    }
    if (apiServerArgs['audit-webhook-config-file'] !== undefined) {
      const webhookDir = dirname(apiServerArgs['audit-webhook-config-file']);
      if (!volumes.some((volume) => volume.hostPath === webhookDir)) {
        volumes.push({ name: 'audit-webhook', hostPath: webhookDir, mountPath: webhookDir, readOnly: true, pathType: 'DirectoryOrCreate' });
      }
    }

    const args = (map: Record<string, string>) => (this.minor >= 31 ? Object.entries(map).map(([name, value]) => ({ name, value })) : { ...map });
    this.clusterConfiguration = {
      apiVersion: this.apiVersion,
      kind: 'ClusterConfiguration',
      kubernetesVersion: release,
      apiServer: { extraArgs: args(apiServerArgs), extraVolumes: volumes.map((volume) => ({ ...volume })) },
      controllerManager: { extraArgs: args(controllerManagerArgs) },
      scheduler: { extraArgs: args(schedulerArgs) },
      etcd: { local: { dataDir: '/var/lib/etcd', extraArgs: args(etcdArgs) } },
    };
    const probesOverTcp = this.authentication === undefined && !anonymousKept;
    this.initConfiguration = {
      apiVersion: this.apiVersion,
      kind: 'InitConfiguration',
      localAPIEndpoint: { bindPort: 6443 },
      ...(probesOverTcp ? { patches: { directory: CONTROL_PLANE_PATHS.kubeadmPatches } } : {}),
    };
    if (probesOverTcp) {
      const probe = (failureThreshold: number) => ({ httpGet: null, tcpSocket: { port: 6443 }, failureThreshold });
      this.probePatch = {
        spec: { containers: [{ name: 'kube-apiserver', livenessProbe: probe(8), readinessProbe: probe(3), startupProbe: probe(24) }] },
      };
    }
  }

  /** `kubeadm-config.yaml`: InitConfiguration, ClusterConfiguration and KubeletConfiguration, each flag with its CIS ids. */
  public toYaml(): string {
    const init = new Document(this.initConfiguration);
    init.commentBefore = [
      ` kubeadm configuration: kubeadm init --config kubeadm-config.yaml (${this.apiVersion}, Kubernetes ${String(this.clusterConfiguration.kubernetesVersion)}).`,
      ' Install the files it references first (see README.md): they are mounted into the API server as hostPath volumes.',
      ...(this.probePatch ? [` ${CONTROL_PLANE_PATHS.kubeadmPatches}/${KUBE_APISERVER_PROBE_PATCH_FILE} switches the API server probes to TCP, because --anonymous-auth=false makes HTTP probes fail (401).`] : []),
    ].join('\n');
    const cluster = new Document(this.clusterConfiguration);
    const sections: [string, ControlPlaneComponent][] = [
      ['apiServer', 'kube-apiserver'], ['controllerManager', 'kube-controller-manager'], ['scheduler', 'kube-scheduler'],
    ];
    const commentFor = (component: ControlPlaneComponent, flag: string) => {
      const setting = this.settings.find((entry) => entry.component === component && entry.flag === flag);
      return setting ? ` ${KubeadmConfiguration.describe(setting)}` : undefined;
    };
    const annotate = (node: unknown, component: ControlPlaneComponent) => {
      if (isMap(node)) {
        for (const pair of (node as YAMLMap).items as Pair<Scalar>[]) {
          const comment = commentFor(component, String(pair.key.value));
          if (comment) pair.key.commentBefore = comment;
        }
      } else if (isSeq(node)) {
        for (const item of (node as YAMLSeq).items as YAMLMap[]) {
          const name = item.get('name');
          const comment = commentFor(component, String(name));
          if (comment) item.commentBefore = comment;
        }
      }
    };
    for (const [section, component] of sections) annotate(cluster.getIn([section, 'extraArgs'], true), component);
    annotate(cluster.getIn(['etcd', 'local', 'extraArgs'], true), 'etcd');
    const kubeletText = this.kubelet.toYaml();
    const body = [init.toString({ lineWidth: 0 }), cluster.toString({ lineWidth: 0 }), kubeletText];
    return body.map((text, index) => (index === 0 ? text : `---\n${text}`)).join('');
  }

  /** the probe patch file's text, or undefined when the API server keeps its HTTP probes. */
  public probePatchYaml(): string | undefined {
    if (this.probePatch === undefined) return undefined;
    const document = new Document(this.probePatch);
    document.commentBefore = [
      ` kubeadm patch (strategic merge) for the kube-apiserver static pod: install as ${CONTROL_PLANE_PATHS.kubeadmPatches}/${KUBE_APISERVER_PROBE_PATCH_FILE}.`,
      ' With --anonymous-auth=false an unauthenticated HTTP probe of /livez gets 401 and the kubelet restarts the API server in a loop',
      ' (kubernetes/kubeadm#798); TCP probes only see that the port is open. From Kubernetes 1.32 the AuthenticationConfiguration',
      ' allows anonymous access to the health endpoints only, and the HTTP probes stay.',
    ].join('\n');
    return document.toString({ lineWidth: 0 });
  }
}
