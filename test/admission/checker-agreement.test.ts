import { runCheckerFixtureAgreement } from './agreement';
import { asController } from './api-defaulting';

test('every checker fixture gets the same verdict from its rule and from the rule\'s admission twin, raw and API-defaulted', () => {
  const report = runCheckerFixtureAgreement(asController);
  expect(report.comparisons).toBeGreaterThan(500);
  expect(report.disagreements).toEqual([]);
});
