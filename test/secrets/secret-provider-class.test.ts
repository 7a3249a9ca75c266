import { Chart, Testing } from 'cdk8s';
import { CsiSecretProvider, SecretProviderClass } from '../../src';
import { validateSecretProviderClass } from '../support/secret-provider-class-schema';

function synth(provider: CsiSecretProvider) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const spc = new SecretProviderClass(chart, 'db', { provider });
  const objects = Testing.synth(chart);
  objects.forEach(validateSecretProviderClass);
  return { spc, objects, object: objects[0] };
}

describe('SecretProviderClass |', () => {
  test('vault: the pod\'s own token with a dedicated audience, objects as YAML', () => {
    const { objects, object } = synth(CsiSecretProvider.vault({
      address: 'https://vault.example.com:8200',
      roleName: 'shop-api',
      objects: [{ objectName: 'password', secretPath: 'secret/data/shop/db', secretKey: 'password' }],
    }));
    expect(objects).toMatchSnapshot();
    expect(object).toMatchObject({ apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 'db', namespace: 'shop' } });
    expect(object.spec).toEqual({
      provider: 'vault',
      parameters: {
        vaultAddress: 'https://vault.example.com:8200',
        roleName: 'shop-api',
        audience: 'vault',
        objects: '- objectName: password\n  secretPath: secret/data/shop/db\n  secretKey: password\n',
      },
    });
    expect(object.spec.secretObjects).toBeUndefined();
  });

  test('aws: secrets manager objects with aliases', () => {
    const { object } = synth(CsiSecretProvider.aws({
      region: 'eu-west-1',
      objects: [{ objectName: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf', objectAlias: 'password' }, { objectName: '/shop/api-key', objectType: 'ssmparameter' }],
    }));
    expect(object.spec.provider).toBe('aws');
    expect(object.spec.parameters.region).toBe('eu-west-1');
    expect(object.spec.parameters.objects).toBe('- objectName: arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf\n  objectType: secretsmanager\n  objectAlias: password\n'
      + '- objectName: /shop/api-key\n  objectType: ssmparameter\n');
  });

  test('any other provider with its parameters', () => {
    const { object } = synth(CsiSecretProvider.of('azure', { keyvaultName: 'shop', clientID: '00000000-0000-0000-0000-000000000001', tenantId: 't' }));
    expect(object.spec).toEqual({ provider: 'azure', parameters: { keyvaultName: 'shop', clientID: '00000000-0000-0000-0000-000000000001', tenantId: 't' } });
  });

  test('fails on plain http, empty objects and file names that escape the mount', () => {
    expect(() => CsiSecretProvider.vault({ address: 'http://vault', roleName: 'r', objects: [{ objectName: 'a', secretPath: 'p', secretKey: 'k' }] })).toThrow(/use an https:\/\/ URL/);
    expect(() => CsiSecretProvider.vault({ address: 'https://vault', roleName: 'r', objects: [] })).toThrow(/vault objects is empty/);
    expect(() => CsiSecretProvider.vault({ address: 'https://vault', roleName: 'r', objects: [{ objectName: '../etc', secretPath: 'p', secretKey: 'k' }] }))
      .toThrow(/objectName is "\.\.\/etc": it becomes a file name/);
    expect(() => CsiSecretProvider.of('azure', { n: 1 as unknown as string })).toThrow(/parameters\.n is 1/);
  });
});
