import { checkManifests } from '../../src/checker/engine';
import { decodeText, parseManifests } from '../../src/checker/input';

const parse = (text: string) => parseManifests(decodeText(Buffer.from(text), 'node.yaml'), 'node.yaml');

describe('node configuration files as checker input |', () => {
  test('accepts the node configuration kinds without metadata.name, recognised by apiVersion and kind', () => {
    const entries = parse([
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255',
      'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration',
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: []',
      'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []',
      'apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration',
    ].join('\n---\n'));
    expect(entries.map((entry) => entry.object.kind)).toEqual(['KubeletConfiguration', 'ClusterConfiguration', 'EncryptionConfiguration', 'Policy', 'AuthenticationConfiguration']);
    const report = checkManifests(entries, { pack: 'hardened' });
    expect(report.findings.map((finding) => finding.ruleId)).toEqual(expect.arrayContaining(['kubelet-config-insecure', 'kubeadm-control-plane-insecure', 'encryption-config-weak', 'audit-policy-gaps']));
  });

  test('still requires metadata.name of API objects, including a Policy of another group', () => {
    expect(() => parse('apiVersion: example.com/v1\nkind: Policy\nrules: []')).toThrow(/metadata.name is missing/);
    expect(() => parse('apiVersion: apps/v1\nkind: Deployment\nspec: {}')).toThrow(/metadata.name is missing/);
  });
});
