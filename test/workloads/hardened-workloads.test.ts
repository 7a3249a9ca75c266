import { Chart, Testing } from 'cdk8s';
import { checkManifests, HardenedWorkloadExceptions, manifestsOf } from '../../src';
import { appWithNamespaces, TEST_NAMESPACE } from '../support/hardened-app';
import { validateAgainstSchema } from '../support/schema';
import { podMetadataIn, podSpecIn, WORKLOAD_KINDS } from '../support/workload-kinds';

// what every kind shares through the hardened pod core; each kind's own file tests the rest.
const REASON = 'vendor image needs it until v3 ships';
const NOW = new Date('2026-12-01T00:00:00Z');

function build(kind: typeof WORKLOAD_KINDS[number], props: Parameters<typeof kind.build>[2] = {}) {
  const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
  const workload = kind.build(chart, 'app', props);
  const objects = Testing.synth(chart);
  validateAgainstSchema(objects);
  const object = objects.find((o: any) => o.kind === kind.kind);
  return { chart, workload, objects, object, pod: podSpecIn(object) };
}

describe.each(WORKLOAD_KINDS.map((kind) => [kind.kind, kind] as const))('%s | shared core', (_name, kind) => {
  test('zero-option output passes pss-restricted and hardened with no finding at all', () => {
    const { chart } = build(kind);
    for (const pack of ['pss-restricted', 'hardened'] as const) {
      const report = checkManifests(manifestsOf(chart), { pack, now: NOW });
      // container-probes is info: probes are the application's to define.
      expect(report.findings.filter((f) => f.ruleId !== 'container-probes')).toEqual([]);
    }
  });

  test('defaults field by field', () => {
    const { object, pod, objects } = build(kind);
    expect(object.metadata).toMatchObject({ name: 'app', namespace: TEST_NAMESPACE });
    expect(object.metadata.annotations).toBeUndefined();
    expect(podMetadataIn(object).labels).toEqual({ 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/managed-by': 'cdk8s-hardened' });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork).toBe(false);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostIPC).toBeUndefined();
    expect(pod.serviceAccountName).toBe('app');
    expect(pod.volumes.filter((v: any) => v.hostPath)).toEqual([]);
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].resources).toEqual({ limits: { memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ mountPath: '/tmp', name: 'writable-tmp' });
    const account = objects.find((o: any) => o.kind === 'ServiceAccount');
    expect(account.automountServiceAccountToken).toBe(false);
  });

  test('is a flow endpoint selected by stable labels only', () => {
    const { workload, object } = build(kind);
    expect(workload.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'app' });
    expect(workload.namespaceName).toBe(TEST_NAMESPACE);
    expect(JSON.stringify(object)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('addContainer and addInitContainer harden what they add', () => {
    const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
    const workload = kind.build(chart, 'app', {});
    workload.addContainer({ name: 'sidecar', image: 'registry.example.com/proxy@sha256:' + 'b'.repeat(64) });
    workload.addInitContainer({ name: 'setup', image: 'registry.example.com/setup@sha256:' + 'c'.repeat(64) });
    const pod = podSpecIn(Testing.synth(chart).find((o: any) => o.kind === kind.kind));
    const [main, sidecar] = pod.containers;
    expect(sidecar.securityContext).toEqual(main.securityContext);
    expect(pod.initContainers[0].securityContext).toEqual(main.securityContext);
    expect(sidecar.resources).toEqual(main.resources);
    expect(sidecar.volumeMounts).toContainEqual({ mountPath: '/tmp', name: 'writable-tmp' });
  });

  // each typed exception: exactly its annotation, and exactly the findings it suppresses.
  const exceptionCases: [keyof HardenedWorkloadExceptions, HardenedWorkloadExceptions, string[]][] = [
    ['runAsRoot', { runAsRoot: { reason: REASON } }, ['container-root-group', 'pss-run-as-non-root', 'pss-run-as-user']],
    ['allowPrivilegeEscalation', { allowPrivilegeEscalation: { reason: REASON } }, ['pss-allow-privilege-escalation']],
    ['capabilities', { capabilities: { add: ['NET_ADMIN'], reason: REASON } }, ['pss-capabilities-baseline', 'pss-capabilities-restricted']],
    ['writableRootFilesystem', { writableRootFilesystem: { reason: REASON } }, ['container-writable-root']],
    ['automountServiceAccountToken', { automountServiceAccountToken: { reason: REASON } }, ['workload-token-automount']],
  ];
  test.each(exceptionCases)('exception %s yields exactly its annotated, suppressed findings', (_prop, exceptions, ruleIds) => {
    const { chart, object } = build(kind, { exceptions });
    expect(Object.keys(object.metadata.annotations).sort()).toEqual(ruleIds.map((id) => `ignore-check.cdk8s-hardened.io/${id}`));
    const report = checkManifests(manifestsOf(chart), { pack: 'hardened', now: NOW });
    const findings = report.findings.filter((f) => f.ruleId !== 'container-probes' && f.ruleId !== 'suppression-unused');
    expect(findings.every((f) => f.suppressed)).toBe(true);
    // pss-capabilities-baseline is overridden by its restricted twin in the restricted packs, as PSA does.
    expect([...new Set(findings.map((f) => f.ruleId))].sort()).toEqual(ruleIds.filter((id) => id !== 'pss-capabilities-baseline'));
  });

  test('snapshot', () => {
    expect(build(kind).objects).toMatchSnapshot();
  });
});
