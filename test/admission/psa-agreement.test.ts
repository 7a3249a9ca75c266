import * as fs from 'fs';
import { runPsaAgreement } from './agreement';
import { asController } from './api-defaulting';
import { PSA_ROOT } from '../conformance/conformance';

// the whole corpus runs in `npm run conformance`; here one fixture of each check and level keeps `npm test` quick.
const corpus = fs.existsSync(PSA_ROOT) ? test : test.skip;

corpus('the pss-baseline and pss-restricted twins give PSA\'s verdict on the official fixtures (first of each check) as Pod, Deployment and CronJob, raw and defaulted', () => {
  const report = runPsaAgreement(PSA_ROOT, asController, (file) => /(base|base_linux|base_windows|[a-z_]+0)\.yaml$/.test(file));
  expect(report.fixtures).toBeGreaterThan(30);
  expect(report.cases).toBe(report.fixtures * 6);
  expect(report.misses).toEqual([]);
  expect(report.disagreements).toEqual([]);
});
