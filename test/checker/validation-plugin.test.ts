import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { HardenedDeployment, ImagePolicy, setConstructionWarningSink } from '../../src';
import { ruleById } from '../../src/checker/rules';
import { HardenedValidation, ValidationContextLike } from '../../src/checker/validation-plugin';

type Violation = Parameters<ValidationContextLike['report']['addViolation']>[0];

function fakeContext(manifests: string[]) {
  const violations: Violation[] = [];
  const submitted: { status: string; metadata?: Record<string, string> }[] = [];
  const context: ValidationContextLike = {
    manifests,
    report: {
      addViolation: (violation) => { violations.push(violation); },
      submit: (status, metadata) => { submitted.push({ status, metadata: metadata as Record<string, string> }); },
    },
  };
  return { context, violations, submitted };
}

const BAD_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: app\n      image: app:1\n      securityContext:\n        privileged: true\n';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-plugin-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function manifest(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test('reports one violation per rule with the resource, line and message, and fails', async () => {
  const file = manifest('app.k8s.yaml', BAD_POD);
  const { context, violations, submitted } = fakeContext([file]);
  await new HardenedValidation({ pack: 'pss-baseline' }).validate(context);
  expect(violations).toEqual([{
    ruleName: `pss-privileged [error]: ${ruleById('pss-privileged')!.title}`,
    recommendation: ruleById('pss-privileged')!.description,
    fix: ruleById('pss-privileged')!.remediation,
    violatingResources: [{ resourceName: 'Pod web', manifestPath: file, locations: ['spec.containers[0].securityContext.privileged (line 10): container "app" sets privileged: true'] }],
  }]);
  expect(submitted).toEqual([{ status: 'failure', metadata: { 'pack': 'pss-baseline', 'fail on': 'error', 'objects': '1', 'errors': '1', 'warnings': '0', 'suppressed': '0' } }]);
});

test('succeeds when nothing reaches failOn, still listing warnings', async () => {
  const file = manifest('svc.k8s.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: shop}\nspec: {type: NodePort}\n');
  const { context, violations, submitted } = fakeContext([file, manifest('empty.k8s.yaml', '')]);
  await new HardenedValidation().validate(context);
  expect(violations.map((violation) => violation.ruleName)).toEqual([`service-node-port [warning]: ${ruleById('service-node-port')!.title}`]);
  expect(submitted[0].status).toBe('success');
  const strict = fakeContext([file]);
  await new HardenedValidation({ failOn: 'warning' }).validate(strict.context);
  expect(strict.submitted[0].status).toBe('failure');
});

test('bad manifests become an input-error violation and a failure, not a crash', async () => {
  const file = manifest('bad.k8s.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {}\n');
  const { context, violations, submitted } = fakeContext([file]);
  await new HardenedValidation().validate(context);
  expect(violations).toEqual([expect.objectContaining({ ruleName: 'input-error', recommendation: `${file}:3: document 1: metadata.name is missing` })]);
  expect(submitted[0].status).toBe('failure');
});

test('refuses unknown properties values', () => {
  expect(() => new HardenedValidation({ pack: 'strict' as never })).toThrow(/pack is "strict"/);
  expect(() => new HardenedValidation({ failOn: 'info' as never })).toThrow(/failOn is "info"/);
});

describe('with cdk8s-cli\'s own validation context', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ValidationContext, ValidationPlugin } = require(path.join(__dirname, '..', '..', 'node_modules', 'cdk8s-cli', 'lib', 'plugins', 'validation.js'));

  test('names the construct that emitted each object, even when a Service shares the Deployment\'s name', async () => {
    const app = new App({ outdir: dir, recordConstructMetadata: true });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const api = new HardenedDeployment(chart, 'api', {
      containers: [{ image: `quay.io/example/api:1.0@sha256:${'0123456789abcdef'.repeat(4)}`, portNumber: 8080 }],
      externallyHardenedNamespace: { reason: 'the platform repository creates shop' },
    });
    api.expose({ ports: [{ port: 8080 }] });
    // a raw Service of the same name as a second, separate object with a finding of its own.
    new ApiObject(chart, 'legacy', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-legacy' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    const silence = setConstructionWarningSink(() => undefined);
    try {
      app.synth();
    } finally {
      setConstructionWarningSink(silence);
    }
    const manifests = fs.readdirSync(dir).filter((file) => file.endsWith('.k8s.yaml')).map((file) => path.join(dir, file));
    const metadata = ValidationPlugin.loadConstructMetadata(path.join(dir, 'construct-metadata.json'));
    // cdk8s's own map is by name: the Service overwrote the Deployment's entry.
    expect(metadata.api.path).toBe('shop/api/Service/Resource');
    const context = new ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', metadata, false);
    // the plugin's own allowedRegistries turn image-registry-not-allowed on: the Deployment's finding.
    await new HardenedValidation({ failOn: 'warning', allowedRegistries: ['ghcr.io/example'] }).validate(context);
    const report = context.report.toJson();
    expect(report.violations.map((violation: { ruleName: string }) => violation.ruleName)).toContain('image-registry-not-allowed [error]: Image from a registry the policy does not allow');
    const located = report.violations.flatMap((violation: { violatingConstructs: { resourceName: string; constructPath?: string }[] }) =>
      violation.violatingConstructs.map(({ resourceName, constructPath }) => [resourceName, constructPath]));
    expect(located).toContainEqual(['Deployment shop/api', 'shop/api/Resource/Resource']);
    expect(located).toContainEqual(['Service shop/api-legacy', 'shop/legacy']);
    expect(located.every(([, constructPath]: string[]) => constructPath !== undefined)).toBe(true);
  });

  test('judges registries with the app\'s ImagePolicy, recorded in construct-metadata.json, and with a config file', async () => {
    const app = new App({ outdir: dir, recordConstructMetadata: true });
    const chart = new Chart(app, 'platform');
    new ImagePolicy(chart, 'images', { allowedRegistries: ['ghcr.io/example'] });
    // a raw Pod: the constructs would refuse the image, the plugin must too.
    new ApiObject(chart, 'raw', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'raw', namespace: 'shop' },
      spec: { containers: [{ name: 'app', image: `quay.io/example/raw@sha256:${'0123456789abcdef'.repeat(4)}` }] },
    });
    app.synth();
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, 'construct-metadata.json'), 'utf8'));
    expect(recorded['cdk8s-hardened/image-policy']).toEqual({ allowedRegistries: ['ghcr.io/example'] });
    const manifests = fs.readdirSync(dir).filter((file) => file.endsWith('.k8s.yaml')).map((file) => path.join(dir, file));
    const rulesOf = async (props: ConstructorParameters<typeof HardenedValidation>[0]) => {
      const context = new ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', {}, false);
      await new HardenedValidation(props).validate(context);
      return context.report.toJson().violations.map((violation: { ruleName: string }) => violation.ruleName.split(' ')[0]);
    };
    expect(await rulesOf({})).toContain('image-registry-not-allowed');
    fs.rmSync(path.join(dir, 'construct-metadata.json'));
    expect(await rulesOf({})).not.toContain('image-registry-not-allowed');
    const config = path.join(dir, 'policy.yaml');
    fs.writeFileSync(config, 'imagePolicy:\n  allowedRegistries: [ghcr.io/example]\n');
    expect(await rulesOf({ config })).toContain('image-registry-not-allowed');
    fs.writeFileSync(config, 'imagePolicy:\n  allowedRegistries: [ghcr.io/example/]\n');
    const broken = new ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', {}, false);
    await new HardenedValidation({ config }).validate(broken);
    expect(JSON.stringify(broken.report.toJson())).toContain('imagePolicy.allowedRegistries[0] is \\"ghcr.io/example/\\": it ends with');
    expect(() => new HardenedValidation({ allowedRegistries: ['GHCR.io'] })).toThrow(/allowedRegistries\[0\] is "GHCR.io": it holds upper case/);
  });
});
