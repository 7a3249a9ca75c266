import { Chart, Testing } from 'cdk8s';
import { ClusterSecretStore, ExternalSecret, MinimalServiceAccount, SecretStoreProvider, WorkloadIdentity } from '../../src';
import { validateExternalSecretsSchema } from '../support/external-secrets-schema';

function setUp(chartNamespace?: string) {
  const chart = new Chart(Testing.app(), 'test', { namespace: chartNamespace });
  const account = new MinimalServiceAccount(chart, 'secrets', {
    name: 'eso-reader',
    namespace: 'platform-secrets',
    workloadIdentity: WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/eso-reader' }),
  });
  return { chart, provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-central-1', serviceAccount: account }) };
}

describe('ClusterSecretStore |', () => {
  test('limited to listed namespaces, with the account\'s namespace in serviceAccountRef', () => {
    const { chart, provider } = setUp('shop');
    new ClusterSecretStore(chart, 'aws', { provider, namespaces: ['shop', 'jobs', 'shop'] });
    const objects = Testing.synth(chart);
    validateExternalSecretsSchema(objects);
    expect(objects).toMatchSnapshot();
    const store = objects.find((o: any) => o.kind === 'ClusterSecretStore');
    // cluster-scoped: the chart's namespace must not leak onto it.
    expect(store.metadata).toEqual({ name: 'aws', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-hardened' } });
    expect(store.spec.conditions).toEqual([{ namespaces: ['jobs', 'shop'] }]);
    expect(store.spec.provider.aws.auth).toEqual({ jwt: { serviceAccountRef: { name: 'eso-reader', namespace: 'platform-secrets' } } });
  });

  test('an ExternalSecret in a listed namespace reads from it', () => {
    const { chart, provider } = setUp();
    const store = new ClusterSecretStore(chart, 'aws', { provider, namespaces: ['shop'] });
    new ExternalSecret(chart, 'db', { namespace: 'shop', store, data: [{ secretKey: 'password', remoteKey: 'shop/db' }] });
    const objects = Testing.synth(chart);
    validateExternalSecretsSchema(objects);
    expect(objects.find((o: any) => o.kind === 'ExternalSecret').spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws' });
  });

  test('fails without namespaces, and for an ExternalSecret of another namespace', () => {
    const { chart, provider } = setUp();
    expect(() => new ClusterSecretStore(chart, 'open', { provider, namespaces: [] }))
      .toThrow(/namespaces is \[\]: list the namespaces that may use the store; without conditions a ClusterSecretStore serves every namespace/);
    const store = new ClusterSecretStore(chart, 'aws', { provider, namespaces: ['shop'] });
    expect(() => new ExternalSecret(chart, 'db', { namespace: 'jobs', store, data: [{ secretKey: 'password', remoteKey: 'shop/db' }] }))
      .toThrow(/store is ClusterSecretStore "aws", whose conditions list \["shop"\], not "jobs": add "jobs" to the store's namespaces/);
  });

  test('fails when the account\'s namespace cannot be told', () => {
    const chart = new Chart(Testing.app(), 'test');
    const account = new MinimalServiceAccount(chart, 'secrets', { workloadIdentity: WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/eso-reader' }) });
    const provider = SecretStoreProvider.awsSecretsManager({ region: 'eu-central-1', serviceAccount: account });
    expect(() => new ClusterSecretStore(chart, 'aws', { provider, namespaces: ['shop'] }))
      .toThrow(/serviceAccountNamespace is unset and ServiceAccount "secrets" has no namespace/);
    const store = new ClusterSecretStore(chart, 'aws2', { provider, namespaces: ['shop'], serviceAccountNamespace: 'platform-secrets' });
    expect(store.allowedNamespaces).toEqual(['shop']);
  });
});
