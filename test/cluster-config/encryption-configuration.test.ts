import { EncryptionConfiguration, EncryptionProvider } from '../../src/cluster-config';

const KEY = Buffer.alloc(32, 7).toString('base64');

/** what CIS 1.8 1.2.29's audit prints: the words of the line after the last `providers:`. */
function kubeBenchProviderLine(text: string): string[] {
  const lines = text.split('\n').filter((line) => line !== '');
  const last = lines.map((line, index) => (line.includes('providers:') ? index : -1)).filter((index) => index >= 0).pop()!;
  return lines[last + 1].match(/[A-Za-z]+/g)!;
}

describe('EncryptionConfiguration |', () => {
  test('defaults', () => {
    const config = new EncryptionConfiguration();
    expect(config.toYaml()).toMatchSnapshot();
  });

  test('defaults to KMS v2 first for secrets, with apiVersion v2 (an empty apiVersion means KMS v1)', () => {
    const { configuration } = new EncryptionConfiguration();
    expect(configuration.apiVersion).toBe('apiserver.config.k8s.io/v1');
    expect(configuration.resources).toEqual([{
      resources: ['secrets'],
      providers: [{ kms: { apiVersion: 'v2', name: 'cluster-kek', endpoint: 'unix:///var/run/kmsplugin/kms.sock', timeout: '3s' } }],
    }]);
  });

  test('kube-bench reads the encrypting provider on the line after the last providers:, even with exemptions and identity', () => {
    const config = new EncryptionConfiguration({
      resources: ['secrets', 'configmaps'],
      exemptions: [{ resources: ['events'], reason: 'high volume, no confidential content' }],
      readUnencryptedReason: 'migration from plaintext started 2026-12-01',
    });
    expect(kubeBenchProviderLine(config.toYaml())).toEqual(['kms']);
    const entries = config.configuration.resources as { providers: Record<string, unknown>[] }[];
    expect(entries[0].providers).toEqual([{ identity: {} }]);
    expect(entries[1].providers.map((provider) => Object.keys(provider)[0])).toEqual(['kms', 'identity']);
    expect(config.toYaml()).toContain('# plaintext on purpose: high volume, no confidential content');
    expect(config.toYaml()).toContain('migration from plaintext started 2026-12-01');
  });

  test('secretbox and aescbc keep their keys, aescbc with its reason in the file', () => {
    expect(kubeBenchProviderLine(new EncryptionConfiguration({ provider: EncryptionProvider.secretbox([{ name: 'key1', secret: KEY }]) }).toYaml())).toEqual(['secretbox']);
    const aescbc = new EncryptionConfiguration({ provider: EncryptionProvider.aescbc([{ name: 'key1', secret: KEY }], 'the HSM vendor plugin is not certified yet') });
    expect(aescbc.toYaml()).toContain('# aescbc on purpose: the HSM vendor plugin is not certified yet');
  });

  test.each([
    ['aescbc without a reason', () => EncryptionProvider.aescbc([{ name: 'k', secret: KEY }], 'weak'), /aescbc is weak/],
    ['a 16-byte secretbox key', () => EncryptionProvider.secretbox([{ name: 'k', secret: Buffer.alloc(16).toString('base64') }]), /secretbox.keys\[0\].secret is 16 bytes: give 32/],
    ['a key that is not base64', () => EncryptionProvider.secretbox([{ name: 'k', secret: 'not base64!' }]), /not valid base64/],
    ['a key name used twice', () => EncryptionProvider.secretbox([{ name: 'k', secret: KEY }, { name: 'k', secret: KEY }]), /used twice/],
    ['a KMS name with a colon', () => EncryptionProvider.kmsV2({ name: 'a:b' }), /without ":"/],
    ['a KMS endpoint over TCP', () => EncryptionProvider.kmsV2({ name: 'k', endpoint: 'tcp://10.0.0.1:80' }), /unix socket/],
    ['a zero KMS timeout', () => EncryptionProvider.kmsV2({ name: 'k', timeout: '0s' }), /positive Go duration/],
    ['resources without secrets', () => new EncryptionConfiguration({ resources: ['configmaps'] }), /Secrets must always be encrypted/],
    ['overlapping resources', () => new EncryptionConfiguration({ resources: ['secrets', '*.'] }), /overlaps "secrets"/],
    ['an exemption that overlaps a later wildcard', () => new EncryptionConfiguration({ resources: ['*.*'], exemptions: [{ resources: ['events'], reason: 'noise, nothing confidential' }] }), /overlaps "events"/],
    ['a bare *', () => new EncryptionConfiguration({ resources: ['secrets', '*'] }), /write "\*\." for every core resource/],
    ['events.k8s.io', () => new EncryptionConfiguration({ resources: ['secrets', 'events.events.k8s.io'] }), /rejects group "events.k8s.io"/],
    ['KMS v2 on Kubernetes 1.26', () => new EncryptionConfiguration({ kubernetesVersion: '1.26' }), /KMS v2, which needs Kubernetes 1.27/],
    ['secrets exempted', () => new EncryptionConfiguration({ exemptions: [{ resources: ['secrets'], reason: 'nothing confidential here' }] }), /Secrets are always encrypted/],
  ])('fails on %s', (_name, build, message) => {
    expect(build).toThrow(message);
  });
});
