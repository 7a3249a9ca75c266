import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import 'cdk8s-hardened/lib/checker/jest-setup';

test('a privileged plain cdk8s-plus deployment fails the hardened pack', () => {
  const chart = Testing.chart();
  new kplus.Deployment(chart, 'plain', {
    containers: [{ image: 'nginx:1.27', securityContext: { privileged: true, allowPrivilegeEscalation: true } }],
  });
  expect(chart).toPassPack('hardened');
});
