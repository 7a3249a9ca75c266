import * as fs from 'fs';
import * as path from 'path';
import { distPolicies, runDistPsaAgreement } from './agreement';
import { asController } from './api-defaulting';
import { lintPolicies } from './cel-portability';
import { buildReferencePlatformForTest } from './reference-platform-helper';
import { PodSecurityAdmissionConfiguration } from '../../src/admission/pod-security-admission-configuration';
import { PSA_ROOT } from '../conformance/conformance';

const NODE_FILES = path.join(__dirname, '..', '..', 'node-files');

test('the committed node-files/pod-security-admission.yaml is what the reference platform renders', () => {
  const { podSecurityAdmission } = buildReferencePlatformForTest();
  expect(fs.readFileSync(path.join(NODE_FILES, 'pod-security-admission.yaml'), 'utf8')).toBe(podSecurityAdmission.toYaml());
});

test('the PodSecurity defaults are restricted at a pinned version in every mode, with reasoned exemptions only', () => {
  const configuration = new PodSecurityAdmissionConfiguration().configuration as any;
  expect(configuration.plugins[0].configuration.defaults).toEqual({
    'enforce': 'restricted', 'enforce-version': 'v1.28', 'audit': 'restricted', 'audit-version': 'v1.28', 'warn': 'restricted', 'warn-version': 'v1.28',
  });
  expect(configuration.plugins[0].configuration.exemptions).toEqual({ usernames: [], runtimeClasses: [], namespaces: ['kube-system'] });
  expect(new PodSecurityAdmissionConfiguration().toYaml()).toMatch(/# control-plane and node add-ons .*\n\s+- kube-system/);
  expect(() => new PodSecurityAdmissionConfiguration({ version: 'latest' })).toThrow(/version is "latest": pin a Pod Security version/);
  expect(() => new PodSecurityAdmissionConfiguration({ userExemptions: [{ username: 'ci', reason: 'short' }] })).toThrow(/userExemptions\[0\].reason is "short"/);
});

test('the policies in dist/ pass the portability lint for 1.28', () => {
  expect(distPolicies().size).toBeGreaterThan(30);
  expect(lintPolicies([...distPolicies().values()], 28)).toEqual([]);
});

(fs.existsSync(PSA_ROOT) ? test : test.skip)('the PSS policies in dist/ give PSA\'s verdict on the official restricted fixtures (first of each check; all in npm run conformance) in every shape', () => {
  const report = runDistPsaAgreement(PSA_ROOT, asController, (file) => /(base|base_linux|base_windows|[a-z_]+0)\.yaml$/.test(file));
  expect(report.cases).toBeGreaterThan(100);
  expect(report.misses).toEqual([]);
});
