import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { checkManifests, MinimalServiceAccount, RuleIds, SecretStore, SecretStoreProps, SecretStoreProvider, VaultKvVersion, WorkloadIdentity } from '../../src';
import { validateExternalSecretsSchema } from '../support/external-secrets-schema';

const REASON = 'the legacy vault has no kubernetes auth mount yet';

const entries = (objects: any[]) => objects.map((object) => ({ object, source: {} }));

function chartIn(namespace = 'shop') {
  return new Chart(Testing.app(), 'test', { namespace });
}

function synth(build: (chart: Chart) => SecretStoreProps) {
  const chart = chartIn();
  new SecretStore(chart, 'store', build(chart));
  const objects = Testing.synth(chart);
  validateExternalSecretsSchema(objects);
  return { objects, store: objects.find((o: any) => o.kind === 'SecretStore') };
}

const vault = (chart: Chart, options: Partial<Parameters<typeof SecretStoreProvider.vault>[0]> = {}) => SecretStoreProvider.vault({
  server: 'https://vault.example.com:8200',
  path: 'secret',
  role: 'shop',
  serviceAccount: new MinimalServiceAccount(chart, 'secrets', { name: 'shop-secrets' }),
  ...options,
});

describe('SecretStore |', () => {
  test('vault kubernetes auth with an audience-bound token is the default shape', () => {
    const { objects, store } = synth((chart) => ({ provider: vault(chart) }));
    expect(objects).toMatchSnapshot();
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata).toMatchObject({ name: 'store', namespace: 'shop' });
    expect(store.metadata.annotations).toBeUndefined();
    expect(store.spec.provider).toEqual({
      vault: {
        server: 'https://vault.example.com:8200',
        path: 'secret',
        version: 'v2',
        auth: { kubernetes: { mountPath: 'kubernetes', role: 'shop', serviceAccountRef: { name: 'shop-secrets', audiences: ['vault'] } } },
      },
    });
  });

  test('vault options: KV v1, auth mount, audiences, enterprise namespace, CA bundle', () => {
    const { store } = synth((chart) => ({
      provider: vault(chart, { version: VaultKvVersion.V1, mountPath: 'k8s-prod', audiences: ['vault-prod'], namespace: 'team-a', caBundle: 'LS0tLS1CRUdJTg==' }),
    }));
    expect(store.spec.provider.vault).toMatchObject({
      version: 'v1',
      namespace: 'team-a',
      caBundle: 'LS0tLS1CRUdJTg==',
      auth: { kubernetes: { mountPath: 'k8s-prod', serviceAccountRef: { name: 'shop-secrets', audiences: ['vault-prod'] } } },
    });
  });

  test('aws secrets manager through IRSA', () => {
    const { objects, store } = synth((chart) => ({
      provider: SecretStoreProvider.awsSecretsManager({
        region: 'eu-west-1',
        role: 'arn:aws:iam::123456789012:role/shop-secrets-reader',
        serviceAccount: new MinimalServiceAccount(chart, 'secrets', {
          name: 'shop-secrets',
          workloadIdentity: WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/shop-secrets' }),
        }),
      }),
    }));
    expect(objects).toMatchSnapshot();
    expect(store.spec.provider).toEqual({
      aws: {
        service: 'SecretsManager',
        region: 'eu-west-1',
        role: 'arn:aws:iam::123456789012:role/shop-secrets-reader',
        auth: { jwt: { serviceAccountRef: { name: 'shop-secrets' } } },
      },
    });
    const account = objects.find((o: any) => o.kind === 'ServiceAccount');
    expect(account.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/shop-secrets' });
    expect(account.automountServiceAccountToken).toBe(false);
  });

  test('gcp secret manager through workload identity', () => {
    const { store } = synth((chart) => ({
      provider: SecretStoreProvider.gcpSecretManager({
        projectId: 'shop-prod-123',
        clusterLocation: 'europe-west1',
        clusterName: 'prod',
        clusterProjectId: 'platform-prod',
        serviceAccount: new MinimalServiceAccount(chart, 'secrets', {
          name: 'shop-secrets',
          workloadIdentity: WorkloadIdentity.gke({ serviceAccountEmail: 'shop-secrets@shop-prod-123.iam.gserviceaccount.com' }),
        }),
      }),
    }));
    expect(store.spec.provider).toEqual({
      gcpsm: {
        projectID: 'shop-prod-123',
        auth: { workloadIdentity: { clusterLocation: 'europe-west1', clusterName: 'prod', clusterProjectID: 'platform-prod', serviceAccountRef: { name: 'shop-secrets' } } },
      },
    });
  });

  test('azure key vault through workload identity', () => {
    const { store } = synth((chart) => ({
      provider: SecretStoreProvider.azureKeyVault({
        vaultUrl: 'https://shop.vault.azure.net',
        tenantId: '00000000-0000-0000-0000-000000000002',
        serviceAccount: new MinimalServiceAccount(chart, 'secrets', {
          name: 'shop-secrets',
          workloadIdentity: WorkloadIdentity.azure({ clientId: '00000000-0000-0000-0000-000000000001' }),
        }),
      }),
    }));
    expect(store.spec.provider).toEqual({
      azurekv: { authType: 'WorkloadIdentity', vaultUrl: 'https://shop.vault.azure.net', tenantId: '00000000-0000-0000-0000-000000000002', serviceAccountRef: { name: 'shop-secrets' } },
    });
  });

  test('static credentials with the exception are annotated, and the checker suppresses its finding with the reason', () => {
    const { objects, store } = synth(() => ({
      provider: SecretStoreProvider.awsAccessKeys({
        region: 'eu-west-1',
        accessKeyId: { name: 'aws-keys', key: 'access-key-id' },
        secretAccessKey: { name: 'aws-keys', key: 'secret-access-key' },
      }),
      exceptions: { staticCredentials: { reason: REASON, expires: '2027-03-31' } },
    }));
    expect(objects).toMatchSnapshot();
    expect(store.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/secret-store-static-credentials': REASON,
      'ignore-check-expires.cdk8s-hardened.io/secret-store-static-credentials': '2027-03-31',
    });
    expect(store.spec.provider.aws.auth).toEqual({
      secretRef: { accessKeyIDSecretRef: { name: 'aws-keys', key: 'access-key-id' }, secretAccessKeySecretRef: { name: 'aws-keys', key: 'secret-access-key' } },
    });
    const findings = checkManifests(entries(objects), { pack: 'hardened', now: new Date('2026-12-01T00:00:00Z') }).findings
      .filter((finding) => finding.ruleId === RuleIds.SECRET_STORE_STATIC_CREDENTIALS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ suppressed: true, reason: REASON });
  });

  test('a vault token store with the exception', () => {
    const { store } = synth(() => ({
      provider: SecretStoreProvider.vaultToken({ server: 'https://vault.example.com', path: 'kv', tokenSecret: { name: 'vault-token', key: 'token' } }),
      exceptions: { staticCredentials: { reason: REASON } },
    }));
    expect(store.spec.provider.vault.auth).toEqual({ tokenSecretRef: { name: 'vault-token', key: 'token' } });
  });

  test('the default stores yield no finding under hardened', () => {
    const { objects } = synth((chart) => ({ provider: vault(chart) }));
    const report = checkManifests(entries(objects), { pack: 'hardened' });
    expect(report.summary.objects).toBe(2);
    expect(report.findings.filter((f) => f.kind === 'SecretStore')).toEqual([]);
  });

  test('fails on static credentials without the exception', () => {
    expect(() => synth(() => ({
      provider: SecretStoreProvider.vaultToken({ server: 'https://vault.example.com', path: 'kv', tokenSecret: { name: 'vault-token', key: 'token' } }),
    }))).toThrow(/provider reads a Vault token from Secret "vault-token", a long-lived credential.*add exceptions\.staticCredentials with a reason/);
  });

  test('fails on the exception without static credentials, and on a short reason', () => {
    expect(() => synth((chart) => ({ provider: vault(chart), exceptions: { staticCredentials: { reason: REASON } } })))
      .toThrow(/exceptions\.staticCredentials is set but the vault provider authenticates as ServiceAccount "shop-secrets": drop the exception/);
    expect(() => synth(() => ({
      provider: SecretStoreProvider.vaultToken({ server: 'https://vault.example.com', path: 'kv', tokenSecret: { name: 'vault-token', key: 'token' } }),
      exceptions: { staticCredentials: { reason: 'because' } },
    }))).toThrow(/exceptions\.staticCredentials\.reason is "because"/);
  });

  test('fails when a cloud provider\'s account lacks the matching workload identity', () => {
    expect(() => synth((chart) => ({
      provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', serviceAccount: new MinimalServiceAccount(chart, 'secrets') }),
    }))).toThrow(/awsSecretsManager serviceAccount "secrets" has no workload identity: create it with workloadIdentity: WorkloadIdentity\.eks/);
    expect(() => synth((chart) => ({
      provider: SecretStoreProvider.azureKeyVault({
        vaultUrl: 'https://shop.vault.azure.net',
        serviceAccount: new MinimalServiceAccount(chart, 'secrets', { workloadIdentity: WorkloadIdentity.gke({ serviceAccountEmail: 'shop-secrets@shop-prod-123.iam.gserviceaccount.com' }) }),
      }),
    }))).toThrow(/has a gke workload identity: create it with workloadIdentity: WorkloadIdentity\.azure/);
  });

  test('fails on plain http, credentials in the URL, empty audiences, the default account and a bad region', () => {
    expect(() => synth((chart) => ({ provider: vault(chart, { server: 'http://vault.example.com' }) }))).toThrow(/vault server is "http:\/\/vault\.example\.com": use an https:\/\/ URL/);
    expect(() => synth((chart) => ({ provider: vault(chart, { server: 'https://root:pw@vault.example.com' }) }))).toThrow(/without credentials/);
    expect(() => synth((chart) => ({ provider: vault(chart, { audiences: [] }) }))).toThrow(/vault audiences is \[\]: name the audience/);
    expect(() => synth((chart) => ({ provider: vault(chart, { serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'd', 'default') }) })))
      .toThrow(/vault serviceAccount is "default"/);
    expect(() => synth(() => ({
      provider: SecretStoreProvider.awsAccessKeys({ region: 'Ireland', accessKeyId: { name: 'k', key: 'id' }, secretAccessKey: { name: 'k', key: 'secret' } }),
      exceptions: { staticCredentials: { reason: REASON } },
    }))).toThrow(/region is "Ireland": use an AWS region such as eu-west-1/);
  });

  test('fails when the account lives in another namespace', () => {
    const chart = chartIn();
    const account = new MinimalServiceAccount(chart, 'secrets', { namespace: 'platform' });
    expect(() => new SecretStore(chart, 'store', {
      provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'shop', serviceAccount: account }),
    })).toThrow(/provider serviceAccount "secrets" is in namespace "platform" but the SecretStore is in "shop"/);
  });
});
