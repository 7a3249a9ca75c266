import { Chart, Duration, Testing } from 'cdk8s';
import {
  ExternalSecret, ExternalSecretCreationPolicy, ExternalSecretDeletionPolicy, ExternalSecretProps, ExternalSecretRefreshPolicy,
  MinimalServiceAccount, SecretStore, SecretStoreProvider,
} from '../../src';
import { validateExternalSecretsSchema } from '../support/external-secrets-schema';

function setUp(namespace = 'shop') {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  const store = new SecretStore(chart, 'vault', {
    provider: SecretStoreProvider.vault({
      server: 'https://vault.example.com',
      path: 'secret',
      role: 'shop',
      serviceAccount: new MinimalServiceAccount(chart, 'secrets', { name: 'shop-secrets' }),
    }),
  });
  return { chart, store };
}

function synth(props: Omit<ExternalSecretProps, 'store'>) {
  const { chart, store } = setUp();
  const secret = new ExternalSecret(chart, 'db', { store, ...props });
  const objects = Testing.synth(chart);
  validateExternalSecretsSchema(objects);
  return { secret, objects, externalSecret: objects.find((o: any) => o.kind === 'ExternalSecret') };
}

const DATA = [{ secretKey: 'password', remoteKey: 'shop/db', property: 'password' }];

describe('ExternalSecret |', () => {
  test('defaults: v1, periodic every hour, owner, retain, explicit keys', () => {
    const { objects, externalSecret, secret } = synth({ data: DATA });
    expect(objects).toMatchSnapshot();
    expect(externalSecret.apiVersion).toBe('external-secrets.io/v1');
    expect(externalSecret.spec).toEqual({
      secretStoreRef: { kind: 'SecretStore', name: 'vault' },
      refreshPolicy: 'Periodic',
      refreshInterval: '1h',
      target: { name: 'db', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: [{ secretKey: 'password', remoteRef: { key: 'shop/db', property: 'password' } }],
    });
    expect(externalSecret.spec.dataFrom).toBeUndefined();
    expect(externalSecret.spec.target.immutable).toBeUndefined();
    expect(secret.secretName).toBe('db');
    expect(secret.keys).toEqual(['password']);
  });

  test('every option', () => {
    const { externalSecret, secret } = synth({
      name: 'db-credentials',
      secretName: 'db-files',
      data: [
        { secretKey: 'username', remoteKey: 'shop/db', property: 'username', version: '3' },
        { secretKey: 'password', remoteKey: 'shop/db', property: 'password' },
      ],
      refreshInterval: Duration.minutes(90),
      creationPolicy: ExternalSecretCreationPolicy.ORPHAN,
      deletionPolicy: ExternalSecretDeletionPolicy.DELETE,
      secretType: 'kubernetes.io/basic-auth',
    });
    expect(externalSecret.metadata.name).toBe('db-credentials');
    expect(externalSecret.spec.refreshInterval).toBe('1h30m');
    expect(externalSecret.spec.target).toEqual({
      name: 'db-files', creationPolicy: 'Orphan', deletionPolicy: 'Delete', template: { type: 'kubernetes.io/basic-auth', engineVersion: 'v2' },
    });
    expect(externalSecret.spec.data[0]).toEqual({ secretKey: 'username', remoteRef: { key: 'shop/db', property: 'username', version: '3' } });
    expect(secret.keys).toEqual(['password', 'username']);
  });

  test('fetched once: no refresh interval', () => {
    const { externalSecret } = synth({ data: DATA, refreshPolicy: ExternalSecretRefreshPolicy.CREATED_ONCE });
    expect(externalSecret.spec.refreshPolicy).toBe('CreatedOnce');
    expect(externalSecret.spec.refreshInterval).toBeUndefined();
  });

  test('fails on refresh intervals outside 15 minutes to a day, and on an interval without periodic refresh', () => {
    expect(() => synth({ data: DATA, refreshInterval: Duration.minutes(5) })).toThrow(/refreshInterval is 300s: use 15 minutes to 24 hours/);
    expect(() => synth({ data: DATA, refreshInterval: Duration.days(2) })).toThrow(/refreshInterval is 172800s/);
    expect(() => synth({ data: DATA, refreshPolicy: ExternalSecretRefreshPolicy.ON_CHANGE, refreshInterval: Duration.hours(1) }))
      .toThrow(/refreshInterval is set while refreshPolicy is OnChange/);
  });

  test('fails on empty data, bad or repeated keys, and an empty remote key', () => {
    expect(() => synth({ data: [] })).toThrow(/data is empty/);
    expect(() => synth({ data: [{ secretKey: 'pass word', remoteKey: 'x' }] })).toThrow(/data\[0\]\.secretKey is "pass word"/);
    expect(() => synth({ data: [...DATA, ...DATA] })).toThrow(/data\[1\]\.secretKey is "password" again/);
    expect(() => synth({ data: [{ secretKey: 'password', remoteKey: ' ' }] })).toThrow(/data\[0\]\.remoteKey is " "/);
  });

  test('fails on a SecretStore of another namespace', () => {
    const { chart, store } = setUp();
    expect(() => new ExternalSecret(chart, 'db', { namespace: 'jobs', store, data: DATA }))
      .toThrow(/store is SecretStore "vault" in namespace "shop" but the ExternalSecret is in "jobs"/);
  });
});
