import { App, Chart, Testing } from 'cdk8s';
import { checkManifests, manifestsOf } from '../../src';
import { KubeBenchScan, KubeBenchTarget } from '../../src/runtime/kube-bench-scan';
import { NetworkPolicyProbe } from '../../src/runtime/network-policy-probe';
import { buildReferencePlatform } from '../../src/platform/reference-platform';
test('smoke', () => {
  const app = new App();
  buildReferencePlatform(app);
  const c = new Chart(Testing.app(), 'probes');
  new NetworkPolicyProbe(c, 'probe', { observe: app });
  new KubeBenchScan(c, 'kb', { privilegedNamespace: { reason: 'CIS evidence for the quarterly audit', expires: '2027-03-31' }, targets: [KubeBenchTarget.NODE, KubeBenchTarget.MASTER], today: '2026-12-01' });
  const report = checkManifests(manifestsOf(c), { pack: 'hardened', now: new Date('2026-12-01T00:00:00Z') });
  console.log(report.findings.map((f) => `${f.suppressed ? 'S' : 'OPEN'} ${f.severity} ${f.ruleId} ${f.kind}/${f.name}: ${f.message}`).join('\n'));
});
