import type { CheckReport, CheckSummary } from '../engine';
import type { Finding } from '../types';

/**
 * C0 and C1 controls, DEL, Unicode line and paragraph separators, and the bidirectional
 * overrides and isolates: characters that would start a new line, move the cursor, recolour the
 * terminal or reorder what a reader sees.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** text from a manifest or a file name, safe for a terminal: unsafe characters written as `\n`, `\x1b`, `\u202e`. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (char) => {
    switch (char) {
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: {
        const code = char.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
      }
    }
  });
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `Deployment team-a/web`, plus the construct path when there is one. */
export function describeObject(finding: Finding): string {
  const name = finding.namespace ? `${finding.namespace}/${finding.name}` : finding.name;
  return escapeControl(`${finding.kind} ${name}${finding.constructPath ? ` at ${finding.constructPath}` : ''}`);
}

/** `file:line`, `file`, or nothing. */
export function describeLocation(finding: Finding): string {
  if (finding.file === undefined) return '';
  const file = escapeControl(finding.file);
  return finding.line !== undefined ? `${file}:${finding.line}` : file;
}

/** one finding in a few lines, indented under its object; `withFix: false` leaves out the remediation. */
export function describeFinding(finding: Finding, indent = '  ', withFix = true): string {
  const location = describeLocation(finding);
  const status = finding.suppressed ? ` (suppressed: ${escapeControl(finding.reason ?? '')})` : '';
  const lines = [`${indent}${location ? `${location}: ` : ''}${finding.severity} ${finding.ruleId}${status}: ${escapeControl(finding.message)}`];
  if (finding.path) lines.push(`${indent}    at ${escapeControl(finding.path)}`);
  if (withFix && !finding.suppressed && finding.remediation) lines.push(`${indent}    fix: ${finding.remediation}`);
  return lines.join('\n');
}

/** the summary line: objects, skipped kinds and counts by severity. */
export function describeSummary(summary: CheckSummary): string {
  const skipped = Object.entries(summary.skipped).map(([kind, count]) => `${escapeControl(kind)} ×${count}`).join(', ');
  const counts = summary.findings === 0
    ? 'no findings'
    : `${plural(summary.bySeverity.error, 'error')}, ${plural(summary.bySeverity.warning, 'warning')}, ${summary.bySeverity.info} info, ${summary.suppressed} suppressed`;
  const files = (summary.skippedFiles ?? []).map(({ file, reason }) => `${escapeControl(file)} (${reason})`).join(', ');
  return `${plural(summary.objects, 'object')} (${summary.checked} checked${skipped ? `; skipped ${skipped}` : ''}${files ? `; skipped file ${files}` : ''}), pack ${summary.pack}: ${counts}`;
}

/**
 * The readable report: findings grouped per object (the engine's order keeps an object's
 * findings together), each with `file:line`, severity, rule id, message and field path; a rule's
 * fix is printed with its first finding on each object.
 */
export function renderText(report: CheckReport): string {
  const out: string[] = [];
  let previous: string | undefined;
  let fixed = new Set<string>();
  for (const finding of report.findings) {
    const header = `${describeObject(finding)}${finding.file !== undefined ? ` (${escapeControl(finding.file)})` : ''}`;
    if (header !== previous) {
      if (previous !== undefined) out.push('');
      out.push(header);
      previous = header;
      fixed = new Set();
    }
    out.push(describeFinding(finding, '  ', !fixed.has(finding.ruleId)));
    if (!finding.suppressed) fixed.add(finding.ruleId);
  }
  if (out.length > 0) out.push('');
  out.push(describeSummary(report.summary));
  return `${out.join('\n')}\n`;
}
