/* eslint-disable no-console */
import { conformancePassed, formatConformanceReport, PSA_ROOT, runKyvernoConformance, runPsaConformance } from './conformance';
import { runCheckerFixtureAgreement, runDistPsaAgreement, runPsaAgreement } from '../admission/agreement';
import { asController } from '../admission/api-defaulting';

// `npm run conformance`: prints agreement per control and exits 1 on any disagreement, 2 when the corpus is unreadable
try {
  const psa = runPsaConformance();
  const kyverno = runKyvernoConformance();
  console.log(formatConformanceReport(psa, kyverno));
  let passed = conformancePassed(psa, kyverno);

  // the admission twins: every PSA fixture × Pod/Deployment/CronJob × raw/defaulted, and every checker fixture
  const started = Date.now();
  const twins = runPsaAgreement(PSA_ROOT, asController);
  const fixtures = runCheckerFixtureAgreement(asController);
  const dist = runDistPsaAgreement(PSA_ROOT, asController);
  const agreeing = twins.cases - twins.misses.length;
  console.log('');
  console.log(`Admission twins vs PSA v1.28: ${agreeing}/${twins.cases} cases (${twins.fixtures} fixtures × 3 shapes × raw/defaulted) give PSA's verdict with no evaluation error`);
  console.log(`Admission twins vs checker on PSA fixtures: ${twins.ruleComparisons - twins.disagreements.length}/${twins.ruleComparisons} rule verdicts agree`);
  console.log(`Admission twins vs checker fixtures: ${fixtures.comparisons - fixtures.disagreements.length}/${fixtures.comparisons} rule verdicts agree`);
  const distAgreeing = dist.cases - dist.misses.length;
  console.log(`PSS policies committed in dist/ vs PSA restricted fixtures: ${distAgreeing}/${dist.cases} cases`);
  for (const miss of dist.misses) console.log(`  MISS dist/ ${miss}`);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  for (const miss of twins.misses) console.log(`  MISS ${miss.label}: PSA ${miss.expected}, twins ${miss.twin}${miss.errors.length ? `; errors: ${miss.errors.join('; ')}` : ''}`);
  for (const found of [...twins.disagreements, ...fixtures.disagreements]) {
    console.log(`  DISAGREE ${found.ruleId} ${found.label}: checker ${found.checker}, twin ${found.twin} ${found.reasons.join('; ')}`);
  }
  const admissionFailures = dist.misses.length + twins.misses.length + twins.disagreements.length + fixtures.disagreements.length;
  if (twins.fixtures !== 128 || admissionFailures > 0) passed = false;
  process.exitCode = passed ? 0 : 1;
} catch (error) {
  console.error(`conformance: cannot read the corpus: ${(error as Error).message}`);
  process.exitCode = 2;
}
