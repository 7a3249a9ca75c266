import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { POD_SPEC_KINDS } from '../../src/checker/pod-spec';
import {
  pssAllowPrivilegeEscalation, pssAppArmorProfile, pssCapabilitiesRestricted, pssHostPorts, pssPrivileged, pssRestrictedVolumes,
  pssRunAsNonRoot, pssSeccompProfileBaseline, pssSeccompProfileRestricted, PSS_BASELINE_RULES, PSS_RESTRICTED_RULES, PSS_RULES,
} from '../../src/checker/rules/pss';
import type { CheckContext, KubeObject, PssCheckId, Rule } from '../../src/checker/types';
import { RuleIds } from '../../src/model/rule-ids';

const EMPTY_CONTEXT: CheckContext = { objectsOf: () => [], find: () => undefined, namespaces: () => [] };

const ALL_CHECKS: PssCheckId[] = [
  'allowPrivilegeEscalation', 'appArmorProfile', 'capabilities_baseline', 'capabilities_restricted', 'hostNamespaces', 'hostPathVolumes',
  'hostPorts', 'privileged', 'procMount', 'restrictedVolumes', 'runAsNonRoot', 'runAsUser', 'seccompProfile_baseline',
  'seccompProfile_restricted', 'seLinuxOptions', 'sysctls', 'windowsHostProcess',
];

const RESTRICTED_CONTAINER = {
  name: 'app',
  image: 'registry.example.com/app:1.0',
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
};

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec };
}

function deployment(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: {}, template: { metadata: {}, spec } } };
}

function cronJob(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec } } } } };
}

function run(rules: readonly Rule[], object: KubeObject) {
  return rules.flatMap((rule) => rule.check(object, EMPTY_CONTEXT).map((violation) => ({ rule: rule.references.pss!.check, ...violation })));
}

describe('PSS rule registry', () => {
  test('holds one rule per PSA v1.28 check, each with its id from rule-ids', () => {
    expect(PSS_RULES).toHaveLength(17);
    expect(PSS_RULES.map((rule) => rule.references.pss!.check).sort()).toEqual([...ALL_CHECKS].sort());
    const pssIds = Object.entries(RuleIds).filter(([key]) => key.startsWith('PSS_')).map(([, id]) => id).sort();
    expect(PSS_RULES.map((rule) => rule.id).sort()).toEqual(pssIds);
  });

  test.each(PSS_RULES.map((rule) => [rule.id, rule] as const))('%s is documented and lives in a file named after its id', (id, rule) => {
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'src', 'checker', 'rules', 'pss', `${id}.ts`))).toBe(true);
    expect(rule.severity).toBe('error');
    expect(rule.title.length).toBeGreaterThan(3);
    expect(rule.description).toMatch(/^Indicates when .+\.$/);
    expect(rule.remediation).toMatch(/^[A-Z][a-z]+ .+\.$/);
    expect(rule.kinds).toEqual(POD_SPEC_KINDS);
    expect(rule.references.links).toEqual([`https://kubernetes.io/docs/concepts/security/pod-security-standards/#${rule.references.pss!.level}`]);
    for (const cis of rule.references.cis ?? []) expect(cis).toMatch(/^5\.\d+\.\d+$/);
    for (const nsa of rule.references.nsa ?? []) expect(nsa).toMatch(/^C-\d{4}$/);
  });

  test('baseline holds the 11 baseline checks', () => {
    expect(PSS_BASELINE_RULES).toHaveLength(11);
    expect(PSS_BASELINE_RULES.every((rule) => rule.references.pss!.level === 'baseline')).toBe(true);
  });

  test('restricted is baseline plus the 6 restricted checks, minus the 3 baseline checks they override', () => {
    const checks = PSS_RESTRICTED_RULES.map((rule) => rule.references.pss!.check).sort();
    expect(checks).toHaveLength(14);
    expect(checks).not.toContain('hostPathVolumes');
    expect(checks).not.toContain('seccompProfile_baseline');
    expect(checks).not.toContain('capabilities_baseline');
    expect(checks).toEqual(expect.arrayContaining([
      'restrictedVolumes', 'allowPrivilegeEscalation', 'runAsNonRoot', 'runAsUser', 'seccompProfile_restricted', 'capabilities_restricted',
    ]));
  });
});

describe('PSS rules on pod-template kinds', () => {
  test('name the container and the full dotted path inside a Deployment template', () => {
    const object = deployment({ initContainers: [{ name: 'init', securityContext: { privileged: true } }], containers: [{ name: 'app' }] });
    expect(pssPrivileged.check(object, EMPTY_CONTEXT)).toEqual([{
      message: 'container "init" sets privileged: true',
      path: 'spec.template.spec.initContainers[0].securityContext.privileged',
    }]);
  });

  test('reach the pod spec of a CronJob through its job template', () => {
    const object = cronJob({ containers: [{ name: 'app', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 0 }] }] });
    expect(pssHostPorts.check(object, EMPTY_CONTEXT)).toEqual([{
      message: 'container "app" sets hostPort: 8080',
      path: 'spec.jobTemplate.spec.template.spec.containers[0].ports[0].hostPort',
    }]);
  });

  test('read AppArmor annotations from the template metadata, not the controller metadata', () => {
    const annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    const onController: KubeObject = { ...deployment({ containers: [{ name: 'app' }] }), metadata: { name: 'd', annotations } };
    expect(pssAppArmorProfile.check(onController, EMPTY_CONTEXT)).toEqual([]);
    const onTemplate = deployment({ containers: [{ name: 'app' }] });
    ((onTemplate.spec as { template: { metadata: Record<string, unknown> } }).template.metadata).annotations = annotations;
    expect(pssAppArmorProfile.check(onTemplate, EMPTY_CONTEXT)).toEqual([{
      message: 'container "app" sets AppArmor profile "unconfined" via annotation container.apparmor.security.beta.kubernetes.io/app',
      path: 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]',
    }]);
  });

  test('skip objects of other kinds and objects without a pod spec', () => {
    for (const rule of PSS_RULES) {
      expect(rule.check({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { hostNetwork: true } }, EMPTY_CONTEXT)).toEqual([]);
      expect(rule.check({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }, EMPTY_CONTEXT)).toEqual([]);
    }
  });
});

describe('PSS restricted level', () => {
  test('a fully restricted pod passes every rule', () => {
    expect(run(PSS_RESTRICTED_RULES, pod({ containers: [RESTRICTED_CONTAINER] }))).toEqual([]);
  });

  test('a bare container fails exactly the four container-level restricted checks', () => {
    const found = run(PSS_RESTRICTED_RULES, pod({ containers: [{ name: 'app', image: 'app:1' }] })).map((violation) => violation.rule).sort();
    expect(found).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
  });

  test('Windows pods skip allowPrivilegeEscalation, seccomp and capabilities but not runAsNonRoot', () => {
    const found = run(PSS_RESTRICTED_RULES, pod({ os: { name: 'windows' }, containers: [{ name: 'app', image: 'app:1' }] }));
    expect(found).toEqual([{
      rule: 'runAsNonRoot',
      message: 'container "app" does not set runAsNonRoot: true and the pod does not either',
      path: 'spec.containers[0].securityContext.runAsNonRoot',
    }]);
  });

  test('the os name is case-sensitive: Windows is not windows', () => {
    const object = pod({ os: { name: 'Windows' }, containers: [{ ...RESTRICTED_CONTAINER, securityContext: { runAsNonRoot: true } }] });
    expect(pssAllowPrivilegeEscalation.check(object, EMPTY_CONTEXT)).toHaveLength(1);
  });

  test('an explicit pod-level runAsNonRoot: false fails although every container sets true', () => {
    const object = pod({ securityContext: { runAsNonRoot: false }, containers: [RESTRICTED_CONTAINER] });
    expect(pssRunAsNonRoot.check(object, EMPTY_CONTEXT)).toEqual([{ message: 'pod sets runAsNonRoot: false', path: 'spec.securityContext.runAsNonRoot' }]);
  });

  test('an explicit pod-level seccomp Unconfined fails at both levels although every container is fine', () => {
    const object = pod({ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [RESTRICTED_CONTAINER] });
    const expected = [{ message: 'pod sets seccompProfile.type: "Unconfined"', path: 'spec.securityContext.seccompProfile.type' }];
    expect(pssSeccompProfileRestricted.check(object, EMPTY_CONTEXT)).toEqual(expected);
    expect(pssSeccompProfileBaseline.check(object, EMPTY_CONTEXT)).toEqual(expected);
  });

  test('a seccompProfile without a type fails at both levels, as PSA compares the empty type', () => {
    const securityContext = { ...RESTRICTED_CONTAINER.securityContext, seccompProfile: {} };
    const object = pod({ containers: [{ ...RESTRICTED_CONTAINER, securityContext }] });
    const expected = [{ message: 'container "app" sets seccompProfile without a type', path: 'spec.containers[0].securityContext.seccompProfile.type' }];
    expect(pssSeccompProfileBaseline.check(object, EMPTY_CONTEXT)).toEqual(expected);
    expect(pssSeccompProfileRestricted.check(object, EMPTY_CONTEXT)).toEqual(expected);
  });

  test('ALL is case-sensitive', () => {
    const object = pod({ containers: [{ name: 'app', securityContext: { capabilities: { drop: ['all', 'All'] } } }] });
    expect(pssCapabilitiesRestricted.check(object, EMPTY_CONTEXT)).toEqual([{
      message: 'container "app" does not drop ALL capabilities',
      path: 'spec.containers[0].securityContext.capabilities.drop',
    }]);
  });

  test('a volume with no source counts as emptyDir; any other source must be allowed', () => {
    expect(pssRestrictedVolumes.check(pod({ containers: [RESTRICTED_CONTAINER], volumes: [{ name: 'scratch' }] }), EMPTY_CONTEXT)).toEqual([]);
    expect(pssRestrictedVolumes.check(pod({ containers: [RESTRICTED_CONTAINER], volumes: [{ name: 'd', cephfs: { monitors: [] } }] }), EMPTY_CONTEXT)).toEqual([{
      message: 'volume "d" uses the cephfs source, which the restricted level forbids',
      path: 'spec.volumes[0].cephfs',
    }]);
  });

  test('null fields count as unset, as the API decodes them', () => {
    const object = pod({ securityContext: null, volumes: null, containers: [{ ...RESTRICTED_CONTAINER, ports: null }], initContainers: null });
    expect(run(PSS_RESTRICTED_RULES, object)).toEqual([]);
  });
});

describe('wrong-typed fields', () => {
  test('a securityContext that is a list fails closed in every container-level check that reads it', () => {
    const object = pod({ containers: [{ name: 'app', securityContext: [] }] });
    const found = run(PSS_RESTRICTED_RULES, object);
    expect(found.map((violation) => violation.rule).sort()).toEqual([
      'allowPrivilegeEscalation', 'capabilities_restricted', 'privileged', 'procMount', 'runAsNonRoot', 'runAsUser', 'seLinuxOptions',
      'seccompProfile_restricted', 'windowsHostProcess',
    ]);
    expect(new Set(found.map((violation) => violation.message))).toEqual(new Set(['container "app": securityContext is not a mapping, so it cannot be verified']));
    expect(new Set(found.map((violation) => violation.path))).toEqual(new Set(['spec.containers[0].securityContext']));
  });

  test('containers that is not a list is reported by container-level checks, not thrown', () => {
    expect(pssPrivileged.check(pod({ containers: 'x' }), EMPTY_CONTEXT)).toEqual([{
      message: 'pod: containers is not a list, so it cannot be verified',
      path: 'spec.containers',
    }]);
  });

  test('ports that is a number is reported', () => {
    expect(pssHostPorts.check(pod({ containers: [{ name: 'app', ports: 7 }] }), EMPTY_CONTEXT)).toEqual([{
      message: 'container "app": ports is not a list, so it cannot be verified',
      path: 'spec.containers[0].ports',
    }]);
  });

  test('no rule throws or mutates on arbitrary values anywhere in the pod spec', () => {
    const deepFreeze = <T>(value: T): T => {
      if (value && typeof value === 'object') {
        Object.values(value as object).forEach(deepFreeze);
        Object.freeze(value);
      }
      return value;
    };
    const field = fc.oneof(fc.anything({ maxDepth: 2, maxKeys: 3 }), fc.constantFrom(null, [], {}, 'x', 7, true));
    const container = fc.record({
      name: fc.oneof(fc.string(), field),
      securityContext: fc.oneof(field, fc.record({
        privileged: field,
        capabilities: fc.oneof(field, fc.record({ add: field, drop: field })),
        seccompProfile: fc.oneof(field, fc.record({ type: field })),
        seLinuxOptions: field,
        windowsOptions: field,
        runAsUser: field,
        runAsNonRoot: field,
        procMount: field,
        allowPrivilegeEscalation: field,
      }, { requiredKeys: [] })),
      ports: fc.oneof(field, fc.array(fc.oneof(field, fc.record({ hostPort: field })))),
    }, { requiredKeys: [] });
    const spec = fc.record({
      containers: fc.oneof(field, fc.array(fc.oneof(field, container))),
      initContainers: fc.oneof(field, fc.array(container)),
      ephemeralContainers: fc.oneof(field, fc.array(container)),
      securityContext: fc.oneof(field, fc.record({
        sysctls: fc.oneof(field, fc.array(field)),
        seccompProfile: field,
        runAsNonRoot: field,
        seLinuxOptions: field,
      }, { requiredKeys: [] })),
      volumes: fc.oneof(field, fc.array(fc.oneof(field, fc.dictionary(fc.string(), field)))),
      os: field,
      hostNetwork: field,
    }, { requiredKeys: [] });
    const annotations = fc.oneof(field, fc.dictionary(fc.constantFrom('container.apparmor.security.beta.kubernetes.io/app', 'x'), field));
    fc.assert(fc.property(spec, annotations, (podSpec, podAnnotations) => {
      const object = deepFreeze(pod(podSpec as Record<string, unknown>, { annotations: podAnnotations }));
      for (const rule of PSS_RULES) {
        const violations = rule.check(object, EMPTY_CONTEXT);
        for (const violation of violations) {
          expect(typeof violation.message).toBe('string');
          expect(violation.path).toMatch(/^(spec|metadata)(\.|\[|$)/);
        }
      }
    }), { numRuns: 150, seed: 4 });
  });
});
