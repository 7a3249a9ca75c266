import { Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { HardenedContainerProps, HardenedDeploymentExceptions, HardenedDeploymentProps, Platform, SUPPRESSION_ANNOTATION_PREFIX } from '../../src';
import { PSS_RESTRICTED_RULES } from '../../src/checker/rules/pss';
import type { CheckContext, KubeObject } from '../../src/checker/types';
import { visibleLength } from '../../src/model/exceptions';
import { hardenedChart } from '../support/hardened-app';
import { podMetadataIn, podSpecIn, WORKLOAD_KINDS } from '../support/workload-kinds';

const NO_CONTEXT: CheckContext = { objectsOf: () => [], find: () => undefined, namespaces: () => [] };
const digest = fc.stringMatching(/^[a-f0-9]{64}$/);
const image = fc.tuple(fc.constantFrom('registry.example.com/shop/web', 'ghcr.io/acme/api', 'nginx'), digest).map(([repo, d]) => `${repo}@sha256:${d}`);
const reason = fc.string({ minLength: 10, maxLength: 40 }).filter((s) => visibleLength(s) >= 10);
const exception = fc.record({ reason }, { requiredKeys: ['reason'] });
const dnsLabel = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/);

const container: fc.Arbitrary<HardenedContainerProps> = fc.record({
  image,
  portNumber: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  allowNetBindService: fc.option(fc.boolean(), { nil: undefined }),
  resources: fc.option(fc.constant({}), { nil: undefined }),
});

const exceptions: fc.Arbitrary<HardenedDeploymentExceptions> = fc.record({
  runAsRoot: fc.option(exception, { nil: undefined }),
  allowPrivilegeEscalation: fc.option(exception, { nil: undefined }),
  writableRootFilesystem: fc.option(exception, { nil: undefined }),
  automountServiceAccountToken: fc.option(exception, { nil: undefined }),
  capabilities: fc.option(fc.record({ add: fc.subarray(['NET_ADMIN', 'SYS_TIME', 'CHOWN', 'KILL'], { minLength: 1 }), reason }), { nil: undefined }),
}).chain((e) => fc.option(exception, { nil: undefined }).map((privileged) => (
  // privileged is only valid together with allowPrivilegeEscalation
  privileged && e.allowPrivilegeEscalation ? { ...e, privileged } : e
)));

const validProps: fc.Arbitrary<HardenedDeploymentProps> = fc.record({
  name: fc.option(dnsLabel, { nil: undefined }),
  component: fc.option(dnsLabel, { nil: undefined }),
  replicas: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  containers: fc.array(container, { minLength: 1, maxLength: 3 }).map((list) => list.map((c, i) => ({ ...c, name: `c${i}` }))),
  initContainers: fc.option(fc.array(container, { maxLength: 2 }).map((list) => list.map((c, i) => ({ ...c, name: `init${i}` }))), { nil: undefined }),
  writablePaths: fc.option(fc.uniqueArray(fc.constantFrom('/tmp', '/var/cache/app', '/run'), { maxLength: 3 })
    .map((paths) => paths.map((path) => ({ path, sizeLimit: Size.mebibytes(32) }))), { nil: undefined }),
  platform: fc.option(fc.constantFrom(Platform.KUBERNETES, Platform.OPENSHIFT), { nil: undefined }),
  exceptions: fc.option(exceptions, { nil: undefined }),
}).filter((p) => !(p.platform === Platform.OPENSHIFT && p.exceptions?.runAsRoot));

describe.each(WORKLOAD_KINDS.map((kind) => [kind.kind, kind] as const))('%s | properties', (_name, kind) => {
  const deploymentOf = (props: HardenedDeploymentProps): KubeObject => {
    const chart = hardenedChart();
    kind.build(chart, 'app', props);
    return Testing.synth(chart).find((o: any) => o.kind === kind.kind);
  };

  test('valid props pass PSS restricted unless a reasoned exception covers the failing control', () => {
    fc.assert(fc.property(validProps, (props) => {
      const deployment = deploymentOf(props) as any;
      const annotations: Record<string, string> = deployment.metadata.annotations ?? {};
      const failing = new Set(PSS_RESTRICTED_RULES.filter((rule) => rule.check(deployment, NO_CONTEXT).length > 0).map((rule) => rule.id));
      const hasExceptions = Object.values(props.exceptions ?? {}).some((e) => e !== undefined);
      if (!hasExceptions) expect([...failing]).toEqual([]);
      for (const ruleId of failing) {
        expect(annotations[SUPPRESSION_ANNOTATION_PREFIX + ruleId]?.trim().length).toBeGreaterThanOrEqual(10);
      }
      const spec = podSpecIn(deployment);
      expect(spec.serviceAccountName).not.toBe('default');
      expect(spec.automountServiceAccountToken).toBe(props.exceptions?.automountServiceAccountToken !== undefined);
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        expect(c.securityContext.readOnlyRootFilesystem).toBe(props.exceptions?.writableRootFilesystem === undefined);
        expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
        expect(c.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      }
      expect(podMetadataIn(deployment).labels['app.kubernetes.io/name']).toBe(props.name ?? 'app');
      if (deployment.spec.selector) expect(deployment.spec.selector.matchLabels['app.kubernetes.io/name']).toBe(props.name ?? 'app');
    }), { numRuns: 60 });
  });

  test('invalid props throw an error that names the prop and the value', () => {
    const invalid: fc.Arbitrary<[Partial<HardenedDeploymentProps>, RegExp]> = fc.oneof(
      fc.integer({ min: 1, max: 9 }).map((n) => [{ exceptions: { runAsRoot: { reason: 'x'.repeat(n) } } }, /exceptions\.runAsRoot\.reason is "x+"/] as [Partial<HardenedDeploymentProps>, RegExp]),
      exception.map((e) => [{ exceptions: { privileged: e } }, /exceptions\.privileged is set without exceptions\.allowPrivilegeEscalation/] as [Partial<HardenedDeploymentProps>, RegExp]),
      fc.constantFrom('user', 'group').map((prop) => [{ [prop]: 0 }, new RegExp(`${prop} is 0 \\(root\\)`)] as [Partial<HardenedDeploymentProps>, RegExp]),
      fc.stringMatching(/^[a-z]{1,8}$/).map((p) => [{ writablePaths: [{ path: p }] }, /writablePaths\[0\]\.path is "[a-z]+": use an absolute directory/] as [Partial<HardenedDeploymentProps>, RegExp]),
      fc.stringMatching(/^[A-Z][A-Za-z_]{1,10}$/).map((n) => [{ name: n }, /name is ".+": use a DNS-1123 label/] as [Partial<HardenedDeploymentProps>, RegExp]),
      fc.integer({ min: 1, max: 60000 }).map((user) => [{ platform: Platform.OPENSHIFT, user }, /user is \d+ while platform is OPENSHIFT/] as [Partial<HardenedDeploymentProps>, RegExp]),
    );
    fc.assert(fc.property(invalid, ([props, message]) => {
      let thrown: unknown;
      try {
        deploymentOf({ containers: [{ image: `nginx@sha256:${'b'.repeat(64)}` }], ...props });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(TypeError);
      expect((thrown as Error).message).toMatch(message);
    }), { numRuns: 40 });
  });
});
