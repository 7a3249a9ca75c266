import { compare, policiesOf, shaped } from './agreement';
import { lintPolicies } from './cel-portability';
import { decide } from './vap-evaluator';
import { CONTROL_PLANE_USERS, generateAdmissionPolicies, RULE_ID_ANNOTATION } from '../../src/admission/admission-policies';
import { MIN_KUBERNETES_MINOR } from '../../src/admission/cel-versions';
import { ADMISSION_TWINS } from '../../src/admission/twins';
import { ManifestIndex } from '../../src/checker/context';
import { ruleById } from '../../src/checker/rules';
import type { KubeObject } from '../../src/checker/types';

const policies = generateAdmissionPolicies({ pack: 'hardened', validationActions: ['Deny'] }).policies;
const policy = (ruleId: string) => policies.find((candidate) => (candidate.metadata as any).annotations[RULE_ID_ANNOTATION] === ruleId)!;
const WILDCARD_ROLE: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
};

test('the RBAC twins judge users, but not the API server and the aggregation controller reconciling built-in roles', () => {
  expect(decide(policy('rbac-wildcard'), WILDCARD_ROLE, { operation: 'UPDATE', userInfo: { username: 'jane@example.com' } }).admitted).toBe(false);
  for (const username of CONTROL_PLANE_USERS) {
    expect(decide(policy('rbac-wildcard'), WILDCARD_ROLE, { operation: 'UPDATE', userInfo: { username } })).toMatchObject({ matched: false, admitted: true });
  }
});

test('every generated policy at every target minor from 1.28 passes the portability lint for that minor', () => {
  for (let minor = MIN_KUBERNETES_MINOR; minor <= 35; minor++) {
    const generated = generateAdmissionPolicies({ pack: 'hardened', validationActions: ['Deny'], minSeverity: 'info', kubernetesMinor: minor });
    expect({ minor, problems: lintPolicies(generated.policies, minor) }).toEqual({ minor, problems: [] });
  }
});

test('every twin\'s CEL compiles at its declared floor', () => {
  for (const [ruleId, twin] of Object.entries(ADMISSION_TWINS)) {
    if (twin?.twin !== 'cel') continue;
    const generated = generateAdmissionPolicies({ pack: 'hardened', validationActions: ['Deny'], minSeverity: 'info', kubernetesMinor: twin.minKubernetesMinor ?? MIN_KUBERNETES_MINOR });
    const own = generated.policies.filter((candidate) => (candidate.metadata as any).annotations[RULE_ID_ANNOTATION] === ruleId);
    expect({ ruleId, problems: lintPolicies(own, twin.minKubernetesMinor ?? MIN_KUBERNETES_MINOR) }).toEqual({ ruleId, problems: [] });
  }
});

test('the rules without a twin are listed as skipped with their reason', () => {
  const { skipped } = generateAdmissionPolicies({ pack: 'hardened', validationActions: ['Warn', 'Audit'] });
  expect(skipped.map((entry) => entry.ruleId)).toEqual(expect.arrayContaining(['netpol-metadata-reachable', 'host-path-cri-socket', 'container-probes']));
  expect(skipped.find((entry) => entry.ruleId === 'container-probes')!.reason).toBe('severity info is below warning');
});

test.each([
  [['Deny', 'Warn'], /validationActions is \["Deny","Warn"\]: the API server rejects Deny together with Warn/],
  [[], /validationActions is \[\]/],
  [['Block'], /validationActions contains "Block": use Deny, Warn or Audit/],
])('refuses validationActions %j', (actions, message) => {
  expect(() => generateAdmissionPolicies({ validationActions: actions as any })).toThrow(message);
});

describe('Pod updates are judged as Pod Security Admission judges them', () => {
  const legacy: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'legacy', namespace: 'app', labels: { tier: 'old' } },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1.0', securityContext: { privileged: true } }] },
  };
  const relabelled = { ...legacy, metadata: { ...(legacy.metadata as object), labels: { tier: 'new' } } };
  const reimaged = { ...legacy, spec: { containers: [{ ...(legacy.spec as any).containers[0], image: 'registry.example.com/app:1.1' }] } };
  const debugged = { ...legacy, spec: { ...(legacy.spec as object), ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36' }] } };
  const privileged = policy('pss-privileged');

  test('a metadata-only update of a pod admitted earlier is not judged', () => {
    expect(decide(privileged, relabelled, { operation: 'UPDATE', oldObject: legacy })).toMatchObject({ matched: false, admitted: true });
  });
  test('an image change, an ephemeral container and every CREATE are judged', () => {
    expect(decide(privileged, reimaged, { operation: 'UPDATE', oldObject: legacy }).admitted).toBe(false);
    expect(decide(privileged, debugged, { operation: 'UPDATE', subResource: 'ephemeralcontainers', oldObject: legacy }).admitted).toBe(false);
    expect(decide(privileged, legacy, { operation: 'CREATE' }).admitted).toBe(false);
  });
  test('controllers are judged on every update', () => {
    const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: legacy.spec } } };
    expect(decide(privileged, deployment, { operation: 'UPDATE', oldObject: deployment }).admitted).toBe(false);
  });
});

test('wrong-typed pod specs get the checker\'s verdict from every twin (list items that are not mappings, lists that are not lists)', () => {
  const good = { name: 'app', image: `registry.example.com/app:1.0@sha256:${'a'.repeat(64)}` };
  const specs = [
    { containers: ['x', good] },
    { containers: [good], initContainers: [7] },
    { containers: [{ ...good, securityContext: [] }] },
    { containers: [{ ...good, resources: { limits: [] } }] },
    { containers: [{ ...good, ports: [{ containerPort: 80, hostPort: '80' }] }] },
    { containers: [good], volumes: ['x'] },
  ];
  const all = policiesOf('hardened');
  const disagreements = specs.flatMap((spec, index) => {
    const object = shaped({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `odd-${index}`, namespace: 'app' }, spec }, 'raw');
    const context = new ManifestIndex([object]);
    return [...all].flatMap(([ruleId, candidate]) => compare(ruleById(ruleId)!, candidate, object, context, `spec ${index}`) ?? []);
  });
  expect(disagreements).toEqual([]);
});
