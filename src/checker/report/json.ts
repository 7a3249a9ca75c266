import type { CheckReport, CheckSummary } from '../engine';
import type { Finding } from '../types';

/** one finding as the JSON report writes it: every key present, `null` where unknown. */
export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Finding['severity'];
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly path: string;
  readonly message: string;
  readonly remediation: string;
  readonly pss?: Finding['pss'];
  readonly suppressed: boolean;
  readonly reason?: string;
}

/** the JSON report: `{"findings": [...], "summary": {...}}`. */
export interface JsonReport {
  readonly findings: readonly JsonFinding[];
  readonly summary: CheckSummary;
}

/** the JSON report's shape, in its key order. */
export function toJsonReport(report: CheckReport): JsonReport {
  return { findings: report.findings.map(toJsonFinding), summary: report.summary };
}

function toJsonFinding(finding: Finding): JsonFinding {
  // two literals in the report's key order rather than spreads of temporary objects: a report may hold tens of thousands.
  const namespace = finding.namespace ?? null;
  const file = finding.file ?? null;
  const line = finding.line ?? null;
  const json: { -readonly [K in keyof JsonFinding]: JsonFinding[K] } = finding.pss
    ? {
      ruleId: finding.ruleId,
      severity: finding.severity,
      kind: finding.kind,
      apiVersion: finding.apiVersion,
      namespace,
      name: finding.name,
      file,
      line,
      path: finding.path,
      message: finding.message,
      remediation: finding.remediation,
      pss: finding.pss,
      suppressed: finding.suppressed,
    }
    : {
      ruleId: finding.ruleId,
      severity: finding.severity,
      kind: finding.kind,
      apiVersion: finding.apiVersion,
      namespace,
      name: finding.name,
      file,
      line,
      path: finding.path,
      message: finding.message,
      remediation: finding.remediation,
      suppressed: finding.suppressed,
    };
  if (finding.reason !== undefined) json.reason = finding.reason;
  return json;
}

/** the JSON report as text, two-space indented, ending with a newline. */
export function renderJson(report: CheckReport): string {
  return [...renderJsonChunks(report)].join('');
}

/** how many findings one chunk of `renderJsonChunks` holds: about 60 KB of text, small enough for V8's young generation (a larger string gets memory of its own, fresh from the system every time). */
const FINDINGS_PER_CHUNK = 100;
const FINDINGS_OPEN = '{\n  "findings": [';
const FINDINGS_CLOSE = '\n  ]\n}';

/**
 * The text of `renderJson` in pieces that join to exactly that text, so a large report is written
 * as it is rendered instead of held whole (as one string, then again as bytes). Each piece is
 * `JSON.stringify` of a slice of the findings, cut out of its enclosing `{"findings": [...]}`, so
 * the text is `JSON.stringify`'s by construction, not a second serializer.
 */
export function* renderJsonChunks(report: CheckReport, findingsPerChunk = FINDINGS_PER_CHUNK): Generator<string> {
  const findings = report.findings;
  if (findings.length === 0) {
    yield `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
    return;
  }
  for (let start = 0; start < findings.length; start += findingsPerChunk) {
    const slice = findings.slice(start, start + findingsPerChunk).map(toJsonFinding);
    // `{\n  "findings": [\n    {...},\n    {...}\n  ]\n}`: keep what sits between the brackets.
    const text = JSON.stringify({ findings: slice }, null, 2);
    const items = text.slice(FINDINGS_OPEN.length, text.length - FINDINGS_CLOSE.length);
    yield start === 0 ? FINDINGS_OPEN + items : `,${items}`;
  }
  // `{\n  "summary": {...}\n}` without its opening brace: the report's last key and closing brace.
  yield `\n  ],\n${JSON.stringify({ summary: report.summary }, null, 2).slice(2)}\n`;
}
