import * as fs from 'fs';
import * as path from 'path';
import { conformancePassed, formatConformanceReport, KYVERNO_ROOT, PSA_ROOT, runKyvernoConformance, runPsaConformance } from './conformance';

// the corpora live beside the repository (../shared/corpus), as in CI, which also runs
// `npm run conformance` and fails when they are missing; a clone without them skips these suites.
const psaPresent = fs.existsSync(path.join(PSA_ROOT, 'expected.json'));
(psaPresent ? describe : describe.skip)('PSA v1.28 conformance', () => {
  let psa: ReturnType<typeof runPsaConformance>;
  beforeAll(() => {
    psa = runPsaConformance();
  });

  test('all 128 official fixtures agree', () => {
    expect(psa.outcomes.filter((outcome) => !outcome.agrees)).toEqual([]);
    expect(psa.total).toBe(128);
    expect(psa.agree).toBe(128);
  });

  test('every fail fixture is denied by its named check or the restricted check overriding it', () => {
    const failing = psa.outcomes.filter((outcome) => outcome.expected === 'fail');
    expect(failing).toHaveLength(98);
    expect(failing.every((outcome) => outcome.agrees && outcome.failingChecks.length > 0)).toBe(true);
  });

  test('the report lists every control and the total', () => {
    const report = formatConformanceReport(psa, undefined);
    expect(report).toContain('PSA total: 128/128');
    expect(report).toContain('restricted/seccompProfile_restricted');
    expect(report).toContain('Kyverno PSS corpus not found: skipped.');
  });
});

const kyvernoPresent = fs.existsSync(path.join(KYVERNO_ROOT, 'index.json'));
(kyvernoPresent && psaPresent ? describe : describe.skip)('Kyverno PSS conformance', () => {
  let kyverno: NonNullable<ReturnType<typeof runKyvernoConformance>>;
  beforeAll(() => {
    kyverno = runKyvernoConformance()!;
  });

  test('every mapped expectation agrees', () => {
    expect(kyverno.disagreements).toEqual([]);
    expect(kyverno.agree).toBe(kyverno.total);
    expect(kyverno.total).toBe(881);
  });

  test('the non-PSS and image-scoped policies are listed as not compared', () => {
    expect(kyverno.unmapped.map((item) => item.policy)).toEqual([
      'baseline/disallow-host-ports-range', 'pss-subrule/restricted-exclude-capabilities', 'pss-subrule/restricted-exclude-seccomp',
    ]);
  });

  test('the documented divergences are listed, not matched', () => {
    const report = formatConformanceReport(runPsaConformance(), kyverno);
    expect(kyverno.divergences.map((divergence) => divergence.id)).toEqual([
      'sysctl-ip-local-reserved-ports', 'pod-level-host-process', 'pod-level-run-as-non-root-false',
      'pod-level-seccomp-unconfined', 'windows-relaxation', 'volume-without-source',
    ]);
    expect(report).toContain("Kyverno's documented divergences from PSS v1.28 (corpus README; listed, not matched):");
    // one detector per divergence the corpus README documents
    expect(kyverno.documentedDivergences).toHaveLength(kyverno.divergences.length);
    expect(kyverno.documentedDivergences[0]).toMatch(/^1\. `restrict-sysctls` rejects `net.ipv4.ip_local_reserved_ports`/);
    expect(conformancePassed(runPsaConformance(), kyverno)).toBe(true);
  });

  test('each divergence detector recognises the case it documents', () => {
    const pod = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec });
    const byId = Object.fromEntries(kyverno.divergences.map((divergence) => [divergence.id, divergence.applies]));
    expect(byId['sysctl-ip-local-reserved-ports'](pod({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_reserved_ports', value: '1' }] } }))).toBe(true);
    expect(byId['pod-level-host-process'](pod({ securityContext: { windowsOptions: { hostProcess: true } } }))).toBe(true);
    const container = (securityContext: Record<string, unknown>) => [{ name: 'app', image: 'app', securityContext }];
    expect(byId['pod-level-run-as-non-root-false'](pod({ securityContext: { runAsNonRoot: false }, containers: container({ runAsNonRoot: true }) }))).toBe(true);
    expect(byId['pod-level-run-as-non-root-false'](pod({ securityContext: { runAsNonRoot: false }, containers: container({}) }))).toBe(false);
    expect(byId['pod-level-seccomp-unconfined'](pod({
      securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: container({ seccompProfile: { type: 'RuntimeDefault' } }),
    }))).toBe(true);
    expect(byId['windows-relaxation'](pod({ os: { name: 'windows' } }))).toBe(true);
    expect(byId['volume-without-source'](pod({ volumes: [{ name: 'v' }] }))).toBe(true);
    expect(byId['volume-without-source'](pod({ volumes: [{ name: 'v', emptyDir: {} }] }))).toBe(false);
  });
});
