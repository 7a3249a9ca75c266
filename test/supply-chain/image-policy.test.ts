import { App, Chart, Cron, Testing } from 'cdk8s';
import {
  AdmissionGuardrails, GITHUB_ACTIONS_ISSUER, Guard, HardenedCronJob, HardenedDeployment, HardenedNamespace, ImagePolicy,
  ImagePolicyProps, KubeBenchScan, NetworkPolicyProbe, RuntimeImages, SignatureAuthority, SignatureEngine,
} from '../../src';
import { toPassPack } from '../../src/checker/jest-matcher';
import { validateKyvernoSchema } from '../support/kyverno-schema';
import { validateClusterImagePolicy } from '../support/schemas/cluster-image-policy';
import { WORKLOAD_KINDS } from '../support/workload-kinds';

expect.extend({ toPassPack });

const DIGEST = 'sha256:5e4a1c9f0b7d2e3a8c6f4b1d9e0a7c3f2b8d6e1a4c9f7b0e3d5a2c8f6b1e4d7a';
const ALLOWED = `ghcr.io/example/web:1.4.2@${DIGEST}`;
const REASON = 'vendor image not mirrored yet, tracked in OPS-1234';
const SUBJECT = 'https://github.com/example/web/.github/workflows/release.yaml@refs/heads/main';
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEc2FtcGxla2V5c2FtcGxla2V5c2FtcGxla2V5c2FtcGxla2V5c2FtcGxla2V5c2FtcGxla2V5\n-----END PUBLIC KEY-----';

function appWith(props: ImagePolicyProps) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const policy = new ImagePolicy(platform, 'images', props);
  new HardenedNamespace(platform, 'shop', { name: 'shop' });
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  return { app, platform, policy, shop };
}

function synthWith(props: ImagePolicyProps) {
  const { app, platform, policy } = appWith(props);
  const objects = Testing.synth(platform);
  const kyverno = objects.filter((o: any) => o.apiVersion === 'kyverno.io/v1');
  validateKyvernoSchema(kyverno);
  const cip = objects.filter((o: any) => o.kind === 'ClusterImagePolicy');
  cip.forEach(validateClusterImagePolicy);
  return { app, policy, objects, cip: cip[0], kyverno: kyverno[0], namespace: objects.find((o: any) => o.kind === 'Namespace') };
}

const keyless = () => SignatureAuthority.keyless({ issuer: GITHUB_ACTIONS_ISSUER, subject: SUBJECT });

describe('ImagePolicy |', () => {
  test('registries only: no signature objects, no opt-in label, settings normalised', () => {
    const { policy, objects, namespace } = synthWith({ allowedRegistries: ['ghcr.io/example', 'docker.io/library', 'ghcr.io/example'] });
    expect(policy.settings).toEqual({ allowedRegistries: ['docker.io/library', 'ghcr.io/example'] });
    expect(objects.filter((o: any) => !['Namespace', 'NetworkPolicy', 'ServiceAccount'].includes(o.kind))).toEqual([]);
    expect(namespace.metadata.labels['policy.sigstore.dev/include']).toBeUndefined();
    expect(ImagePolicy.of(policy)).toBe(policy);
    expect(ImagePolicy.of(new Chart(Testing.app(), 'x'))).toBeUndefined();
  });

  test('keyless verification with policy-controller and Kyverno', () => {
    const { cip, kyverno, namespace, objects } = synthWith({
      allowedRegistries: ['ghcr.io/example', 'docker.io/library'],
      signatureVerification: { authority: keyless(), engines: [SignatureEngine.SIGSTORE_POLICY_CONTROLLER, SignatureEngine.KYVERNO] },
    });
    expect(cip.apiVersion).toBe('policy.sigstore.dev/v1beta1');
    expect(cip.metadata.namespace).toBeUndefined();
    expect(cip.spec).toEqual({
      images: [{ glob: 'index.docker.io/library/**' }, { glob: 'ghcr.io/example/**' }],
      authorities: [{ name: 'keyless', keyless: { identities: [{ issuer: GITHUB_ACTIONS_ISSUER, subject: SUBJECT }] } }],
      mode: 'enforce',
    });
    const verify = kyverno.spec.rules[0].verifyImages[0];
    expect(verify).toMatchObject({ mutateDigest: true, verifyDigest: true, required: true, failureAction: 'Enforce', type: 'Cosign' });
    expect(verify.imageReferences).toEqual(['docker.io/library/*', 'ghcr.io/example/*']);
    expect(verify.attestors).toEqual([{ count: 1, entries: [{ keyless: { issuer: GITHUB_ACTIONS_ISSUER, subject: SUBJECT } }] }]);
    expect(kyverno.spec.webhookConfiguration).toEqual({ failurePolicy: 'Fail', timeoutSeconds: 30 });
    expect(namespace.metadata.labels['policy.sigstore.dev/include']).toBe('true');
    expect(objects.filter((o: any) => o.kind !== 'NetworkPolicy')).toMatchSnapshot();
  });

  test('key-based verification with attestations, Kyverno only, a subset of the registries', () => {
    const { cip, kyverno, namespace } = synthWith({
      allowedRegistries: ['ghcr.io/example', 'quay.io/partner'],
      signatureVerification: {
        authority: SignatureAuthority.publicKey({ pem: PEM }),
        engines: [SignatureEngine.KYVERNO],
        images: ['ghcr.io/example/apps'],
        attestations: [{ name: 'provenance', predicateType: 'https://slsa.dev/provenance/v1' }],
        name: 'signed-apps',
      },
    });
    expect(cip).toBeUndefined();
    expect(namespace.metadata.labels['policy.sigstore.dev/include']).toBeUndefined();
    expect(kyverno.metadata.name).toBe('signed-apps');
    const verify = kyverno.spec.rules[0].verifyImages[0];
    expect(verify.imageReferences).toEqual(['ghcr.io/example/apps/*']);
    expect(verify.attestors).toEqual([{ count: 1, entries: [{ keys: { publicKeys: `${PEM}\n` } }] }]);
    expect(verify.attestations).toEqual([{ name: 'provenance', type: 'https://slsa.dev/provenance/v1', attestors: verify.attestors }]);
    expect(kyverno).toMatchSnapshot();
  });

  test('policy-controller with a subject pattern, a Rekor URL, a key and attestations', () => {
    const pattern = '^https://github\\.com/example/[a-z-]+/\\.github/workflows/release\\.yaml@refs/heads/main$';
    const { cip } = synthWith({
      allowedRegistries: ['registry.example.com:5000/team'],
      signatureVerification: {
        authority: SignatureAuthority.keyless({ issuer: GITHUB_ACTIONS_ISSUER, subjectRegExp: pattern, rekorUrl: 'https://rekor.example.com' }),
        engines: [SignatureEngine.SIGSTORE_POLICY_CONTROLLER],
        attestations: [{ name: 'sbom', predicateType: 'https://spdx.dev/Document' }],
      },
    });
    expect(cip.spec.images).toEqual([{ glob: 'registry.example.com:5000/team/**' }]);
    expect(cip.spec.authorities).toEqual([{
      name: 'keyless',
      keyless: { identities: [{ issuer: GITHUB_ACTIONS_ISSUER, subjectRegExp: pattern }] },
      ctlog: { url: 'https://rekor.example.com' },
      attestations: [{ name: 'sbom', predicateType: 'https://spdx.dev/Document' }],
    }]);
    const { cip: keyed } = synthWith({
      allowedRegistries: ['ghcr.io/example'],
      signatureVerification: { authority: SignatureAuthority.publicKey({ pem: PEM }), engines: [SignatureEngine.SIGSTORE_POLICY_CONTROLLER] },
    });
    expect(keyed.spec.authorities).toEqual([{ name: 'key', key: { data: `${PEM}\n`, hashAlgorithm: 'sha256' } }]);
  });

  test('namespaces built before and after the policy both opt in to policy-controller', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    new HardenedNamespace(chart, 'before', { name: 'before' });
    new ImagePolicy(chart, 'images', { allowedRegistries: ['ghcr.io/example'], signatureVerification: { authority: keyless(), engines: [SignatureEngine.SIGSTORE_POLICY_CONTROLLER] } });
    new HardenedNamespace(chart, 'after', { name: 'after' });
    const labels = Testing.synth(chart).filter((o: any) => o.kind === 'Namespace').map((o: any) => [o.metadata.name, o.metadata.labels['policy.sigstore.dev/include']]);
    expect(labels).toEqual([['before', 'true'], ['after', 'true']]);
  });

  test.each([
    ['no registry', { allowedRegistries: [] }, 'allowedRegistries is []: list at least one registry prefix, e.g. ["ghcr.io/example"]'],
    ['trailing slash', { allowedRegistries: ['ghcr.io/example/'] }, 'allowedRegistries[0] is "ghcr.io/example/": it ends with "/": write it without, e.g. "ghcr.io/example"; a prefix always ends where a "/" follows'],
    ['upper case', { allowedRegistries: ['GHCR.io/example'] }, /allowedRegistries\[0\] is "GHCR.io\/example": it holds upper case/],
    ['no host', { allowedRegistries: ['example'] }, /has no registry host: "example" would be read as a Docker Hub repository/],
    ['scheme', { allowedRegistries: ['https://ghcr.io'] }, /has a scheme: drop it/],
    ['wildcard', { allowedRegistries: ['ghcr.io/*'] }, /holds a wildcard/],
    ['legacy docker hub host', { allowedRegistries: ['index.docker.io/library'] }, /the runtime rewrites it to docker.io; write "docker.io\/library"/],
    ['no engine', { allowedRegistries: ['ghcr.io/example'], signatureVerification: { authority: keyless(), engines: [] } }, /signatureVerification\.engines is empty/],
    ['verified prefix not allowed', { allowedRegistries: ['ghcr.io/example'], signatureVerification: { authority: keyless(), engines: [SignatureEngine.KYVERNO], images: ['quay.io/x'] } },
      /signatureVerification\.images\[0\] is "quay.io\/x", which no allowed registry covers/],
    ['empty predicate type', { allowedRegistries: ['ghcr.io/example'], signatureVerification: { authority: keyless(), engines: [SignatureEngine.KYVERNO], attestations: [{ name: 'p', predicateType: '' }] } },
      /attestations\[0\]\.predicateType is ""/],
  ] as [string, ImagePolicyProps, string | RegExp][])('invalid props throw: %s', (_label, props, error) => {
    expect(() => new ImagePolicy(new Chart(Testing.app(), 'c'), 'images', props)).toThrow(error);
  });

  test('signature authorities validate issuer, subject and key', () => {
    expect(() => SignatureAuthority.keyless({ issuer: 'http://token.actions.githubusercontent.com', subject: SUBJECT })).toThrow(/keyless issuer is "http:\/\/token.actions.githubusercontent.com": use the issuer's https URL/);
    expect(() => SignatureAuthority.keyless({ issuer: GITHUB_ACTIONS_ISSUER })).toThrow(/has neither subject nor subjectRegExp: give exactly one; without a subject any identity of the issuer/);
    expect(() => SignatureAuthority.keyless({ issuer: GITHUB_ACTIONS_ISSUER, subject: SUBJECT, subjectRegExp: '^x$' })).toThrow(/has both subject and subjectRegExp/);
    expect(() => SignatureAuthority.keyless({ issuer: GITHUB_ACTIONS_ISSUER, subjectRegExp: 'github.com/example/' })).toThrow(/anchor it with \^ and \$/);
    expect(() => SignatureAuthority.keyless({ issuer: GITHUB_ACTIONS_ISSUER, subjectRegExp: '^(unclosed$' })).toThrow(/not a regular expression/);
    expect(() => SignatureAuthority.publicKey({ pem: 'ssh-ed25519 AAAA' })).toThrow(/publicKey pem is not a PEM public key/);
  });

  test('an app holds one image policy', () => {
    const { platform } = appWith({ allowedRegistries: ['ghcr.io/example'] });
    expect(() => new ImagePolicy(platform, 'again', { allowedRegistries: ['quay.io/x'] })).toThrow(/the app already has an ImagePolicy at platform\/images/);
  });
});

describe('ImagePolicy | hardened workloads', () => {
  test('an image outside the allowed registries throws at construction, naming container, image and fix', () => {
    const { shop } = appWith({ allowedRegistries: ['ghcr.io/example'] });
    expect(() => new HardenedDeployment(shop, 'web', { containers: [{ name: 'web', image: `ghcr.io/example-evil/web@${DIGEST}` }] })).toThrow(
      `containers[0] (container "web").image is "ghcr.io/example-evil/web@${DIGEST}": it comes from ghcr.io/example-evil/web, which the app's ImagePolicy does not allow (allowed: ghcr.io/example); mirror the image below an allowed registry, add its registry to ImagePolicy allowedRegistries, or set exceptions.imageRegistry with a reason`);
    expect(() => new HardenedCronJob(shop, 'report', { schedule: Cron.daily(), containers: [{ image: ALLOWED }], initContainers: [{ image: `nginx@${DIGEST}` }] }))
      .toThrow(/initContainers\[0\]\.image is "nginx@sha256:[0-9a-f]+": it comes from docker.io\/library\/nginx/);
    expect(() => new HardenedDeployment(shop, 'upper', { containers: [{ image: `ghcr.io/Example/web@${DIGEST}` }] })).toThrow(/it is not a valid image reference/);
  });

  test('exceptions.imageRegistry allows it with a reason, and the pack agrees with the construct', () => {
    const { shop } = appWith({ allowedRegistries: ['ghcr.io/example'] });
    new HardenedDeployment(shop, 'web', { containers: [{ image: ALLOWED, portNumber: 8080 }] });
    const vendor = new HardenedDeployment(shop, 'vendor', { containers: [{ image: `quay.io/vendor/app:2@${DIGEST}` }], exceptions: { imageRegistry: { reason: REASON } } });
    const deployment = Testing.synth(shop).find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'vendor');
    expect(deployment.metadata.annotations).toEqual({ 'ignore-check.cdk8s-hardened.io/image-registry-not-allowed': REASON });
    expect(shop).toPassPack('hardened');
    const report = Guard.of(shop).check();
    const finding = report.findings.find((f) => f.ruleId === 'image-registry-not-allowed');
    expect(finding).toMatchObject({ name: 'vendor', suppressed: true, reason: REASON, severity: 'error' });
    expect(vendor.node.path).toBe('shop/vendor');
  });

  test('a workload built before the policy fails synth through its self-check', () => {
    const app = Testing.app();
    const namespaces = new Chart(app, 'namespaces');
    new HardenedNamespace(namespaces, 'shop', { name: 'shop' });
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new HardenedDeployment(shop, 'web', { containers: [{ image: `quay.io/example/web@${DIGEST}` }] });
    new ImagePolicy(namespaces, 'images', { allowedRegistries: ['ghcr.io/example'] });
    expect(() => app.synth()).toThrow(/image-registry-not-allowed: container "main" uses image "quay.io\/example\/web@sha256:[0-9a-f]+" \(quay.io\/example\/web\), which is not below any allowed registry \(ghcr.io\/example\)/);
  });

  test('the probe and the CIS scan obey the policy', () => {
    const app = new App({ outdir: '/tmp/unused' });
    const chart = new Chart(app, 'c');
    new ImagePolicy(chart, 'images', { allowedRegistries: ['ghcr.io/example'] });
    expect(() => new KubeBenchScan(chart, 'scan', {
      privilegedNamespace: { reason: 'CIS evidence for the quarterly review', expires: '2099-01-01' },
      today: '2026-01-01',
    })).toThrow(`image is "${RuntimeImages.KUBE_BENCH}": it comes from docker.io/aquasec/kube-bench, which the app's ImagePolicy does not allow (allowed: ghcr.io/example); mirror the image below an allowed registry and pass its digest-pinned reference`);
    expect(() => new NetworkPolicyProbe(chart, 'probe', { observe: Testing.app() })).toThrow(/image is "registry.k8s.io\/e2e-test-images\/agnhost:2.53@sha256:[0-9a-f]+": it comes from registry.k8s.io\/e2e-test-images\/agnhost/);
  });
});

describe.each(WORKLOAD_KINDS.map((kind) => [kind.kind, kind] as const))('%s | image trust', (_name, kind) => {
  test('an unpinned image throws; an excepted one is annotated; a registry outside the policy throws', () => {
    // a construction that throws leaves a half-built construct behind: each gets its own app.
    const fresh = () => appWith({ allowedRegistries: ['ghcr.io/example'] }).shop;
    const shop = fresh();
    expect(() => kind.build(fresh(), 'unpinned', { containers: [{ image: 'ghcr.io/example/web:1.0' }] })).toThrow(/containers\[0\]\.image is "ghcr.io\/example\/web:1.0": not pinned by digest/);
    expect(() => kind.build(fresh(), 'elsewhere', { containers: [{ image: `quay.io/example/web@${DIGEST}` }] })).toThrow(/comes from quay.io\/example\/web, which the app's ImagePolicy does not allow/);
    const excepted = kind.build(shop, 'excepted', {
      containers: [{ image: 'quay.io/example/web:1.0' }],
      exceptions: { unpinnedImages: { reason: REASON }, imageRegistry: { reason: REASON } },
    });
    const object = Testing.synth(shop).find((o: any) => o.kind === kind.kind && o.metadata.name === 'excepted');
    expect(object.metadata.annotations).toMatchObject({
      'ignore-check.cdk8s-hardened.io/image-digest-missing': REASON,
      'ignore-check.cdk8s-hardened.io/image-registry-not-allowed': REASON,
    });
    expect(excepted.warnings).toHaveLength(1);
  });
});

describe('ImagePolicy | admission twin', () => {
  test('AdmissionGuardrails emit the registry policy from the app\'s ImagePolicy', () => {
    const { app } = appWith({ allowedRegistries: ['ghcr.io/example'] });
    const guardrails = new AdmissionGuardrails(new Chart(app, 'guardrails'), 'hardened');
    const names = guardrails.policies.map((policy) => policy.name);
    expect(names).toContain('cdk8s-hardened-image-registry-not-allowed');
    const policy = guardrails.policies.find((p) => p.name === 'cdk8s-hardened-image-registry-not-allowed')!.toJson();
    expect(policy.spec.validations[0].expression).toMatch(/\['ghcr\.io\/example'\]\.exists\(p, .*\.startsWith\(p \+ '\/'\)\)/);
    const without = new AdmissionGuardrails(new Chart(Testing.app(), 'g'), 'hardened');
    expect(without.skippedRules).toContainEqual({ ruleId: 'image-registry-not-allowed', reason: 'no settings turn the rule on: it needs allowed registries (an ImagePolicy, or the imagePolicy option of the generator)' });
  });

  test('guardrails created before the ImagePolicy fail synth with the fix', () => {
    const app = Testing.app();
    new AdmissionGuardrails(new Chart(app, 'guardrails'), 'hardened');
    new ImagePolicy(new Chart(app, 'platform'), 'images', { allowedRegistries: ['ghcr.io/example'] });
    expect(() => app.synth()).toThrow(/was created before the app's ImagePolicy, so it emits no image-registry-not-allowed policy: create the ImagePolicy first, or pass imagePolicy/);
  });
});
