import { renderNodeFile } from './node-file-yaml';
import { appliesTo, cisLabel, CONTROL_PLANE_PATHS, SECURE_KUBELET_FIELDS, SecureKubeletField } from '../model/control-plane-settings';
import { isUsableReason, MIN_REASON_LENGTH, quoteReason } from '../model/exceptions';

/** the kernel settings `protectKernelDefaults: true` requires the node to have (set them with sysctl before the kubelet starts). */
export const KUBELET_REQUIRED_SYSCTLS: Readonly<Record<string, string>> = {
  'kernel.keys.root_maxbytes': '25000000',
  'kernel.keys.root_maxkeys': '1000000',
  'kernel.panic': '10',
  'kernel.panic_on_oops': '1',
  'vm.overcommit_memory': '1',
  'vm.panic_on_oom': '0',
};

/** properties of {@link KubeletConfiguration}. */
export interface KubeletConfigurationProps {
  /**
   * The kubelets' Kubernetes version (`1.<minor>`); fields a version does not have are not emitted.
   *
   * @default '1.28'
   */
  readonly kubernetesVersion?: string;
  /**
   * Maximum processes per pod (CIS 1.8 4.2.13).
   *
   * @default 4096
   */
  readonly podPidsLimit?: number;
  /**
   * Events per second the kubelet may create; 0 means unlimited (CIS 1.8 4.2.8).
   *
   * @default 50
   */
  readonly eventRecordQPS?: number;
  /**
   * The cluster DNS service addresses.
   *
   * @default ['10.96.0.10'] (kubeadm's default service subnet)
   */
  readonly clusterDNS?: readonly string[];
  /**
   * Let the kubelet change kernel settings instead of refusing to start when they differ from
   * {@link KUBELET_REQUIRED_SYSCTLS}; give the reason (written to the file).
   *
   * @default - protectKernelDefaults: true
   */
  readonly allowKernelDefaultsChangeReason?: string;
}

/** sets a dotted path in a nested object. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    node[part] = (node[part] as Record<string, unknown> | undefined) ?? {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** the YAML value of a secure field (cipher suites are a list). */
export function kubeletFieldValue(field: SecureKubeletField): unknown {
  return field.path === 'tlsCipherSuites' ? String(field.value).split(',') : field.value;
}

/**
 * A hardened `kubelet.config.k8s.io/v1beta1` KubeletConfiguration for `/var/lib/kubelet/config.yaml`
 * (kubeadm writes it from the KubeletConfiguration document of its config file): anonymous access
 * off, webhook authentication and authorization, no read-only port, `protectKernelDefaults`,
 * client and serving certificate rotation (`serverTLSBootstrap`: approve the kubelet-serving CSRs,
 * or `kubectl logs`/`exec` fail), `seccompDefault`, event and PID limits, strong TLS ciphers.
 * Each field carries its CIS recommendation as a comment.
 *
 * @see https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/
 */
export class KubeletConfiguration {
  /** the configuration as a plain object. */
  public readonly configuration: Record<string, unknown>;
  /** the secure fields emitted for this version. */
  public readonly fields: readonly SecureKubeletField[];
  private readonly comments = new Map<string, string>();

  constructor(props: KubeletConfigurationProps = {}) {
    const version = props.kubernetesVersion ?? '1.28';
    const podPidsLimit = props.podPidsLimit ?? 4096;
    if (!Number.isInteger(podPidsLimit) || podPidsLimit < 64) throw new Error(`podPidsLimit is ${JSON.stringify(props.podPidsLimit)}: give a whole number of at least 64 (-1 would mean unlimited)`);
    const eventRecordQPS = props.eventRecordQPS ?? 50;
    if (!Number.isInteger(eventRecordQPS) || eventRecordQPS < 1) throw new Error(`eventRecordQPS is ${JSON.stringify(props.eventRecordQPS)}: give a whole number of at least 1 (0 means unlimited)`);
    const overrides: Record<string, unknown> = { podPidsLimit, eventRecordQPS };
    if (props.allowKernelDefaultsChangeReason !== undefined) {
      if (!isUsableReason(props.allowKernelDefaultsChangeReason)) {
        throw new Error(`allowKernelDefaultsChangeReason is ${quoteReason(props.allowKernelDefaultsChangeReason)}: say in at least ${MIN_REASON_LENGTH} characters why the kubelet may change kernel settings`);
      }
      overrides.protectKernelDefaults = false;
    }
    this.fields = SECURE_KUBELET_FIELDS.filter((field) => appliesTo(field.kubernetes, version));
    const configuration: Record<string, unknown> = {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cgroupDriver: 'systemd',
      clusterDNS: [...(props.clusterDNS ?? ['10.96.0.10'])],
      clusterDomain: 'cluster.local',
      eventBurst: 100,
      healthzBindAddress: '127.0.0.1',
      staticPodPath: '/etc/kubernetes/manifests',
    };
    for (const field of this.fields) {
      const value = field.path in overrides ? overrides[field.path] : kubeletFieldValue(field);
      setPath(configuration, field.path, value);
      const cis = field.cis.length > 0 ? `CIS ${field.cis.map(cisLabel).join(', ')}` : 'no CIS id';
      const versions = field.kubernetes.since ? `Kubernetes >= ${field.kubernetes.since}` : 'all Kubernetes versions';
      const exception = field.path === 'protectKernelDefaults' && overrides.protectKernelDefaults === false ? ` EXCEPTION: ${props.allowKernelDefaultsChangeReason!.trim()}` : '';
      this.comments.set(field.path, `${cis}; ${versions}: ${field.why}.${exception}`);
    }
    setPath(configuration, 'authentication.webhook.cacheTTL', '2m0s');
    setPath(configuration, 'authorization.webhook.cacheAuthorizedTTL', '5m0s');
    setPath(configuration, 'authorization.webhook.cacheUnauthorizedTTL', '30s');
    this.configuration = configuration;
  }

  /** the file's text, with each secure field's CIS id as a comment. */
  public toYaml(): string {
    return renderNodeFile(this.configuration, [
      `KubeletConfiguration for ${CONTROL_PLANE_PATHS.kubeletConfiguration} on every node (mode 600, root:root).`,
      'kubeadm writes it from the KubeletConfiguration document of kubeadm-config.yaml; this copy is for nodes joined without kubeadm and for review.',
      `protectKernelDefaults needs these sysctls on the node first: ${Object.entries(KUBELET_REQUIRED_SYSCTLS).map(([key, value]) => `${key}=${value}`).join(' ')}`,
    ].join('\n'), this.comments);
  }
}
