import { Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { declarationAnnotation, exceptionAnnotations, ExpiringSecurityException, todayUtc, validateExpiringException } from '../model/exceptions';
import { assertImageAllowed } from '../model/image-policy';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { RuleIds } from '../model/rule-ids';
import { RuntimeImages } from '../model/runtime-images';
import { HardenedNamespace, PodSecurityLevel } from '../namespace/hardened-namespace';
import { validateDnsLabel } from '../network/policy-helpers';

/** a kube-bench target: which part of the benchmark runs, and so which node files it reads. */
export enum KubeBenchTarget {
  /** worker node checks (kubelet, CNI). */
  NODE = 'node',
  /** API server, controller manager and scheduler checks (control-plane nodes). */
  MASTER = 'master',
  /** etcd checks (nodes that run etcd). */
  ETCD = 'etcd',
  /** control-plane configuration checks (authentication, logging). */
  CONTROLPLANE = 'controlplane',
}

/** props of `KubeBenchScan`. */
export interface KubeBenchScanProps {
  /**
   * Why this cluster runs a privileged CIS scan, and until when: the scan namespace's Pod
   * Security `enforce` level is `privileged` on this exception. Required with an expiry; after
   * the date synth fails until someone renews it.
   */
  readonly privilegedNamespace: ExpiringSecurityException;
  /**
   * The scan namespace; nothing else should run there.
   *
   * @default 'cis-scan'
   */
  readonly namespace?: string;
  /**
   * The benchmark kube-bench checks against. Pinned, so kube-bench neither guesses the version
   * (which needs the API and a token) nor switches benchmarks when the cluster is upgraded.
   *
   * @default 'cis-1.8'
   */
  readonly benchmark?: string;
  /**
   * The parts of the benchmark to run. Control-plane targets schedule the scan onto a
   * control-plane node (affinity and a toleration, declared with a reason). `policies` is not
   * offered: it needs API access; the library's checker covers those checks offline.
   *
   * @default [KubeBenchTarget.NODE]
   */
  readonly targets?: KubeBenchTarget[];
  /**
   * Run on a schedule (a CronJob) instead of once (a Job).
   *
   * @default - a Job that runs once
   */
  readonly schedule?: Cron;
  /**
   * The kube-bench image, pinned by digest.
   *
   * @default RuntimeImages.KUBE_BENCH
   */
  readonly image?: string;
  /**
   * Fail the Job when a check fails (`--exit-code 1`), so failures show as failed Jobs.
   *
   * @default true
   */
  readonly failOnFindings?: boolean;
  /**
   * How long a finished Job and its pod (and so its log, the results) stay. Ship logs to your
   * log store for longer retention.
   *
   * @default Duration.days(7)
   */
  readonly keepResults?: Duration;
  /**
   * The date the expiry of `privilegedNamespace` is compared with, `YYYY-MM-DD`.
   *
   * @default - today in UTC
   */
  readonly today?: string;
}

/** node paths each target reads, all mounted read-only at the same path (kube-bench's config names host paths). */
const TARGET_PATHS: Record<KubeBenchTarget, readonly string[]> = {
  [KubeBenchTarget.NODE]: ['/etc/cni/net.d', '/etc/kubernetes', '/etc/systemd', '/lib/systemd', '/opt/cni/bin', '/var/lib/cni', '/var/lib/kubelet'],
  [KubeBenchTarget.MASTER]: ['/etc/group', '/etc/kubernetes', '/etc/passwd', '/etc/systemd', '/lib/systemd', '/srv/kubernetes', '/var/lib/kube-controller-manager', '/var/lib/kube-scheduler'],
  [KubeBenchTarget.ETCD]: ['/etc/group', '/etc/kubernetes', '/etc/passwd', '/var/lib/etcd'],
  [KubeBenchTarget.CONTROLPLANE]: ['/etc/kubernetes'],
};
const FILES = ['/etc/group', '/etc/passwd'];
const CONTROL_PLANE_TARGETS = [KubeBenchTarget.MASTER, KubeBenchTarget.ETCD, KubeBenchTarget.CONTROLPLANE];
const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/**
 * A CIS Kubernetes Benchmark scan in the cluster: kube-bench as a Job (or CronJob) pinned to a
 * benchmark, the one place the library knowingly emits a privileged pod, and every part of that
 * is a stated, annotated exception:
 * - its own namespace (default `cis-scan`) whose PSA `enforce` level is `privileged` on a typed
 *   exception with a reason and an expiry (synth fails after it); `audit` and `warn` stay at
 *   `baseline`, so every run leaves a trace; a quota of two pods; default-deny ingress and
 *   egress with no DNS allow: the scan needs no network;
 * - the pod: `hostPID` and read-only host paths (only those its targets read), root (to read
 *   root-owned 0600 files) but every capability dropped, no privilege escalation, read-only
 *   root filesystem, seccomp `RuntimeDefault`, a dedicated ServiceAccount without token or RBAC
 *   (the pinned benchmark removes the need to ask the API for its version);
 * - results: JSON on stdout, kept as the pod's log for `keepResults`.
 *
 * The checker reports the pod only through the reasoned suppressions written on it. One run
 * inspects one node: see the README for covering every node.
 */
export class KubeBenchScan extends Construct {
  /** the scan namespace. */
  public readonly namespace: HardenedNamespace;
  /** the Job, or the CronJob when `schedule` is set. */
  public readonly resource: kplus.k8s.KubeJob | kplus.k8s.KubeCronJob;
  /** the benchmark the scan is pinned to. */
  public readonly benchmark: string;
  /** the host paths mounted read-only. */
  public readonly hostPaths: readonly string[];

  constructor(scope: Construct, id: string, props: KubeBenchScanProps) {
    super(scope, id);
    recordObjectPaths(this);
    if (!props?.privilegedNamespace) {
      throw new Error('privilegedNamespace is missing: a CIS scan needs a privileged namespace; give { reason: "...", expires: "YYYY-MM-DD" }');
    }
    validateExpiringException('privilegedNamespace', props.privilegedNamespace, props.today ?? todayUtc());
    const exception = props.privilegedNamespace;
    const namespace = validateDnsLabel(props.namespace ?? 'cis-scan', 'namespace');
    this.benchmark = props.benchmark ?? 'cis-1.8';
    if (!/^(cis-1\.\d+|eks-\d+\.\d+(\.\d+)?|gke-\d+\.\d+(\.\d+)?|aks-\d+\.\d+|rh-\d+\.\d+|ack-\d+\.\d+|k3s-cis-1\.\d+|rke2-cis-1\.\d+)$/.test(this.benchmark)) {
      throw new Error(`benchmark is ${JSON.stringify(this.benchmark)}: name a kube-bench benchmark such as "cis-1.8" (kube-bench cfg/<benchmark>)`);
    }
    const targets = [...new Set(props.targets ?? [KubeBenchTarget.NODE])].sort();
    if (targets.length === 0) throw new Error('targets is empty: name at least one, e.g. [KubeBenchTarget.NODE]');
    for (const target of targets) {
      if (!Object.values(KubeBenchTarget).includes(target)) {
        throw new Error(`targets has ${JSON.stringify(target)}: use KubeBenchTarget.NODE, MASTER, ETCD or CONTROLPLANE (policies needs API access; the checker covers it offline)`);
      }
    }
    const image = props.image ?? RuntimeImages.KUBE_BENCH;
    if (!/@sha256:[a-f0-9]{64}$/.test(image)) throw new Error(`image is ${JSON.stringify(image)}: pin it by digest, e.g. ${RuntimeImages.KUBE_BENCH}`);
    assertImageAllowed('image', image, this.node.root);
    const keepSeconds = (props.keepResults ?? Duration.days(7)).toSeconds();
    if (!Number.isInteger(keepSeconds) || keepSeconds < 0) throw new Error(`keepResults is ${keepSeconds}s: use a whole number of seconds, 0 or more`);
    const controlPlane = targets.some((target) => CONTROL_PLANE_TARGETS.includes(target));
    this.hostPaths = [...new Set(targets.flatMap((target) => TARGET_PATHS[target]))].sort();

    this.namespace = new HardenedNamespace(this, 'Namespace', {
      name: namespace,
      podSecurityException: {
        enforce: PodSecurityLevel.PRIVILEGED,
        // audit and warn stay at baseline, so every scan run is recorded and shown.
        audit: PodSecurityLevel.BASELINE,
        warn: PodSecurityLevel.BASELINE,
        reason: exception.reason,
        expires: exception.expires,
      },
      dnsEgress: false,
      resourceQuota: { hard: { pods: kplus.k8s.Quantity.fromString('2') } },
      labels: { [Labels.NAME]: 'kube-bench' },
    });

    const expires = exception.expires;
    const annotations: Record<string, string> = {
      ...exceptionAnnotations('privilegedNamespace', { reason: 'kube-bench reads the node\'s process flags (kubelet, API server) through the host PID namespace', expires }, [RuleIds.PSS_HOST_NAMESPACES]),
      ...exceptionAnnotations('privilegedNamespace', { reason: `kube-bench reads node configuration read-only: ${this.hostPaths.join(', ')}`, expires }, [RuleIds.PSS_HOST_PATH_VOLUMES, RuleIds.PSS_RESTRICTED_VOLUMES]),
      ...exceptionAnnotations('privilegedNamespace', { reason: 'kube-bench must read root-owned 0600 node files (kubeconfigs, PKI); it runs as root with every capability dropped', expires }, [RuleIds.PSS_RUN_AS_NON_ROOT, RuleIds.PSS_RUN_AS_USER, RuleIds.CONTAINER_ROOT_GROUP]),
      'cis-scan.cdk8s-hardened.io/benchmark': this.benchmark,
      'cis-scan.cdk8s-hardened.io/targets': targets.join(','),
    };
    if (controlPlane) {
      Object.assign(annotations, declarationAnnotation('tolerations', 'tolerations', { reason: 'control-plane checks read files that exist only on control-plane nodes, which are tainted' }));
    }

    const serviceAccount = new kplus.k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: 'kube-bench', namespace, labels: { [Labels.NAME]: 'kube-bench', [Labels.MANAGED_BY]: MANAGED_BY_VALUE } },
      automountServiceAccountToken: false,
    });
    serviceAccount.node.addDependency(this.namespace);

    const labels = { [Labels.NAME]: 'kube-bench', [Labels.COMPONENT]: 'cis-scan', [Labels.MANAGED_BY]: MANAGED_BY_VALUE };
    const volumes = this.hostPaths.map((path) => ({
      name: volumeName(path),
      // no type check for directories, as upstream: paths a distribution lacks must not keep the scan from starting.
      hostPath: FILES.includes(path) ? { path, type: 'File' } : { path },
    }));
    const args = ['run', '--targets', targets.join(','), '--benchmark', this.benchmark, '--json'];
    if (props.failOnFindings ?? true) args.push('--exit-code', '1');
    const podSpec: kplus.k8s.PodSpec = {
      hostPid: true,
      restartPolicy: 'Never',
      serviceAccountName: 'kube-bench',
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
      ...(controlPlane ? {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: CONTROL_PLANE_LABEL, operator: 'Exists' }] }] } } },
        tolerations: [{ key: CONTROL_PLANE_LABEL, operator: 'Exists', effect: 'NoSchedule' }],
      } : {}),
      containers: [{
        name: 'kube-bench',
        image,
        command: ['kube-bench'],
        args,
        resources: {
          requests: { cpu: kplus.k8s.Quantity.fromString('50m'), memory: kplus.k8s.Quantity.fromString('64Mi') },
          limits: { memory: kplus.k8s.Quantity.fromString('256Mi') },
        },
        securityContext: {
          runAsNonRoot: false,
          runAsUser: 0,
          runAsGroup: 0,
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          ...this.hostPaths.map((path) => ({ name: volumeName(path), mountPath: path, readOnly: true })),
        ],
      }],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString('16Mi') } }, ...volumes],
    };
    const jobSpec: kplus.k8s.JobSpec = {
      backoffLimit: 0,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: props.schedule ? undefined : keepSeconds,
      template: { metadata: { labels }, spec: podSpec },
    };
    const metadata = { name: 'kube-bench', namespace, labels, annotations };
    this.resource = props.schedule
      ? new kplus.k8s.KubeCronJob(this, 'Resource', {
        metadata,
        spec: {
          schedule: props.schedule.expressionString,
          timeZone: 'Etc/UTC',
          concurrencyPolicy: 'Forbid',
          startingDeadlineSeconds: 300,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: { spec: jobSpec },
        },
      })
      : new kplus.k8s.KubeJob(this, 'Resource', { metadata, spec: jobSpec });
    this.resource.node.addDependency(this.namespace, serviceAccount);
  }
}

function volumeName(path: string): string {
  return `host-${path.slice(1).replace(/[^a-z0-9]+/g, '-')}`;
}
