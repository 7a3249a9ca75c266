/**
 * The hardened pack's extra rules against their fixtures, object by object: every object of the
 * rule's kinds named `fire-*` must be reported and every `dont-fire-*` one must not; objects of
 * other kinds are context only (ServiceAccounts, NetworkPolicies for namespace rules). Messages and
 * paths are snapshotted per fixture so they are reviewed.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { fixtureConfig } from './fixture-files';
import { HARDENED_EXTRA_RULES } from '../../src/checker/rules/hardened-rules';
import { nameOf, namespaceOf } from '../../src/checker/rules/rule-helpers';
import type { CheckContext, KubeObject, Rule } from '../../src/checker/types';
import { isNodeConfig } from '../../src/model/control-plane-settings';
import type { ImagePolicySettings } from '../../src/model/image-policy';
import { META_RULE_IDS, RuleIds } from '../../src/model/rule-ids';

const FIXTURES = path.join(__dirname, 'fixtures');

/** the CheckContext lookups, indexed once by kind and namespace. */
function contextOf(objects: readonly KubeObject[], imagePolicy?: ImagePolicySettings): CheckContext {
  const byNamespace = new Map<string, KubeObject[]>();
  const key = (kind: unknown, namespace: string | undefined) => `${String(kind)}|${namespace ?? ''}`;
  for (const object of objects) {
    const listKey = key(object.kind, namespaceOf(object));
    byNamespace.set(listKey, [...(byNamespace.get(listKey) ?? []), object]);
  }
  return {
    objectsOf: (kind, namespace) => byNamespace.get(key(kind, namespace)) ?? [],
    find: (kind, namespace, name) => (byNamespace.get(key(kind, namespace)) ?? []).find((object) => nameOf(object) === name),
    namespaces: () => [...new Set(objects.map(namespaceOf).filter((namespace): namespace is string => !!namespace))].sort(),
    imagePolicy,
  };
}

function fixtureFiles(ruleId: string): string[] {
  const directory = path.join(FIXTURES, ruleId);
  // config.yaml holds the settings the fixtures are judged with, not manifests.
  return fs.existsSync(directory) ? fs.readdirSync(directory).filter((file) => file.endsWith('.yaml') && file !== 'config.yaml').sort() : [];
}

function loadFixture(ruleId: string, file: string): KubeObject[] {
  return yaml.loadAll(fs.readFileSync(path.join(FIXTURES, ruleId, file), 'utf8')) as KubeObject[];
}

describe.each(HARDENED_EXTRA_RULES.map((rule) => [rule.id, rule] as const))('%s fixtures', (ruleId, rule) => {
  const files = fixtureFiles(ruleId);

  test('has at least one pass and one fail fixture with a variant name', () => {
    expect(files.some((file) => /^pass\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
    expect(files.some((file) => /^fail\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
    expect(files.every((file) => /^(pass|fail)\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
  });

  test.each(files)('%s: fire-* objects are reported, dont-fire-* objects are not', (file) => {
    const documents = loadFixture(ruleId, file);
    const context = contextOf(documents, fixtureConfig(ruleId).imagePolicy);
    const checked = documents.filter((object) => rule.kinds.includes(String(object.kind)));
    expect(checked.length).toBeGreaterThan(0);
    const byObject: Record<string, unknown> = {};
    for (const object of checked) {
      // node configuration files have no metadata.name: the fixture's file name says whether they fire.
      const name = nameOf(object) || (isNodeConfig(object) ? `${file.startsWith('fail.') ? 'fire' : 'dont-fire'}-${file}` : '');
      const before = JSON.stringify(object);
      const violations = rule.check(object, context);
      expect(JSON.stringify(object)).toBe(before);
      for (const violation of violations) {
        expect(violation.message).not.toBe('');
        expect(violation.path).toMatch(/^[A-Za-z]/);
      }
      if (name.startsWith('fire-')) {
        expect({ name, fired: violations.length > 0 }).toEqual({ name, fired: true });
      } else {
        expect(name.startsWith('dont-fire-')).toBe(true);
        expect({ name, violations }).toEqual({ name, violations: [] });
      }
      byObject[`${String(object.kind)}/${name}`] = violations;
    }
    const fired = checked.some((object) => nameOf(object).startsWith('fire-') || (isNodeConfig(object) && !nameOf(object) && file.startsWith('fail.')));
    expect(fired).toBe(file.startsWith('fail.'));
    expect(byObject).toMatchSnapshot();
  });
});

describe('hardened extra rules |', () => {
  test('cover every non-PSS rule id once, in RuleIds order', () => {
    const expected = Object.values(RuleIds).filter((id) => !id.startsWith('pss-') && !META_RULE_IDS.includes(id));
    expect(HARDENED_EXTRA_RULES.map((rule) => rule.id)).toEqual(expected);
  });

  test.each(HARDENED_EXTRA_RULES.map((rule) => [rule.id, rule] as const))('%s carries complete metadata', (_id, rule: Rule) => {
    expect(rule.title).not.toBe('');
    expect(rule.description).toMatch(/^Indicates when .+\.$/);
    expect(rule.remediation).toMatch(/^[A-Z].+\.$/);
    expect(rule.kinds.length).toBeGreaterThan(0);
    expect(['error', 'warning', 'info']).toContain(rule.severity);
    expect(fs.existsSync(path.join(__dirname, '../../src/checker/rules', areaOf(rule.id), `${rule.id}.ts`))).toBe(true);
  });

  test('severities follow the mission: hygiene, tags, digests, create-pods, node ports, load balancers, env secrets, kubelet hardening and the default namespace are warnings, probes info', () => {
    const warnings = HARDENED_EXTRA_RULES.filter((rule) => rule.severity === 'warning').map((rule) => rule.id).sort();
    expect(warnings).toEqual([
      'container-memory-limit', 'container-requests', 'container-root-group', 'container-writable-root', 'default-namespace',
      'image-digest-missing', 'image-tag-latest', 'kubelet-config-weak', 'rbac-create-pods', 'secret-in-env', 'service-load-balancer', 'service-node-port',
    ]);
  });
});

function areaOf(ruleId: string): string {
  if (ruleId.startsWith('namespace-')) return 'namespace';
  if (ruleId.startsWith('netpol-')) return 'network';
  if (ruleId.startsWith('rbac-')) return 'rbac';
  if (ruleId.startsWith('workload-')) return 'identity';
  if (ruleId.startsWith('image-')) return 'supply-chain';
  if (ruleId === 'default-namespace') return 'namespace';
  if (ruleId === 'service-load-balancer' || ruleId.startsWith('ingress-')) return 'exposure';
  if (ruleId === 'pv-host-path' || ruleId.startsWith('secret-') || ruleId.startsWith('cluster-secret-store-')) return 'storage';
  if (/^(kubelet-config|kubeadm-|encryption-config|audit-policy|authentication-)/.test(ruleId)) return 'node-config';
  return 'hygiene';
}

describe('hardened extra rules on malformed input |', () => {
  const malformed: unknown[] = [undefined, null, 7, 'x', [], {}, [1, 'x', {}], { a: [] }, true];
  const shapes = (kind: string): KubeObject[] => malformed.flatMap((value) => [
    { apiVersion: 'v1', kind, metadata: value },
    { apiVersion: 'v1', kind, metadata: { name: 'm', namespace: 'n' }, spec: value, rules: value, roleRef: value, subjects: value, data: value, stringData: value, sops: value },
    { apiVersion: 'v1', kind, metadata: { name: 'm', namespace: 'n' }, spec: { provider: { vault: { auth: value }, aws: value } }, data: { k: value }, stringData: { k: value } },
    { apiVersion: 'v1', kind, metadata: { name: 'm', namespace: 'n', labels: value }, spec: { template: { spec: { containers: value, initContainers: [value], volumes: [{ hostPath: value }], automountServiceAccountToken: value } } } },
    { apiVersion: 'v1', kind, metadata: { name: 'm' }, spec: { containers: [{ name: 'c', image: value, securityContext: value, resources: { limits: value, requests: value } }], egress: [{ to: value, ports: value }, { to: [{ ipBlock: { cidr: value, except: value } }], ports: [{ port: value, protocol: value, endPort: value }] }], policyTypes: value, podSelector: value, type: 'LoadBalancer', ports: [{ nodePort: value }], externalIPs: value } },
    { apiVersion: 'v1', kind, metadata: { name: 'm' }, rules: [{ verbs: value, resources: value, apiGroups: value }, value] },
  ]);
  const context = {
    objectsOf: () => [{ kind: 'NetworkPolicy', spec: 'x' }, { kind: 'NetworkPolicy' }] as KubeObject[],
    find: () => ({ kind: 'ServiceAccount', automountServiceAccountToken: 'x' }) as KubeObject,
    namespaces: () => ['n'],
  };

  test.each(HARDENED_EXTRA_RULES.map((rule) => [rule.id, rule] as const))('%s never throws on wrong-typed fields', (_id, rule: Rule) => {
    for (const kind of rule.kinds) {
      for (const object of shapes(kind)) {
        const violations = rule.check(object, context);
        expect(Array.isArray(violations)).toBe(true);
        for (const violation of violations) {
          expect(typeof violation.message).toBe('string');
          expect(typeof violation.path).toBe('string');
        }
      }
    }
  });
});

/**
 * Kyverno's best-practice tests as a second oracle for the checks both tools have. An object fails
 * when any mapped rule reports it. Where the verdicts differ on purpose, the object is listed with
 * the reason; any other difference fails. Skipped when `../shared/corpus` is absent.
 */
describe('agreement with Kyverno best-practice tests |', () => {
  const corpus = path.join(__dirname, '../../../shared/corpus/kyverno-pss/best-practices');
  const policies: Record<string, string[]> = {
    'disallow-cri-sock-mount': ['host-path-cri-socket'],
    'disallow-latest-tag': ['image-tag-latest'],
    'require-image-checksum': ['image-digest-missing'],
    'require-pod-requests-limits': ['container-requests', 'container-memory-limit'],
    'require-probes': ['container-probes'],
    'require-ro-rootfs': ['container-writable-root'],
    'restrict-automount-sa-token': ['workload-token-automount'],
    'restrict-node-port': ['service-node-port'],
    'restrict-service-external-ips': ['service-external-ips'],
  };
  const divergences: Record<string, string> = {
    // kyverno accepts any one of readiness, liveness or startup; we want both readiness and liveness.
    'require-probes Pod/goodpod03': 'readiness probe only',
    'require-probes Pod/goodpod04': 'startup probe only',
    // kyverno's expected verdict is pass, yet the pod spec sets automountServiceAccountToken: true.
    'restrict-automount-sa-token Pod/policy-reporter': 'pod sets automountServiceAccountToken: true',
    'restrict-automount-sa-token Deployment/deploy-policy-reporter': 'pod template sets automountServiceAccountToken: true',
  };
  const available = fs.existsSync(corpus);

  (available ? test.each(Object.entries(policies)) : test.skip.each(Object.entries(policies)))('%s', (policy, ruleIds) => {
    const directory = path.join(corpus, policy);
    const expected = JSON.parse(fs.readFileSync(path.join(directory, 'expected.json'), 'utf8')) as { kind: string; name: string; result: string }[];
    const objects = (yaml.loadAll(fs.readFileSync(path.join(directory, 'resource.yaml'), 'utf8')) as KubeObject[]).filter((object) => object);
    const context = contextOf(objects);
    const kyvernoFails = new Map<string, boolean>();
    for (const entry of expected) {
      const key = `${entry.kind}/${entry.name}`;
      kyvernoFails.set(key, (kyvernoFails.get(key) ?? false) || entry.result === 'fail');
    }
    const rules = HARDENED_EXTRA_RULES.filter((rule) => ruleIds.includes(rule.id));
    const differences: string[] = [];
    for (const [key, kyvernoFailed] of kyvernoFails) {
      const object = objects.find((candidate) => `${String(candidate.kind)}/${nameOf(candidate)}` === key);
      expect(object).toBeDefined();
      const failed = rules.some((rule) => rule.kinds.includes(String(object!.kind)) && rule.check(object!, context).length > 0);
      if (failed !== kyvernoFailed) differences.push(`${policy} ${key}`);
    }
    expect(differences.sort()).toEqual(Object.keys(divergences).filter((key) => key.startsWith(`${policy} `)).sort());
    expect(kyvernoFails.size).toBeGreaterThan(0);
  });
});
