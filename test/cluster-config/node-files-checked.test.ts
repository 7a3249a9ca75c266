import { checkManifests } from '../../src/checker/engine';
import { decodeText, parseManifests } from '../../src/checker/input';
import { KubeadmConfiguration } from '../../src/cluster-config';

/** every document the builders write for a release, as the checker reads files. */
function documentsOf(config: KubeadmConfiguration) {
  const files: [string, string][] = [
    ['kubeadm-config.yaml', config.toYaml()],
    ['encryption-configuration.yaml', config.encryption.toYaml()],
    ['audit-policy.yaml', config.auditPolicy.toYaml()],
    ['kubelet-config.yaml', config.kubelet.toYaml()],
    ...(config.authentication ? [['authentication-configuration.yaml', config.authentication.toYaml()] as [string, string]] : []),
  ];
  return files.flatMap(([name, text]) => parseManifests(decodeText(Buffer.from(text), name), name));
}

describe('the checker over the generated node files |', () => {
  test.each(['v1.28.15', 'v1.31.2', 'v1.32.4', 'v1.34.1'])('finds nothing for Kubernetes %s', (version) => {
    const entries = documentsOf(new KubeadmConfiguration({ kubernetesVersion: version }));
    expect(entries.length).toBeGreaterThanOrEqual(6);
    const report = checkManifests(entries, { pack: 'hardened' });
    expect(report.findings.map((finding) => `${finding.ruleId}: ${finding.message}`)).toEqual([]);
  });

  test('finds the weakened kubelet and the missing encryption of a kubeadm file edited by hand', () => {
    const config = new KubeadmConfiguration();
    const text = config.toYaml().replace('    enabled: false\n', '    enabled: true\n').replace(/ {4}encryption-provider-config: .*\n/, '');
    const report = checkManifests(parseManifests(decodeText(Buffer.from(text), 'kubeadm-config.yaml'), 'kubeadm-config.yaml'), { pack: 'hardened' });
    expect(report.findings.map((finding) => finding.ruleId).sort()).toEqual(['kubeadm-control-plane-insecure', 'kubelet-config-insecure']);
  });
});
