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
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
