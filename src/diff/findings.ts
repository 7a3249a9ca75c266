import type { CheckReport } from '../checker/engine';
import type { Finding, Severity } from '../checker/types';
import { compareText, ObjectRef, refKey } from './object-ref';

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

/** counts per key, so two identical findings on one object are matched one for one. */
function countByKey(findings: readonly Finding[]): Map<string, Finding[]> {
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (finding.suppressed) continue;
    const key = matchKey(finding);
    const list = byKey.get(key);
    if (list) list.push(finding);
    else byKey.set(key, [finding]);
  }
  return byKey;
}

function compareFindings(a: DiffFinding, b: DiffFinding): number {
  return compareText([a.ruleId, refKey(a.object), a.path, a.message].join('\u0000'), [b.ruleId, refKey(b.object), b.path, b.message].join('\u0000'));
}

/** new and fixed unsuppressed findings, matched by rule, object and path (never by line). */
export function compareFindingReports(base: CheckReport, head: CheckReport): FindingsDiff {
  const before = countByKey(base.findings);
  const after = countByKey(head.findings);
  const found: DiffFinding[] = [];
  const fixed: DiffFinding[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key) ?? [];
    const is = after.get(key) ?? [];
    for (const finding of is.slice(was.length)) found.push(toDiffFinding(finding));
    for (const finding of was.slice(is.length)) fixed.push(toDiffFinding(finding));
  }
  return { new: found.sort(compareFindings), fixed: fixed.sort(compareFindings) };
}
