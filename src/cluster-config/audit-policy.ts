import { renderNodeFile } from './node-file-yaml';
import { CONTROL_PLANE_PATHS } from '../model/control-plane-settings';

/** where audit events go besides the log file: a webhook backend. */
export interface AuditWebhookBackend {
  /** path on the node of the kubeconfig-format file that names the webhook. */
  readonly configFile: string;
  /**
   * `batch` buffers and sends asynchronously; `blocking` makes every request wait for the webhook.
   *
   * @default 'batch'
   */
  readonly mode?: 'batch' | 'blocking';
}

/** properties of {@link AuditPolicy}. */
export interface AuditPolicyProps {
  /**
   * Days to keep rotated audit log files (CIS 1.8 1.2.18 asks for 30 or more).
   *
   * @default 30
   */
  readonly logMaxAgeDays?: number;
  /**
   * Rotated audit log files to keep (CIS 1.8 1.2.19 asks for 10 or more).
   *
   * @default 10
   */
  readonly logMaxBackups?: number;
  /**
   * Size in megabytes at which the audit log rotates (CIS 1.8 1.2.20 asks for 100 or more).
   *
   * @default 100
   */
  readonly logMaxSizeMegabytes?: number;
  /**
   * Also send events to a webhook (a SIEM); the log file stays, so CIS 1.2.17–1.2.20 still hold.
   *
   * @default - log file only
   */
  readonly webhook?: AuditWebhookBackend;
}

/** the minimums CIS 1.8 sets for log retention. */
const MINIMUMS = { logMaxAgeDays: 30, logMaxBackups: 10, logMaxSizeMegabytes: 100 } as const;

const RBAC_WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * An `audit.k8s.io/v1` Policy for `kube-apiserver --audit-policy-file`, first match wins:
 * health checks and system watch noise are dropped; Secrets, ConfigMaps and TokenReviews are
 * recorded at `Metadata` only (never their bodies); `serviceaccounts/token` at `Request` (who
 * asked for a token for which audience, never the issued token, which a `RequestResponse` entry
 * would write to the log in clear); RBAC changes and `pods/exec|attach|portforward` at
 * `RequestResponse`; everything else at `Metadata`. `RequestReceived` is omitted.
 *
 * @see https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
 */
export class AuditPolicy {
  /** the policy as a plain object. */
  public readonly policy: Record<string, unknown>;
  private readonly retention: { readonly maxAge: number; readonly maxBackup: number; readonly maxSize: number };
  private readonly webhook?: AuditWebhookBackend;

  constructor(props: AuditPolicyProps = {}) {
    const value = (prop: keyof typeof MINIMUMS) => {
      const given = props[prop] ?? MINIMUMS[prop];
      if (!Number.isInteger(given) || given < MINIMUMS[prop]) {
        throw new Error(`${prop} is ${JSON.stringify(given)}: give a whole number of at least ${MINIMUMS[prop]} (CIS 1.8 1.2.18-1.2.20)`);
      }
      return given;
    };
    this.retention = { maxAge: value('logMaxAgeDays'), maxBackup: value('logMaxBackups'), maxSize: value('logMaxSizeMegabytes') };
    if (props.webhook !== undefined) {
      if (typeof props.webhook.configFile !== 'string' || !props.webhook.configFile.startsWith('/')) {
        throw new Error(`webhook.configFile is ${JSON.stringify(props.webhook.configFile)}: give the absolute path of the webhook kubeconfig on the node`);
      }
      if (props.webhook.mode !== undefined && !['batch', 'blocking'].includes(props.webhook.mode)) {
        throw new Error(`webhook.mode is ${JSON.stringify(props.webhook.mode)}: use "batch" or "blocking"`);
      }
      this.webhook = props.webhook;
    }
    this.policy = {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      omitManagedFields: true,
      rules: [
        { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
        { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }, { group: 'discovery.k8s.io', resources: ['endpointslices'] }] },
        { level: 'None', userGroups: ['system:nodes'], verbs: ['get', 'watch'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
        { level: 'None', users: ['system:kube-controller-manager', 'system:kube-scheduler'], verbs: ['get', 'update'], namespaces: ['kube-system'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
        { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
        { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
        { level: 'Request', resources: [{ group: '', resources: ['serviceaccounts/token'] }] },
        { level: 'RequestResponse', verbs: RBAC_WRITES, resources: [{ group: 'rbac.authorization.k8s.io' }] },
        { level: 'RequestResponse', resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward'] }] },
        { level: 'Metadata' },
      ],
    };
  }

  /** the kube-apiserver flags for this policy and its backends, sorted by name. */
  public apiServerFlags(): Record<string, string> {
    const flags: Record<string, string> = {
      'audit-log-format': 'json',
      'audit-log-maxage': String(this.retention.maxAge),
      'audit-log-maxbackup': String(this.retention.maxBackup),
      'audit-log-maxsize': String(this.retention.maxSize),
      'audit-log-path': CONTROL_PLANE_PATHS.auditLog,
      'audit-policy-file': CONTROL_PLANE_PATHS.auditPolicy,
    };
    if (this.webhook !== undefined) {
      flags['audit-webhook-config-file'] = this.webhook.configFile;
      flags['audit-webhook-mode'] = this.webhook.mode ?? 'batch';
    }
    return flags;
  }

  /** the file's text, each rule preceded by what it is for. */
  public toYaml(): string {
    const why = [
      'health checks: no security value, high volume',
      'kube-proxy watches: high-volume system noise',
      'kubelets reading their own Node: high-volume system noise',
      'leader election of the control plane: high-volume system noise',
      'events: high volume, no actor of interest',
      'bodies carry secret values or credentials: who and when only',
      'token requests: who asked for which audience; never the issued token',
      'RBAC changes: the full before/after',
      'interactive access into pods',
      'everything else: who did what, without bodies',
    ];
    return renderNodeFile(this.policy, [
      'Audit policy for kube-apiserver --audit-policy-file; the first matching rule wins.',
      `Install on every control-plane node as ${CONTROL_PLANE_PATHS.auditPolicy} (mode 600, root:root).`,
    ].join('\n'), new Map(why.map((text, index) => [`rules[${index}]`, text])));
  }
}
