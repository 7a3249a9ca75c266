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

/**
 * The JSON report as text, two-space indented, ending with a newline: byte for byte
 * `JSON.stringify(toJsonReport(report), null, 2)`, written one finding at a time without building
 * the intermediate objects (a finding-heavy report has tens of thousands).
 */
export function renderJson(report: CheckReport): string {
  const findings = report.findings;
  if (findings.length === 0) return `{\n  "findings": [],\n  "summary": ${indent(JSON.stringify(report.summary, null, 2), '  ')}\n}\n`;
  const parts: string[] = ['{\n  "findings": [\n'];
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    let text = `    {\n      "ruleId": ${JSON.stringify(f.ruleId)},\n      "severity": ${JSON.stringify(f.severity)},\n`
      + `      "kind": ${JSON.stringify(f.kind)},\n      "apiVersion": ${JSON.stringify(f.apiVersion)},\n`
      + `      "namespace": ${f.namespace === undefined ? 'null' : JSON.stringify(f.namespace)},\n      "name": ${JSON.stringify(f.name)},\n`
      + `      "file": ${f.file === undefined ? 'null' : JSON.stringify(f.file)},\n      "line": ${f.line === undefined ? 'null' : JSON.stringify(f.line)},\n`
      + `      "path": ${JSON.stringify(f.path)},\n      "message": ${JSON.stringify(f.message)},\n      "remediation": ${JSON.stringify(f.remediation)},\n`;
    if (f.pss) text += `      "pss": {\n        "level": ${JSON.stringify(f.pss.level)},\n        "check": ${JSON.stringify(f.pss.check)}\n      },\n`;
    text += f.reason !== undefined
      ? `      "suppressed": ${f.suppressed},\n      "reason": ${JSON.stringify(f.reason)}\n    }`
      : `      "suppressed": ${f.suppressed}\n    }`;
    parts.push(i === findings.length - 1 ? `${text}\n` : `${text},\n`);
  }
  parts.push(`  ],\n  "summary": ${indent(JSON.stringify(report.summary, null, 2), '  ')}\n}\n`);
  return parts.join('');
}

/** every line but the first of `text` indented by `prefix`. */
function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}
