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
  return {
    findings: report.findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      kind: finding.kind,
      apiVersion: finding.apiVersion,
      namespace: finding.namespace ?? null,
      name: finding.name,
      file: finding.file ?? null,
      line: finding.line ?? null,
      path: finding.path,
      message: finding.message,
      remediation: finding.remediation,
      ...(finding.pss ? { pss: finding.pss } : {}),
      suppressed: finding.suppressed,
      ...(finding.reason !== undefined ? { reason: finding.reason } : {}),
    })),
    summary: report.summary,
  };
}

/** the JSON report as text, two-space indented, ending with a newline. */
export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
