import { compareText, ObjectRef, refKey } from './object-ref';
import type { CheckReport } from '../checker/engine';
import type { Finding, Severity } from '../checker/types';

/** a finding, named by what it is about rather than where it sits in a file. */
export interface DiffFinding {
  readonly object: ObjectRef;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly path: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

export interface FindingsDiff {
  /** unsuppressed in head and not in base. */
  readonly new: DiffFinding[];
  /** unsuppressed in base and gone (or suppressed) in head. */
  readonly fixed: DiffFinding[];
}

function toDiffFinding(finding: Finding): DiffFinding {
  return {
    object: { ...(finding.namespace ? { namespace: finding.namespace } : {}), kind: finding.kind, name: finding.name },
    ruleId: finding.ruleId,
    severity: finding.severity,
    path: finding.path,
    message: finding.message,
    ...(finding.file !== undefined ? { file: finding.file } : {}),
    ...(finding.line !== undefined ? { line: finding.line } : {}),
  };
}

/** rule, object and field path: what stays the same when lines move or a message's values change. */
function matchKey(finding: Finding): string {
  return [finding.ruleId, refKey({ namespace: finding.namespace, kind: finding.kind, name: finding.name }), finding.path].join('\u0000');
}

/** findings by key, so two identical findings on one object are matched one for one. */
function byKey(findings: readonly Finding[], keep: (finding: Finding) => boolean): Map<string, Finding[]> {
  const grouped = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (!keep(finding)) continue;
    const key = matchKey(finding);
    const list = grouped.get(key);
    if (list) list.push(finding);
    else grouped.set(key, [finding]);
  }
  return grouped;
}

function compareFindings(a: DiffFinding, b: DiffFinding): number {
  return compareText([a.ruleId, refKey(a.object), a.path, a.message].join('\u0000'), [b.ruleId, refKey(b.object), b.path, b.message].join('\u0000'));
}

/**
 * New and fixed findings, matched by rule, object and path (never by line). New: unsuppressed in
 * head and not unsuppressed in base (a removed exception brings its finding back as new). Fixed:
 * unsuppressed in base and gone from head; a finding an exception now hides is not fixed, it shows
 * under exceptions.
 */
export function compareFindingReports(base: CheckReport, head: CheckReport): FindingsDiff {
  const unsuppressed = (finding: Finding) => !finding.suppressed;
  const baseOpen = byKey(base.findings, unsuppressed);
  const headOpen = byKey(head.findings, unsuppressed);
  const headAll = byKey(head.findings, () => true);
  const found: DiffFinding[] = [];
  const fixed: DiffFinding[] = [];
  for (const [key, is] of headOpen) {
    for (const finding of is.slice((baseOpen.get(key) ?? []).length)) found.push(toDiffFinding(finding));
  }
  for (const [key, was] of baseOpen) {
    for (const finding of was.slice((headAll.get(key) ?? []).length)) fixed.push(toDiffFinding(finding));
  }
  return { new: found.sort(compareFindings), fixed: fixed.sort(compareFindings) };
}
