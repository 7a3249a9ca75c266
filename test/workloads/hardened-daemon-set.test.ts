import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { checkManifests, HardenedDaemonSet, HardenedDaemonSetProps, manifestsOf } from '../../src';
import { appWithNamespaces, TEST_NAMESPACE } from '../support/hardened-app';
import { validateAgainstSchema } from '../support/schema';
import { IMAGE } from '../support/workload-kinds';

const REASON = 'ships the node\'s container logs';
const NOW = new Date('2026-12-01T00:00:00Z');

function synth(props: Partial<HardenedDaemonSetProps> = {}) {
  const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
  const agent = new HardenedDaemonSet(chart, 'agent', { containers: [{ image: IMAGE }], ...props });
  const objects = Testing.synth(chart);
  validateAgainstSchema(objects);
  const daemonSet = objects.find((o: any) => o.kind === 'DaemonSet');
  const report = checkManifests(manifestsOf(chart), { pack: 'hardened', now: NOW });
  const findings = report.findings.filter((f) => f.ruleId !== 'container-probes' && f.ruleId !== 'suppression-unused');
  return { agent, objects, daemonSet, pod: daemonSet.spec.template.spec, findings };
}

describe('HardenedDaemonSet |', () => {
  test('host paths are read-only mounts in every container, each reason in the annotation', () => {
    const { pod, daemonSet, findings, objects } = synth({
      hostPaths: [
        { path: '/var/log/pods', reason: REASON },
        { path: '/var/lib/docker/containers', mountPath: '/docker-logs', reason: 'older nodes keep logs here', expires: '2027-06-30' },
      ],
      initContainers: [{ name: 'wait', image: IMAGE }],
    });
    expect(pod.volumes.filter((v: any) => v.hostPath)).toEqual([
      { name: 'host-var-log-pods', hostPath: { path: '/var/log/pods', type: 'Directory' } },
      { name: 'host-var-lib-docker-containers', hostPath: { path: '/var/lib/docker/containers', type: 'Directory' } },
    ]);
    for (const container of [...pod.containers, ...pod.initContainers]) {
      expect(container.volumeMounts).toEqual(expect.arrayContaining([
        { mountPath: '/var/log/pods', name: 'host-var-log-pods', readOnly: true },
        { mountPath: '/docker-logs', name: 'host-var-lib-docker-containers', readOnly: true },
      ]));
    }
    const reason = `/var/log/pods: ${REASON}; /var/lib/docker/containers: older nodes keep logs here`;
    expect(daemonSet.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/pss-host-path-volumes': reason,
      'ignore-check.cdk8s-hardened.io/pss-restricted-volumes': reason,
      'ignore-check-expires.cdk8s-hardened.io/pss-host-path-volumes': '2027-06-30',
      'ignore-check-expires.cdk8s-hardened.io/pss-restricted-volumes': '2027-06-30',
    });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.suppressed && f.ruleId === 'pss-restricted-volumes')).toBe(true);
    expect(objects).toMatchSnapshot();
  });

  test('hostNetwork, hostPID and tolerations are reasoned exceptions', () => {
    const { pod, daemonSet, findings } = synth({
      exceptions: {
        hostNetwork: { reason: 'reports node network metrics' },
        hostPID: { reason: 'reads per-process statistics' },
        tolerations: { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], reason: 'collects metrics on control-plane nodes too' },
      },
    });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(daemonSet.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/pss-host-namespaces': 'hostNetwork: reports node network metrics; hostPID: reads per-process statistics',
      'declared.cdk8s-hardened.io/tolerations': 'collects metrics on control-plane nodes too',
    });
    expect([...new Set(findings.map((f) => `${f.ruleId} ${f.suppressed}`))]).toEqual(['pss-host-namespaces true']);
  });

  test('a runtime socket needs its own exception on top of the path\'s reason', () => {
    const hostPaths = [{ path: '/run/containerd/containerd.sock', type: kplus.HostPathVolumeType.SOCKET, reason: 'lists the containers of the node' }];
    expect(() => synth({ hostPaths })).toThrow(/hostPaths\[0\]\.path is "\/run\/containerd\/containerd\.sock": it is the runtime socket containerd\.sock, which gives root on the node; .*exceptions\.runtimeSocket/);
    const { daemonSet, findings } = synth({ hostPaths, exceptions: { runtimeSocket: { reason: 'the scanner inventories running images' } } });
    expect(daemonSet.metadata.annotations['ignore-check.cdk8s-hardened.io/host-path-cri-socket']).toBe('the scanner inventories running images');
    expect(findings.every((f) => f.suppressed)).toBe(true);
    expect(findings.map((f) => f.ruleId)).toContain('host-path-cri-socket');
  });

  test('the construct refuses a writable mount of a declared host path added through resource', () => {
    const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
    const agent = new HardenedDaemonSet(chart, 'agent', { containers: [{ image: IMAGE }], hostPaths: [{ path: '/var/log', reason: REASON }] });
    const volume = kplus.Volume.fromHostPath(agent, 'again', 'host-var-log-rw', { path: '/var/log' });
    agent.resource.containers[0].mount('/logs-rw', volume);
    expect(() => Testing.synth(chart)).toThrow(/container "main" mounts hostPath volume "host-var-log-rw" \(\/var\/log\) writable/);
  });

  test.each([
    ['the node root', { hostPaths: [{ path: '/', reason: REASON }] }, /hostPaths\[0\]\.path is "\/": the whole node filesystem is never mounted/],
    ['a relative path', { hostPaths: [{ path: 'var/log', reason: REASON }] }, /hostPaths\[0\]\.path is "var\/log": use an absolute, normalized node path/],
    ['a path with ..', { hostPaths: [{ path: '/var/log/../../etc', reason: REASON }] }, /use an absolute, normalized node path/],
    ['a duplicate path', { hostPaths: [{ path: '/var/log', reason: REASON }, { path: '/var/log', reason: REASON }] }, /hostPaths\[1\]\.path is "\/var\/log" again/],
    ['a short reason', { hostPaths: [{ path: '/var/log', reason: 'logs' }] }, /hostPaths\[0\]\.reason is "logs"/],
    ['/var/run, which holds runtime sockets', { hostPaths: [{ path: '/var/run', reason: REASON }] }, /the directory holds the runtime socket/],
    ['a runtimeSocket exception without a socket', { hostPaths: [{ path: '/var/log', reason: REASON }], exceptions: { runtimeSocket: { reason: REASON } } }, /exceptions\.runtimeSocket is set but no hostPaths entry is a runtime socket/],
    ['empty tolerations', { exceptions: { tolerations: { tolerations: [], reason: REASON } } }, /exceptions\.tolerations\.tolerations is empty/],
    ['Exists with a value', { exceptions: { tolerations: { tolerations: [{ key: 'a', operator: 'Exists', value: 'b' }], reason: REASON } } }, /has operator Exists and a value/],
    ['a short hostNetwork reason', { exceptions: { hostNetwork: { reason: 'net' } } }, /exceptions\.hostNetwork\.reason is "net"/],
  ])('fails on %s', (_case, props, message) => {
    expect(() => synth(props as Partial<HardenedDaemonSetProps>)).toThrow(message);
  });

  test('addVolume refuses hostPath even on a DaemonSet: host paths are declared with a reason', () => {
    const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
    const agent = new HardenedDaemonSet(chart, 'agent', { containers: [{ image: IMAGE }] });
    expect(() => agent.addVolume(kplus.Volume.fromHostPath(agent, 'v', 'v', { path: '/var/log' }))).toThrow(/addVolume got hostPath volume "v"/);
  });
});
