/**
 * The places where careful CEL ports of PSS drift from Pod Security Admission (measured on
 * Kyverno's pod-security-cel: Windows relaxation, seccomp unset, `add: []`, `drop: [ALL, ALL]`,
 * pod-level runAsNonRoot false, AppArmor), plus ephemeral containers and the defaulting traps:
 * each pod's restricted verdict is asserted directly, and twin and checker must agree on it.
 */
import { checkerFails, policiesOf, shaped, SHAPES, twinDecision } from './agreement';
import { asController } from './api-defaulting';
import { ManifestIndex } from '../../src/checker/context';
import { ruleById } from '../../src/checker/rules';
import type { KubeObject } from '../../src/checker/types';

const RESTRICTED_CONTAINER = {
  name: 'app',
  image: 'registry.example.com/app:1.0',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};

function pod(spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'corner', namespace: 'app', ...(annotations ? { annotations } : {}) },
    spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [RESTRICTED_CONTAINER], ...spec },
  };
}

const withContainer = (securityContext: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  pod({ containers: [{ ...RESTRICTED_CONTAINER, securityContext: { ...RESTRICTED_CONTAINER.securityContext, ...securityContext }, ...extra }] });

const CASES: [string, KubeObject, 'pass' | 'fail', 'pass' | 'fail'][] = [
  // name, pod, raw verdict, defaulted verdict
  ['compliant pod', pod({}), 'pass', 'pass'],
  ['add: [] with drop ALL', withContainer({ capabilities: { drop: ['ALL'], add: [] } }), 'pass', 'pass'],
  ['drop: [ALL, ALL]', withContainer({ capabilities: { drop: ['ALL', 'ALL'] } }), 'pass', 'pass'],
  ['drop: [all] (case-sensitive)', withContainer({ capabilities: { drop: ['all'] } }), 'fail', 'fail'],
  ['add NET_BIND_SERVICE', withContainer({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), 'pass', 'pass'],
  ['pod runAsNonRoot false, container true', pod({ securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ ...RESTRICTED_CONTAINER, securityContext: { ...RESTRICTED_CONTAINER.securityContext, runAsNonRoot: true } }] }), 'fail', 'fail'],
  ['seccomp unset everywhere', pod({ securityContext: { runAsNonRoot: true } }), 'fail', 'fail'],
  ['seccomp only on the container', pod({ securityContext: { runAsNonRoot: true }, containers: [{ ...RESTRICTED_CONTAINER, securityContext: { ...RESTRICTED_CONTAINER.securityContext, seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } }] }), 'pass', 'pass'],
  ['pod seccomp Unconfined, container RuntimeDefault', pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } }, containers: [{ ...RESTRICTED_CONTAINER, securityContext: { ...RESTRICTED_CONTAINER.securityContext, seccompProfile: { type: 'RuntimeDefault' } } }] }), 'fail', 'fail'],
  ['Windows pod without the Linux-only fields', pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] }), 'pass', 'pass'],
  ['Windows pod still needs runAsNonRoot', pod({ os: { name: 'windows' }, securityContext: {}, containers: [{ name: 'app', image: 'registry.example.com/app:1.0' }] }), 'fail', 'fail'],
  ['AppArmor unconfined', pod({}, { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }), 'fail', 'fail'],
  ['AppArmor localhost profile', pod({}, { 'container.apparmor.security.beta.kubernetes.io/app': 'localhost/k8s-app' }), 'pass', 'pass'],
  ['privileged ephemeral container', pod({ ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }] }), 'fail', 'fail'],
  ['ephemeral container without drop ALL', pod({ ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false } }] }), 'fail', 'fail'],
  ['volume with no source (defaulted to emptyDir)', pod({ volumes: [{ name: 'scratch' }] }), 'pass', 'pass'],
  ['runAsUser 0 on the pod', pod({ securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } }), 'fail', 'fail'],
  ['sysctl from 1.27 (ip_local_reserved_ports)', pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1024' }] } }), 'pass', 'pass'],
];

const restricted = policiesOf('pss-restricted');

describe.each(CASES)('%s', (_name, podObject, rawVerdict, defaultedVerdict) => {
  test.each(['Pod', 'Deployment', 'CronJob'] as const)('as a %s: restricted verdict as PSA gives it, twin and checker agreeing rule by rule', (kind) => {
    const object = kind === 'Pod' ? podObject : asController(podObject, kind);
    for (const shape of SHAPES) {
      const inShape = shaped(object, shape);
      const context = new ManifestIndex([inShape]);
      let twinFails = false;
      let checkerFailsAny = false;
      for (const [ruleId, policy] of restricted) {
        const rule = ruleById(ruleId)!;
        const decision = twinDecision(rule, policy, inShape)!;
        expect({ ruleId, shape, errors: decision.errors }).toEqual({ ruleId, shape, errors: [] });
        const checker = checkerFails(rule, inShape, context);
        expect({ ruleId, shape, twinDenies: !decision.admitted }).toEqual({ ruleId, shape, twinDenies: checker });
        twinFails ||= !decision.admitted;
        checkerFailsAny ||= checker;
      }
      expect({ shape, verdict: twinFails ? 'fail' : 'pass' }).toEqual({ shape, verdict: shape === 'raw' ? rawVerdict : defaultedVerdict });
    }
  });
});

test('with hostNetwork, defaulting copies containerPort into hostPort: the hostPorts twin and rule both fail only the defaulted pod', () => {
  const object = pod({ hostNetwork: true, containers: [{ ...RESTRICTED_CONTAINER, ports: [{ containerPort: 8080 }] }] });
  const rule = ruleById('pss-host-ports')!;
  const policy = policiesOf('pss-baseline').get('pss-host-ports')!;
  for (const [shape, fails] of [['raw', false], ['defaulted', true]] as const) {
    const inShape = shaped(object, shape);
    expect(twinDecision(rule, policy, inShape)!.admitted).toBe(!fails);
    expect(checkerFails(rule, inShape, new ManifestIndex([inShape]))).toBe(fails);
  }
});
