import {
  PROBE_EXPECTATIONS, PROBE_OBSERVATIONS, PROBE_REPORT_FORMAT, probeVerdict, ProbeExpectation, ProbeObservation, ProbeVerdict,
} from '../model/probe-verdicts';

/** why a check is in the plan. */
export type ProbeCategory = 'declared' | 'undeclared' | 'metadata' | 'canary';

const CATEGORIES: readonly ProbeCategory[] = ['declared', 'undeclared', 'metadata', 'canary'];

/** one line of the probe's report, as the Job writes it to its log. */
export interface ProbeReportLine {
  /** stable id of the check within its Job, e.g. `declared:shop/api:8080`. */
  readonly check: string;
  readonly category: ProbeCategory;
  /** the source workload the probe pod stands in for: `namespace/name`. */
  readonly source: string;
  /** `host:port` (IPv6 as `[addr]:port`). */
  readonly target: string;
  readonly expected: ProbeExpectation;
  readonly observed: ProbeObservation;
  /** recomputed from `expected` and `observed`; the Job's own verdict is only informational. */
  readonly verdict: ProbeVerdict;
  /** the 1-based line number in the log. */
  readonly line: number;
}

/**
 * The overall answer:
 * - `pass`: the canaries show the CNI enforces policy, every declared flow connects, every
 *   undeclared sample and metadata address is dropped;
 * - `fail`: enforcement is shown, but at least one check contradicts the declared flows;
 * - `not-enforced`: the closed canary answered: the CNI ignores NetworkPolicy, so every other
 *   result says nothing about the policies;
 * - `inconclusive`: the canaries could not show enforcement (the open canary was unreachable,
 *   lines are missing) or some checks could not be decided.
 */
export type ProbeRunVerdict = 'pass' | 'fail' | 'not-enforced' | 'inconclusive';

/** the result of evaluating one or more probe logs. */
export interface ProbeReport {
  readonly verdict: ProbeRunVerdict;
  /** why the run got its verdict, one sentence each. */
  readonly reasons: string[];
  readonly checks: ProbeReportLine[];
}

/** the check ids of the canary trio every probe Job runs. */
export const CANARY_CHECKS = {
  /** the open canary on its listening port: must connect. */
  OPEN: 'canary:open',
  /** the open canary on an allowed port with nothing listening: must be refused. */
  LISTENER: 'canary:nothing-listening',
  /** the closed canary (a listener no policy allows): must time out. */
  CLOSED: 'canary:closed',
} as const;

/** a log line that claims the report format but cannot be read. */
export class ProbeReportError extends Error {
  constructor(public readonly line: number, public readonly field: string, message: string) {
    super(`line ${line}: ${field}: ${message}`);
    this.name = 'ProbeReportError';
  }
}

/**
 * Reads the report lines out of a probe Job's log (`kubectl logs job/<name>`): lines that are
 * JSON objects with `"format": "cdk8s-hardened.io/netpol-probe/v1"`. Other lines (a runtime's
 * own messages) are skipped. A line in the format with a missing or unknown field throws a
 * `ProbeReportError` naming the line and the field. Pure: reads only its argument.
 */
export function parseProbeReport(log: string): ProbeReportLine[] {
  if (typeof log !== 'string') throw new ProbeReportError(0, 'log', `expected the log text, got ${typeof log}`);
  const lines: ProbeReportLine[] = [];
  log.split(/\r?\n/).forEach((text, index) => {
    const lineNumber = index + 1;
    const trimmed = text.trim();
    if (!trimmed.startsWith('{') || !trimmed.includes(PROBE_REPORT_FORMAT)) return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(trimmed);
    } catch (error) {
      throw new ProbeReportError(lineNumber, 'json', `not valid JSON (${(error as Error).message})`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new ProbeReportError(lineNumber, 'json', 'not a JSON object');
    if (record.format !== PROBE_REPORT_FORMAT) return;
    const text_ = (field: string): string => {
      const value = record[field];
      if (typeof value !== 'string' || value === '') throw new ProbeReportError(lineNumber, field, `missing or not a string (${JSON.stringify(value)})`);
      return value;
    };
    const oneOf = <T extends string>(field: string, allowed: readonly T[]): T => {
      const value = text_(field);
      if (!allowed.includes(value as T)) throw new ProbeReportError(lineNumber, field, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
      return value as T;
    };
    const expected = oneOf('expected', PROBE_EXPECTATIONS);
    const observed = oneOf('observed', PROBE_OBSERVATIONS);
    lines.push({
      check: text_('check'),
      category: oneOf('category', CATEGORIES),
      source: text_('source'),
      target: text_('target'),
      expected,
      observed,
      verdict: probeVerdict(expected, observed),
      line: lineNumber,
    });
  });
  return lines;
}

/** options of `evaluateProbeReport`. */
export interface ProbeEvaluationOptions {
  /**
   * The check ids the plan holds (per source); a missing one makes the run inconclusive (the Job
   * was cut short or its log rotated away).
   *
   * @default - only the canary trio is required
   */
  readonly expectedChecks?: readonly string[];
}

/**
 * The verdict of a probe run from its report lines (`parseProbeReport`), one Job's or several
 * Jobs' concatenated: the canary trio decides whether the other results mean anything. Pure.
 */
export function evaluateProbeReport(lines: readonly ProbeReportLine[], options: ProbeEvaluationOptions = {}): ProbeReport {
  const reasons: string[] = [];
  const canary = (check: string) => lines.filter((line) => line.check === check);
  const closed = canary(CANARY_CHECKS.CLOSED);
  if (closed.some((line) => line.verdict === 'fail')) {
    reasons.push(`the closed canary answered (${closed.map((line) => `${line.source}: ${line.observed}`).join(', ')}): the CNI does not enforce NetworkPolicy`);
    return { verdict: 'not-enforced', reasons, checks: [...lines] };
  }
  let canariesShowEnforcement = true;
  for (const [check, what] of [[CANARY_CHECKS.OPEN, 'the open canary'], [CANARY_CHECKS.LISTENER, 'the open canary\'s listener-less port'], [CANARY_CHECKS.CLOSED, 'the closed canary']] as const) {
    const found = canary(check);
    if (found.length === 0) {
      reasons.push(`no result for ${what} (${check})`);
      canariesShowEnforcement = false;
    }
    for (const line of found.filter((entry) => entry.verdict !== 'pass')) {
      reasons.push(`${what} from ${line.source}: expected ${line.expected}, observed ${line.observed}`);
      canariesShowEnforcement = false;
    }
  }
  const seen = new Set(lines.map((line) => line.check));
  const missing = (options.expectedChecks ?? []).filter((check) => !seen.has(check));
  if (missing.length > 0) reasons.push(`no result for ${missing.length} planned check(s): ${missing.join(', ')}`);
  const failed = lines.filter((line) => line.category !== 'canary' && line.verdict === 'fail');
  const undecided = lines.filter((line) => line.category !== 'canary' && line.verdict === 'inconclusive');
  for (const line of failed) reasons.push(`${line.check} from ${line.source}: expected ${line.expected}, observed ${line.observed}`);
  for (const line of undecided) reasons.push(`${line.check} from ${line.source}: ${line.observed} does not decide ${line.expected}`);
  const verdict: ProbeRunVerdict = !canariesShowEnforcement ? 'inconclusive'
    : failed.length > 0 ? 'fail'
      : undecided.length > 0 || missing.length > 0 ? 'inconclusive'
        : 'pass';
  if (verdict === 'pass') reasons.push(`the canaries show enforcement and all ${lines.length} checks passed`);
  return { verdict, reasons, checks: [...lines] };
}
