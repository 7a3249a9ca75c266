import { App } from 'cdk8s';
import 'cdk8s-hardened/lib/checker/jest-setup';
import { buildEverything, findingsOf, guard } from './every-construct';

test('every construct together passes the hardened pack, through the matcher, the API and the guard', () => {
  const app = new App({ outdir: 'cdk8s.out.test' });
  const chart = buildEverything(app);
  expect(chart).toPassPack('hardened');
  expect(chart).toPassPack('pss-restricted', { failOn: 'warning' });
  expect(findingsOf(chart)).toBe(0);
  guard(app);
  expect(() => app.synthYaml()).not.toThrow();
});
