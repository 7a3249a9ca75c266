import { Chart, Testing } from 'cdk8s';
import { lintPolicies } from './cel-portability';
import { AdmissionEnforcement, AdmissionGuardrails } from '../../src/admission/admission-guardrails';
import { NAMESPACE_NAME_LABEL, RULE_ID_ANNOTATION } from '../../src/admission/admission-policies';
import { admissionTwinOf } from '../../src/admission/twins';
import { packOf } from '../../src/checker/packs';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations: Record<string, string> }; spec: any };

function synth(props: ConstructorParameters<typeof AdmissionGuardrails>[2] = {}, namespace?: string): Manifest[] {
  const app = Testing.app();
  const chart = new Chart(app, 'guardrails', namespace ? { namespace } : {});
  new AdmissionGuardrails(chart, 'guardrails', props);
  return Testing.synth(chart) as Manifest[];
}

const policiesOf = (objects: Manifest[]) => objects.filter((object) => object.kind === 'ValidatingAdmissionPolicy');
const bindingsOf = (objects: Manifest[]) => objects.filter((object) => object.kind === 'ValidatingAdmissionPolicyBinding');

describe('AdmissionGuardrails', () => {
  test('defaults: the hardened pack in Warn + Audit on v1, every namespace but kube-system', () => {
    const objects = synth();
    expect(objects).toMatchSnapshot();
    const policies = policiesOf(objects);
    const bindings = bindingsOf(objects);
    const withTwins = packOf('hardened').rules.filter((rule) => {
      const twin = admissionTwinOf(rule.id);
      return twin?.twin === 'cel' && packOf('hardened').severityOf(rule.id) !== 'info';
    });
    expect(policies.map((policy) => policy.metadata.annotations[RULE_ID_ANNOTATION])).toEqual(withTwins.map((rule) => rule.id));
    expect(new Set(objects.map((object) => object.apiVersion))).toEqual(new Set(['admissionregistration.k8s.io/v1']));
    for (const policy of policies) {
      expect(policy.metadata.name).toBe(`cdk8s-hardened-${policy.metadata.annotations[RULE_ID_ANNOTATION]}`);
      expect(policy.spec.failurePolicy).toBe('Fail');
      expect(policy.spec.matchConstraints.objectSelector).toBeUndefined();
      for (const validation of policy.spec.validations) {
        expect(validation.message).not.toMatch(/\n/);
        expect(validation.message).toContain(policy.metadata.annotations[RULE_ID_ANNOTATION]);
      }
    }
    // every binding names an emitted policy, and comes after all of them
    const lastPolicy = objects.lastIndexOf(policies[policies.length - 1]);
    expect(bindings).toHaveLength(policies.length);
    for (const binding of bindings) {
      expect(objects.indexOf(binding)).toBeGreaterThan(lastPolicy);
      expect(policies.map((policy) => policy.metadata.name)).toContain(binding.spec.policyName);
      expect(binding.spec.validationActions).toEqual(['Warn', 'Audit']);
      expect(binding.spec.matchResources.objectSelector).toBeUndefined();
      expect(binding.spec.matchResources.namespaceSelector).toEqual({
        matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['kube-system'] }],
      });
      expect(binding.metadata.annotations['exempt.cdk8s-hardened.io/kube-system']).toMatch(/privileged/);
    }
  });

  test('DENY enforces with Deny + Audit, never Deny with Warn', () => {
    for (const binding of bindingsOf(synth({ enforcement: AdmissionEnforcement.DENY }))) {
      expect(binding.spec.validationActions).toEqual(['Deny', 'Audit']);
    }
  });

  test('cluster-scoped even in a chart with a namespace', () => {
    expect(synth({}, 'platform').every((object) => object.metadata.namespace === undefined)).toBe(true);
  });

  test('1.28 gets v1beta1 only, and every expression compiles on a 1.28 server', () => {
    const objects = synth({ kubernetesVersion: '1.28' });
    expect(new Set(objects.map((object) => object.apiVersion))).toEqual(new Set(['admissionregistration.k8s.io/v1beta1']));
    expect(lintPolicies(policiesOf(objects) as any, 28)).toEqual([]);
  });

  test('exemptions are per namespace and per rule, with their reasons on the bindings; a namespace list selects by name', () => {
    const objects = synth({
      namespaces: ['shop', 'jobs'],
      exemptions: [{ namespace: 'jobs', rules: ['image-digest-missing'], reason: 'batch images are rebuilt nightly by the vendor' }],
    });
    for (const binding of bindingsOf(objects)) {
      const ruleId = binding.metadata.annotations[RULE_ID_ANNOTATION];
      const expressions = binding.spec.matchResources.namespaceSelector.matchExpressions;
      expect(expressions[0]).toEqual({ key: NAMESPACE_NAME_LABEL, operator: 'In', values: ['jobs', 'shop'] });
      if (ruleId === 'image-digest-missing') {
        expect(expressions[1]).toEqual({ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['jobs'] });
        expect(binding.metadata.annotations['exempt.cdk8s-hardened.io/jobs']).toBe('batch images are rebuilt nightly by the vendor');
      } else {
        expect(expressions).toHaveLength(1);
      }
    }
  });

  test('minSeverity info adds the info rules; honourSuppressions false drops the suppression condition', () => {
    const withInfo = policiesOf(synth({ minSeverity: 'info' })).map((policy) => policy.metadata.annotations[RULE_ID_ANNOTATION]);
    expect(withInfo).toContain('container-probes');
    for (const policy of policiesOf(synth({ honourSuppressions: false }))) {
      expect((policy.spec.matchConditions ?? []).map((condition: { name: string }) => condition.name)).not.toContain('not-suppressed');
    }
  });

  test.each([
    [{ kubernetesVersion: '1.28', apiVersion: 'v1' as const }, /apiVersion is "v1" but kubernetesVersion is "1.28".*v1beta1/],
    [{ kubernetesVersion: '1.31', apiVersion: 'v1beta1' as const }, /apiVersion is "v1beta1" but kubernetesVersion is "1.31".*use apiVersion "v1"/],
    [{ kubernetesVersion: '1.27' }, /kubernetesVersion is "1.27": ValidatingAdmissionPolicy needs Kubernetes 1.28/],
    [{ kubernetesVersion: 'v1.30' }, /kubernetesVersion is "v1.30": write the Kubernetes version as 1.<minor>/],
    [{ exemptions: [{ namespace: 'ops', reason: 'because' }] }, /exemptions\[0\].reason is "because": give at least 10 characters/],
    [{ exemptions: [{ namespace: 'ops', reason: 'legacy agents', rules: ['no-such-rule' as any] }] }, /names rule "no-such-rule", which is not a rule/],
    [{ exemptions: [{ namespace: 'Ops', reason: 'legacy agents live here' }] }, /names namespace "Ops": use a Namespace name/],
    [{ namespaces: [] }, /namespaces is \[\]: the guardrails would select nothing/],
    [{ namespaces: ['kube-system'] }, /namespaces lists "kube-system", which exemptions also exempt/],
    [{ pack: 'strict' as any }, /pack is "strict": use pss-baseline, pss-restricted or hardened/],
    [{ minSeverity: 'high' as any }, /minSeverity is "high": use info, warning or error/],
  ])('fails at construction on %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
