import { Chart, Cron, Duration, Testing } from 'cdk8s';
import {
  checkManifests, KubeBenchScan, KubeBenchTarget, Labels, manifestsOf, NetworkPolicyEvaluator, namespacesFromManifests, RuleIds, RuntimeImages,
  todayUtc, validateExpiringException,
} from '../../src';
import { validateAgainstSchema } from '../support/schema';

const EXCEPTION = { reason: 'CIS evidence for the quarterly compliance review', expires: '2027-03-31' };
const TODAY = '2026-12-01';
const NOW = new Date(`${TODAY}T00:00:00Z`);

function scan(props: Partial<ConstructorParameters<typeof KubeBenchScan>[2]> = {}) {
  const chart = new Chart(Testing.app(), 'cis');
  const construct = new KubeBenchScan(chart, 'kube-bench', { privilegedNamespace: EXCEPTION, today: TODAY, ...props });
  return { chart, construct, objects: Testing.synth(chart) as any[] };
}

const workload = (objects: any[]) => objects.find((o) => o.kind === 'Job' || o.kind === 'CronJob');
const podOf = (object: any) => (object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template);

describe('KubeBenchScan |', () => {
  test('defaults: a one-off Job of the node checks', () => {
    expect(scan().objects).toMatchSnapshot();
  });

  test('a weekly CronJob of the control-plane checks', () => {
    const { objects } = scan({
      schedule: Cron.schedule({ minute: '0', hour: '4', weekDay: '0' }),
      targets: [KubeBenchTarget.MASTER, KubeBenchTarget.ETCD, KubeBenchTarget.CONTROLPLANE],
      namespace: 'compliance',
      benchmark: 'cis-1.10',
      image: `registry.example.com/mirror/kube-bench:v0.15.6@sha256:${'b'.repeat(64)}`,
      failOnFindings: false,
    });
    expect(objects).toMatchSnapshot();
    const cron = workload(objects);
    expect(cron.kind).toBe('CronJob');
    expect(cron.spec).toMatchObject({ schedule: '0 4 * * 0', concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3 });
    expect(cron.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    const pod = podOf(cron).spec;
    expect(pod.containers[0].args).toEqual(['run', '--targets', 'controlplane,etcd,master', '--benchmark', 'cis-1.10', '--json']);
    expect(pod.containers[0].image).toBe(`registry.example.com/mirror/kube-bench:v0.15.6@sha256:${'b'.repeat(64)}`);
    expect(pod.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }]);
    expect(cron.metadata.annotations['declared.cdk8s-hardened.io/tolerations']).toMatch(/control-plane nodes/);
    expect(pod.volumes.map((v: any) => v.hostPath?.path).filter(Boolean)).toEqual([
      '/etc/group', '/etc/kubernetes', '/etc/passwd', '/etc/systemd', '/lib/systemd', '/srv/kubernetes', '/var/lib/etcd', '/var/lib/kube-controller-manager', '/var/lib/kube-scheduler',
    ]);
    expect(objects.find((o) => o.kind === 'Namespace').metadata.name).toBe('compliance');
  });

  test('the pod: host PIDs and read-only host paths, root without capabilities, no token, pinned benchmark', () => {
    const { objects } = scan();
    const job = workload(objects);
    const pod = podOf(job).spec;
    const [container] = pod.containers;
    expect(pod.hostPID).toBe(true);
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostIPC).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('kube-bench');
    expect(pod.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: false,
      runAsUser: 0,
      runAsGroup: 0,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.image).toBe(RuntimeImages.KUBE_BENCH);
    expect(container.image).toMatch(/^docker\.io\/aquasec\/kube-bench:v[\d.]+@sha256:[a-f0-9]{64}$/);
    expect(container.args).toEqual(['run', '--targets', 'node', '--benchmark', 'cis-1.8', '--json', '--exit-code', '1']);
    const hostMounts = container.volumeMounts.filter((m: any) => m.name.startsWith('host-'));
    expect(hostMounts.map((m: any) => `${m.mountPath} ${m.readOnly}`)).toEqual([
      '/etc/cni/net.d true', '/etc/kubernetes true', '/etc/systemd true', '/lib/systemd true', '/opt/cni/bin true', '/var/lib/cni true', '/var/lib/kubelet true',
    ]);
    // with the benchmark pinned, kube-bench needs neither kubectl from the host nor the API.
    expect(pod.volumes.map((v: any) => v.hostPath?.path)).not.toContain('/usr/bin');
    expect(pod.tolerations).toBeUndefined();
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 7 * 86400 });
    expect(container.resources.limits.memory).toBe('256Mi');
  });

  test('the namespace: privileged enforce on a reasoned, expiring exception; baseline audit and warn; no network at all', () => {
    const { objects } = scan();
    const namespace = objects.find((o) => o.kind === 'Namespace');
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/warn': 'baseline',
    });
    expect(namespace.metadata.annotations).toEqual({
      [`ignore-check.cdk8s-hardened.io/${RuleIds.NAMESPACE_PSA_LABELS}`]: EXCEPTION.reason,
      [`ignore-check-expires.cdk8s-hardened.io/${RuleIds.NAMESPACE_PSA_LABELS}`]: EXCEPTION.expires,
    });
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((p) => p.metadata.name).sort();
    expect(policies).toEqual(['default-deny', 'quarantine-deny-all']);
    const evaluator = new NetworkPolicyEvaluator(objects, namespacesFromManifests(objects));
    const pod = { name: 'kube-bench', namespace: 'cis-scan', labels: podOf(workload(objects)).metadata.labels };
    expect(evaluator.allowed(pod, { name: 'dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, 53, 'UDP')).toBe(false);
    expect(evaluator.allowed(pod, '203.0.113.10', 443)).toBe(false);
    expect(evaluator.allowed({ name: 'x', namespace: 'other', labels: {} }, pod, 8080)).toBe(false);
    expect(objects.find((o) => o.kind === 'ResourceQuota').spec.hard).toEqual({ pods: '2' });
    expect(objects.filter((o) => o.kind === 'ServiceAccount').every((a) => a.automountServiceAccountToken === false)).toBe(true);
    expect(objects.filter((o) => ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].includes(o.kind))).toEqual([]);
  });

  test('the checker reports the pod only through reasoned suppressions, each with the expiry', () => {
    const { chart } = scan();
    const report = checkManifests(manifestsOf(chart), { pack: 'hardened', now: NOW });
    expect(report.findings.filter((f) => !f.suppressed)).toEqual([]);
    expect([...new Set(report.findings.map((f) => `${f.ruleId} ${f.kind}`))].sort()).toEqual([
      'container-root-group Job', 'namespace-psa-labels Namespace', 'pss-host-namespaces Job', 'pss-restricted-volumes Job', 'pss-run-as-non-root Job', 'pss-run-as-user Job',
    ]);
    for (const finding of report.findings) expect((finding.reason ?? '').length).toBeGreaterThanOrEqual(10);
    const annotations = workload(Testing.synth(chart)).metadata.annotations;
    const rules = [
      RuleIds.PSS_HOST_NAMESPACES, RuleIds.PSS_HOST_PATH_VOLUMES, RuleIds.PSS_RESTRICTED_VOLUMES,
      RuleIds.PSS_RUN_AS_NON_ROOT, RuleIds.PSS_RUN_AS_USER,
    ];
    for (const rule of rules) {
      expect(annotations[`ignore-check-expires.cdk8s-hardened.io/${rule}`]).toBe(EXCEPTION.expires);
    }
  });

  test('after the expiry the checker reports the suppressions as expired', () => {
    const { chart } = scan();
    const report = checkManifests(manifestsOf(chart), { pack: 'hardened', now: new Date('2027-04-01T00:00:00Z') });
    expect(report.findings.filter((f) => f.ruleId === RuleIds.SUPPRESSION_EXPIRED).length).toBeGreaterThan(0);
  });

  test('every object is valid against the Kubernetes schema', () => {
    for (const objects of [scan().objects, scan({ schedule: Cron.daily(), targets: [KubeBenchTarget.ETCD] }).objects]) {
      expect(validateAgainstSchema(objects).validated).toBe(objects.length);
    }
  });

  test('fails after the exception expired, naming the date and the fix', () => {
    expect(() => scan({ today: '2027-04-01' })).toThrow(
      'privilegedNamespace expired on 2027-03-31 (today is 2027-04-01; reason was "CIS evidence for the quarterly compliance review"): review whether it is still needed, then set a new expires date, or remove what it allows');
    expect(() => scan({ today: '2027-03-31' })).not.toThrow();
  });

  test('fails without an expiry, without a reason, and on bad input', () => {
    expect(() => scan({ privilegedNamespace: { reason: EXCEPTION.reason } as never })).toThrow(/privilegedNamespace.expires is missing: this exception must end/);
    expect(() => scan({ privilegedNamespace: { reason: 'because', expires: '2027-01-01' } })).toThrow(/privilegedNamespace.reason is "because"/);
    expect(() => scan({ privilegedNamespace: { reason: EXCEPTION.reason, expires: '31.03.2027' } })).toThrow(/privilegedNamespace.expires is "31.03.2027"/);
    expect(() => scan({ privilegedNamespace: undefined as never })).toThrow(/privilegedNamespace is missing/);
    expect(() => scan({ benchmark: 'latest' })).toThrow(/benchmark is "latest": name a kube-bench benchmark/);
    expect(() => scan({ targets: [] })).toThrow(/targets is empty/);
    expect(() => scan({ targets: ['policies' as KubeBenchTarget] })).toThrow(/targets has "policies"/);
    expect(() => scan({ image: 'docker.io/aquasec/kube-bench:latest' })).toThrow(/image is "docker.io\/aquasec\/kube-bench:latest": pin it by digest/);
    expect(() => scan({ keepResults: Duration.millis(1500) })).toThrow();
    expect(() => scan({ namespace: 'CIS' })).toThrow(/namespace/);
    expect(() => scan({ today: 'tomorrow' })).toThrow(/today is "tomorrow"/);
  });

  test('labels select the scan pod and nothing else', () => {
    const pod = podOf(workload(scan().objects));
    expect(pod.metadata.labels).toEqual({ [Labels.NAME]: 'kube-bench', [Labels.COMPONENT]: 'cis-scan', [Labels.MANAGED_BY]: 'cdk8s-hardened' });
  });
});

describe('expiring exceptions |', () => {
  test('hold through their last day and fail after it', () => {
    expect(() => validateExpiringException('x', { reason: EXCEPTION.reason, expires: '2026-12-01' }, '2026-12-01')).not.toThrow();
    expect(() => validateExpiringException('x', { reason: EXCEPTION.reason, expires: '2026-11-30' }, '2026-12-01')).toThrow(/^x expired on 2026-11-30/);
  });

  test('today is the UTC date', () => {
    expect(todayUtc(new Date('2026-12-01T23:59:59-05:00'))).toBe('2026-12-02');
  });
});
