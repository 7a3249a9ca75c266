/* eslint-disable no-console */
import { conformancePassed, formatConformanceReport, runKyvernoConformance, runPsaConformance } from './conformance';

// `npm run conformance`: prints agreement per control and exits 1 on any disagreement, 2 when the corpus is unreadable
try {
  const psa = runPsaConformance();
  const kyverno = runKyvernoConformance();
  console.log(formatConformanceReport(psa, kyverno));
  process.exitCode = conformancePassed(psa, kyverno) ? 0 : 1;
} catch (error) {
  console.error(`conformance: cannot read the corpus: ${(error as Error).message}`);
  process.exitCode = 2;
}
