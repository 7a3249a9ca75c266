import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  checkManifests, CsiSecretProvider, ExternalSecret, HardenedDeployment, HardenedDeploymentProps, manifestsOf, MinimalServiceAccount,
  SecretProviderClass, SecretStore, SecretStoreProvider,
} from '../../src';
import { hardenedChart } from '../support/hardened-app';
import { validateAgainstSchema } from '../support/schema';

const IMAGE = `ghcr.io/example/api:1.0.0@sha256:${'a'.repeat(64)}`;
const REASON = 'the vendor image reads its licence key from env only';

function setUp(props: Partial<HardenedDeploymentProps> = {}) {
  const chart = hardenedChart();
  const api = new HardenedDeployment(chart, 'api', {
    containers: [{ name: 'api', image: IMAGE }, { name: 'proxy', image: IMAGE }],
    initContainers: [{ name: 'migrate', image: IMAGE }],
    ...props,
  });
  return { chart, api };
}

function podSpec(chart: Chart) {
  const objects = chart.toJson();
  validateAgainstSchema(objects.filter((o: any) => !o.apiVersion.startsWith('external-secrets.io') && !o.apiVersion.startsWith('secrets-store')));
  return objects.find((o: any) => o.kind === 'Deployment').spec.template.spec;
}

function externalSecret(chart: Chart) {
  const store = new SecretStore(chart, 'vault', {
    provider: SecretStoreProvider.vault({
      server: 'https://vault.example.com',
      path: 'secret',
      role: 'api',
      serviceAccount: new MinimalServiceAccount(chart, 'secrets', { name: 'api-secrets' }),
    }),
  });
  return new ExternalSecret(chart, 'db', { store, data: [{ secretKey: 'password', remoteKey: 'shop/db', property: 'password' }, { secretKey: 'username', remoteKey: 'shop/db', property: 'username' }] });
}

describe('HardenedWorkload secrets |', () => {
  test('mountSecret mounts an ExternalSecret\'s Secret read-only with mode 0440 in every container', () => {
    const { chart, api } = setUp();
    api.mountSecret(externalSecret(chart), { mountPath: '/var/run/secrets/db' });
    const spec = podSpec(chart);
    expect(spec.volumes).toContainEqual({ name: 'secret-db', secret: { secretName: 'db', defaultMode: 0o440 } });
    for (const container of spec.containers) {
      expect(container.volumeMounts).toContainEqual({ name: 'secret-db', mountPath: '/var/run/secrets/db', readOnly: true });
      expect(container.volumeMounts.filter((m: any) => m.name === 'secret-db').every((m: any) => m.subPath === undefined)).toBe(true);
    }
    // init containers only when named.
    expect(spec.initContainers[0].volumeMounts.some((m: any) => m.name === 'secret-db')).toBe(false);
    // the files are readable through the fsGroup the pod sets.
    expect(spec.securityContext.fsGroup).toBe(10001);
    const report = checkManifests(manifestsOf(chart), { pack: 'hardened' });
    expect(report.findings.filter((f) => !f.suppressed && f.severity !== 'info').map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  test('mountSecret takes chosen keys, containers, a mode and a volume name', () => {
    const { chart, api } = setUp();
    api.mountSecret(externalSecret(chart), { mountPath: '/db', keys: ['password'], containers: ['migrate', 'api'], defaultMode: 0o040, volumeName: 'db-password' });
    const spec = podSpec(chart);
    expect(spec.volumes).toContainEqual({ name: 'db-password', secret: { secretName: 'db', defaultMode: 0o040, items: [{ key: 'password', path: 'password' }] } });
    expect(spec.initContainers[0].volumeMounts).toContainEqual({ name: 'db-password', mountPath: '/db', readOnly: true });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'db-password', mountPath: '/db', readOnly: true });
    expect(spec.containers[1].volumeMounts.some((m: any) => m.name === 'db-password')).toBe(false);
  });

  test('mountSecret takes a plain Secret by name or as a cdk8s-plus Secret', () => {
    const { chart, api } = setUp();
    api.mountSecret('tls', { mountPath: '/tls' });
    api.mountSecret(kplus.Secret.fromSecretName(chart, 'ca', 'ca-bundle'), { mountPath: '/ca' });
    const spec = podSpec(chart);
    expect(spec.volumes).toContainEqual({ name: 'secret-tls', secret: { secretName: 'tls', defaultMode: 0o440 } });
    expect(spec.volumes).toContainEqual({ name: 'secret-ca-bundle', secret: { secretName: 'ca-bundle', defaultMode: 0o440 } });
  });

  test('mountSecretProviderClass mounts a read-only csi volume, and the pod stays restricted', () => {
    const { chart, api } = setUp();
    const spc = new SecretProviderClass(chart, 'db-csi', {
      provider: CsiSecretProvider.vault({ address: 'https://vault.example.com', roleName: 'api', objects: [{ objectName: 'password', secretPath: 'secret/data/shop/db', secretKey: 'password' }] }),
    });
    api.mountSecretProviderClass(spc, { mountPath: '/var/run/secrets/db', containers: ['api'] });
    const spec = podSpec(chart);
    expect(spec.volumes).toContainEqual({ name: 'csi-db-csi', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'db-csi' } } });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'csi-db-csi', mountPath: '/var/run/secrets/db', readOnly: true });
    const report = checkManifests(manifestsOf(chart), { pack: 'pss-restricted' });
    expect(report.findings).toEqual([]);
  });

  test('env from a Secret needs the reasoned exception, which is written as a suppression', () => {
    const secret = kplus.Secret.fromSecretName(hardenedChart(), 'licence', 'licence');
    const env = { LICENCE_KEY: kplus.EnvValue.fromSecretValue({ secret, key: 'key' }) };
    expect(() => setUp({ containers: [{ name: 'api', image: IMAGE, envVariables: env }] }))
      .toThrow(/containers\[0\]\.envVariables\.LICENCE_KEY reads Secret "licence" into the environment: mount the Secret as files with mountSecret\(\).*or add exceptions\.secretInEnv with a reason/);
    expect(() => setUp({ containers: [{ name: 'api', image: IMAGE, envFrom: [kplus.Env.fromSecret(secret)] }] }))
      .toThrow(/containers\[0\]\.envFrom\[0\] loads every key of Secret "licence" into the environment/);

    const { chart } = setUp({ containers: [{ name: 'api', image: IMAGE, envVariables: env }], exceptions: { secretInEnv: { reason: REASON } } });
    const deployment = chart.toJson().find((o: any) => o.kind === 'Deployment');
    expect(deployment.metadata.annotations['ignore-check.cdk8s-hardened.io/secret-in-env']).toBe(REASON);
    const findings = checkManifests(manifestsOf(chart), { pack: 'hardened' }).findings.filter((f) => f.ruleId === 'secret-in-env');
    expect(findings.map((f) => [f.suppressed, f.reason])).toEqual([[true, REASON]]);
  });

  test('a Secret added to env around the construct fails synth', () => {
    const { chart, api } = setUp();
    api.resource.containers[0].env.addVariable('TOKEN', kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(chart, 't', 'token'), key: 'token' }));
    expect(() => chart.toJson()).toThrow(/secret-in-env: container "api" reads key "token" of Secret "token".*Fix: mount the Secret as read-only files with mountSecret\(\)/s);
  });

  test('a credential literal in env fails synth through the self-check', () => {
    const { chart } = setUp({ containers: [{ name: 'api', image: IMAGE, envVariables: { AWS_ACCESS_KEY_ID: kplus.EnvValue.fromValue('AKIAIOSFODNN7EXAMPLE') } }] });
    expect(() => chart.toJson()).toThrow(/secret-literal-in-env: container "api" sets env "AWS_ACCESS_KEY_ID" to a literal AWS access key id/);
  });

  test('fails on modes beyond 0440, 0400 without root, bad paths, unknown keys and containers, and a class of another namespace', () => {
    const { chart, api } = setUp();
    const db = externalSecret(chart);
    expect(() => api.mountSecret(db, { mountPath: '/db', defaultMode: 0o644 })).toThrow(/mountSecret defaultMode is 0o644: secret files allow at most 0o440/);
    expect(() => api.mountSecret(db, { mountPath: '/db', defaultMode: 0o400 })).toThrow(/mountSecret defaultMode is 0o400: the files belong to root.*use 0o440/);
    expect(() => api.mountSecret(db, { mountPath: 'db' })).toThrow(/mountSecret mountPath is "db": use an absolute directory/);
    expect(() => api.mountSecret(db, { mountPath: '/db', keys: ['token'] })).toThrow(/mountSecret keys \["token"\] are not keys of Secret "db" \(it has \["password","username"\]\)/);
    expect(() => api.mountSecret(db, { mountPath: '/db', containers: ['sidecar'] })).toThrow(/mountSecret containers names "sidecar", which is not a container of this Deployment/);
    api.mountSecret(db, { mountPath: '/db' });
    expect(() => api.mountSecret('other', { mountPath: '/db' })).toThrow(/mountSecret mountPath "\/db" is already mounted in container "api"/);
    const elsewhere = new SecretProviderClass(chart, 'spc', { namespace: 'jobs', provider: CsiSecretProvider.of('aws', { objects: '[]' }) });
    expect(() => api.mountSecretProviderClass(elsewhere, { mountPath: '/csi' })).toThrow(/SecretProviderClass "spc" of namespace "jobs", but the Deployment runs in "apps"/);
  });
});
