import { Document, YAMLMap, YAMLSeq } from 'yaml';
import { isUsableReason, MIN_REASON_LENGTH } from '../model/exceptions';

/** one exemption from the cluster-wide Pod Security default, with its reason (written as a comment). */
export interface PodSecurityAdmissionExemption {
  /** why Pod Security cannot hold for it; at least 10 characters. */
  readonly reason: string;
}

/** a namespace exempt from Pod Security admission. */
export interface PodSecurityNamespaceExemption extends PodSecurityAdmissionExemption {
  readonly namespace: string;
}

/** an authenticated user exempt from Pod Security admission (pods it creates directly are not checked). */
export interface PodSecurityUserExemption extends PodSecurityAdmissionExemption {
  readonly username: string;
}

/** a RuntimeClass whose pods are exempt from Pod Security admission. */
export interface PodSecurityRuntimeClassExemption extends PodSecurityAdmissionExemption {
  readonly runtimeClass: string;
}

/** properties of {@link PodSecurityAdmissionConfiguration}. */
export interface PodSecurityAdmissionConfigurationProps {
  /**
   * The pinned Pod Security Standards version every mode defaults to, `v1.<minor>`; never `latest`,
   * which changes the policy with each upgrade.
   *
   * @default 'v1.28'
   */
  readonly version?: string;
  /**
   * Namespaces PSA does not evaluate.
   *
   * @default DEFAULT_POD_SECURITY_NAMESPACE_EXEMPTIONS (kube-system)
   */
  readonly namespaceExemptions?: readonly PodSecurityNamespaceExemption[];
  /**
   * Users PSA does not evaluate. Prefer none: an exempt user can create privileged pods anywhere.
   *
   * @default - none
   */
  readonly userExemptions?: readonly PodSecurityUserExemption[];
  /**
   * RuntimeClasses PSA does not evaluate.
   *
   * @default - none
   */
  readonly runtimeClassExemptions?: readonly PodSecurityRuntimeClassExemption[];
}

/** the control-plane namespace, exempt by default because its add-ons run privileged. */
export const DEFAULT_POD_SECURITY_NAMESPACE_EXEMPTIONS: readonly PodSecurityNamespaceExemption[] = [
  { namespace: 'kube-system', reason: 'control-plane and node add-ons (CNI, kube-proxy, CSI node plugins) run privileged with host access here' },
];

/** where the file goes on each control-plane node, referenced by `--admission-control-config-file`. */
export const POD_SECURITY_ADMISSION_CONFIGURATION_PATH = '/etc/kubernetes/admission/pod-security.yaml';

const PINNED_VERSION = /^v1\.\d+$/;

/**
 * The cluster-wide Pod Security default: an `apiserver.config.k8s.io/v1` AdmissionConfiguration
 * for the PodSecurity plugin that enforces, audits and warns at `restricted` at a pinned version,
 * for every namespace without its own labels, with minimal, reasoned exemptions. It is a file for
 * the API server (`--admission-control-config-file`), not a manifest: it never goes to `dist/`.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/
 */
export class PodSecurityAdmissionConfiguration {
  /** the configuration as a plain object. */
  public readonly configuration: Record<string, unknown>;
  private readonly reasons: Map<string, string>;

  constructor(props: PodSecurityAdmissionConfigurationProps = {}) {
    const version = props.version ?? 'v1.28';
    if (!PINNED_VERSION.test(version)) {
      throw new Error(`version is ${JSON.stringify(version)}: pin a Pod Security version such as "v1.28" (never "latest", which changes with every upgrade)`);
    }
    this.reasons = new Map();
    type NameOf<T> = (entry: T) => string;
    const checked = <T extends PodSecurityAdmissionExemption>(prop: string, entries: readonly T[], nameOf: NameOf<T>): string[] =>
      entries.map((entry, index) => {
        const reason = typeof entry.reason === 'string' ? entry.reason.trim() : '';
        const name = nameOf(entry);
        if (!isUsableReason(reason)) {
          throw new Error(`${prop}[${index}].reason is ${JSON.stringify(entry.reason)}: give at least ${MIN_REASON_LENGTH} characters that say why ${JSON.stringify(name)} cannot hold Pod Security restricted`);
        }
        if (typeof name !== 'string' || name.trim() === '') throw new Error(`${prop}[${index}] names ${JSON.stringify(name)}: give a non-empty name`);
        this.reasons.set(`${prop}/${name}`, reason);
        return name;
      }).sort();
    const namespaces = checked('namespaceExemptions', props.namespaceExemptions ?? DEFAULT_POD_SECURITY_NAMESPACE_EXEMPTIONS, (entry) => entry.namespace);
    const usernames = checked('userExemptions', props.userExemptions ?? [], (entry) => entry.username);
    const runtimeClasses = checked('runtimeClassExemptions', props.runtimeClassExemptions ?? [], (entry) => entry.runtimeClass);
    this.configuration = {
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AdmissionConfiguration',
      plugins: [{
        name: 'PodSecurity',
        configuration: {
          apiVersion: 'pod-security.admission.config.k8s.io/v1',
          kind: 'PodSecurityConfiguration',
          defaults: {
            'enforce': 'restricted',
            'enforce-version': version,
            'audit': 'restricted',
            'audit-version': version,
            'warn': 'restricted',
            'warn-version': version,
          },
          exemptions: { usernames, runtimeClasses, namespaces },
        },
      }],
    };
  }

  /** the file's text: block YAML, each exemption preceded by its reason as a comment. */
  public toYaml(): string {
    const document = new Document(this.configuration);
    document.commentBefore = ` PodSecurity admission defaults for every namespace without pod-security labels.\n Install on each control-plane node as ${POD_SECURITY_ADMISSION_CONFIGURATION_PATH}\n and start kube-apiserver with --admission-control-config-file=${POD_SECURITY_ADMISSION_CONFIGURATION_PATH}.`;
    const exemptions = document.getIn(['plugins', 0, 'configuration', 'exemptions'], true) as YAMLMap;
    for (const [prop, key] of [['namespaceExemptions', 'namespaces'], ['userExemptions', 'usernames'], ['runtimeClassExemptions', 'runtimeClasses']] as const) {
      const list = exemptions.get(key, true) as unknown as YAMLSeq;
      for (const item of list.items as { value: string; commentBefore?: string }[]) {
        item.commentBefore = ` ${this.reasons.get(`${prop}/${item.value}`)}`;
      }
    }
    return document.toString({ lineWidth: 0 });
  }
}
