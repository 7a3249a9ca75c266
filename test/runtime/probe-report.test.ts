import {
  CANARY_CHECKS, evaluateProbeReport, parseProbeReport, PROBE_EXPECTATIONS, PROBE_OBSERVATIONS, PROBE_REPORT_FORMAT, probeVerdict,
  ProbeReportError, ProbeReportLine,
} from '../../src';

function line(fields: Record<string, string>): string {
  return JSON.stringify({ format: PROBE_REPORT_FORMAT, category: 'declared', source: 'shop/web', target: 'api.shop.svc.cluster.local:8080', ...fields });
}

function canaries(overrides: Partial<Record<'open' | 'listener' | 'closed', string>> = {}): string[] {
  return [
    line({ check: CANARY_CHECKS.OPEN, category: 'canary', expected: 'connect', observed: overrides.open ?? 'CONNECTED' }),
    line({ check: CANARY_CHECKS.LISTENER, category: 'canary', expected: 'refused', observed: overrides.listener ?? 'REFUSED' }),
    line({ check: CANARY_CHECKS.CLOSED, category: 'canary', expected: 'blocked', observed: overrides.closed ?? 'TIMEOUT' }),
  ];
}

describe('probe verdicts |', () => {
  test('every expectation and observation pair has exactly one verdict', () => {
    const table = Object.fromEntries(PROBE_EXPECTATIONS.map((expected) => [expected,
      Object.fromEntries(PROBE_OBSERVATIONS.map((observed) => [observed, probeVerdict(expected, observed)]))]));
    expect(table).toEqual({
      connect: { CONNECTED: 'pass', TIMEOUT: 'fail', REFUSED: 'inconclusive', DNS: 'inconclusive', OTHER: 'inconclusive', UNKNOWN: 'inconclusive' },
      blocked: { CONNECTED: 'fail', TIMEOUT: 'pass', REFUSED: 'inconclusive', DNS: 'inconclusive', OTHER: 'inconclusive', UNKNOWN: 'inconclusive' },
      unreachable: { CONNECTED: 'fail', TIMEOUT: 'pass', REFUSED: 'fail', DNS: 'inconclusive', OTHER: 'pass', UNKNOWN: 'inconclusive' },
      refused: { CONNECTED: 'inconclusive', TIMEOUT: 'fail', REFUSED: 'pass', DNS: 'inconclusive', OTHER: 'inconclusive', UNKNOWN: 'inconclusive' },
    });
  });
});

describe('parseProbeReport |', () => {
  test('reads the report lines and skips everything else', () => {
    const log = ['starting', line({ check: 'declared:shop/api:8080', expected: 'connect', observed: 'CONNECTED', verdict: 'fail' }), '{"other":"json"}', ''].join('\n');
    const lines = parseProbeReport(log);
    expect(lines).toEqual([{
      check: 'declared:shop/api:8080',
      category: 'declared',
      source: 'shop/web',
      target: 'api.shop.svc.cluster.local:8080',
      expected: 'connect',
      observed: 'CONNECTED',
      verdict: 'pass',
      line: 2,
    }]);
  });

  test('recomputes the verdict instead of trusting the line', () => {
    const [parsed] = parseProbeReport(line({ check: 'metadata:169.254.169.254:80', category: 'metadata', expected: 'unreachable', observed: 'REFUSED', verdict: 'pass' }));
    expect(parsed.verdict).toBe('fail');
  });

  test('handles Windows line endings', () => {
    expect(parseProbeReport(`${canaries().join('\r\n')}\r\n`).map((l) => l.line)).toEqual([1, 2, 3]);
  });

  test('throws naming the line and the field for an unknown observation', () => {
    const log = ['x', line({ check: 'c', expected: 'connect', observed: 'MAYBE' })].join('\n');
    expect(() => parseProbeReport(log)).toThrow(ProbeReportError);
    expect(() => parseProbeReport(log)).toThrow(/^line 2: observed: "MAYBE" is not one of CONNECTED, TIMEOUT, REFUSED, DNS, OTHER, UNKNOWN$/);
  });

  test('throws for a missing field, a bad category and broken JSON in the format', () => {
    expect(() => parseProbeReport(JSON.stringify({ format: PROBE_REPORT_FORMAT, check: 'c', category: 'declared', source: 's', expected: 'connect', observed: 'TIMEOUT' })))
      .toThrow(/^line 1: target: missing or not a string/);
    expect(() => parseProbeReport(line({ check: 'c', category: 'elsewhere', expected: 'connect', observed: 'TIMEOUT' }))).toThrow(/^line 1: category:/);
    expect(() => parseProbeReport(`{"format":"${PROBE_REPORT_FORMAT}",`)).toThrow(/^line 1: json: not valid JSON/);
    expect(() => parseProbeReport(undefined as unknown as string)).toThrow(/expected the log text/);
  });

  test('does not modify its input', () => {
    const log = canaries().join('\n');
    const copy = `${log}`;
    parseProbeReport(log);
    expect(log).toBe(copy);
  });
});

describe('evaluateProbeReport |', () => {
  const declared = (observed: string) => line({ check: 'declared:shop/api:8080', expected: 'connect', observed });
  const evaluate = (lines: string[], expectedChecks?: string[]) => evaluateProbeReport(parseProbeReport(lines.join('\n')), { expectedChecks });

  test('pass: the canaries show enforcement and every check passed', () => {
    const report = evaluate([...canaries(), declared('CONNECTED')]);
    expect(report.verdict).toBe('pass');
    expect(report.reasons).toEqual(['the canaries show enforcement and all 4 checks passed']);
  });

  test('not-enforced: the closed canary answered, whatever else happened', () => {
    const report = evaluate([...canaries({ open: 'TIMEOUT', closed: 'CONNECTED' }), declared('TIMEOUT')]);
    expect(report.verdict).toBe('not-enforced');
    expect(report.reasons).toEqual(['the closed canary answered (shop/web: CONNECTED): the CNI does not enforce NetworkPolicy']);
  });

  test('fail: a declared flow is dropped while the canaries show enforcement', () => {
    const report = evaluate([...canaries(), declared('TIMEOUT')]);
    expect(report.verdict).toBe('fail');
    expect(report.reasons).toEqual(['declared:shop/api:8080 from shop/web: expected connect, observed TIMEOUT']);
  });

  test('inconclusive: the open canary is unreachable, so a timeout proves nothing', () => {
    const report = evaluate([...canaries({ open: 'TIMEOUT' }), declared('TIMEOUT')]);
    expect(report.verdict).toBe('inconclusive');
    expect(report.reasons[0]).toBe('the open canary from shop/web: expected connect, observed TIMEOUT');
  });

  test('inconclusive: the listener-less port timed out, so refusals and drops cannot be told apart', () => {
    expect(evaluate([...canaries({ listener: 'TIMEOUT' })]).verdict).toBe('inconclusive');
  });

  test('inconclusive: a canary line is missing, or a planned check has no result', () => {
    expect(evaluate(canaries().slice(0, 2)).reasons).toContain(`no result for the closed canary (${CANARY_CHECKS.CLOSED})`);
    const report = evaluate(canaries(), ['declared:shop/api:8080']);
    expect(report.verdict).toBe('inconclusive');
    expect(report.reasons).toEqual(['no result for 1 planned check(s): declared:shop/api:8080']);
  });

  test('inconclusive: a check the observation cannot decide', () => {
    const report = evaluate([...canaries(), declared('DNS')]);
    expect(report.verdict).toBe('inconclusive');
    expect(report.reasons).toEqual(['declared:shop/api:8080 from shop/web: DNS does not decide connect']);
  });

  test('is pure: the same lines give the same report and stay unchanged', () => {
    const lines: ProbeReportLine[] = parseProbeReport([...canaries(), declared('CONNECTED')].join('\n'));
    const frozen = JSON.stringify(lines);
    expect(evaluateProbeReport(lines)).toEqual(evaluateProbeReport(lines));
    expect(JSON.stringify(lines)).toBe(frozen);
  });
});
