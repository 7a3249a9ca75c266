// plain-JS jest: the matcher comes from setupFilesAfterEnv, no TypeScript involved.
const { Chart, Testing } = require('cdk8s');
const { HardenedDeployment } = require('cdk8s-hardened');

test('toPassPack is registered by the setup entry', () => {
  const chart = new Chart(Testing.app(), 'plain', { namespace: 'shop' });
  new HardenedDeployment(chart, 'web', { containers: [{ image: `ghcr.io/example/web:1@sha256:${'a'.repeat(64)}`, portNumber: 8080 }] });
  expect(chart).toPassPack('pss-restricted');
  expect(() => expect([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostPID: true, containers: [{ name: 'c', image: 'x' }] } }]).toPassPack('pss-baseline'))
    .toThrow(/pss-host-namespaces/);
});
