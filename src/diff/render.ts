import { describeRef, ObjectRef } from './object-ref';
import type { Permission } from './permissions';
import type { SecurityDiff } from './security-diff';
import type { ReachabilityEndpoint } from '../semantics/flows';

/** `diff` compares two trees; `report` shows one tree (compared with nothing). */
export type RenderMode = 'diff' | 'report';

/** the diff as JSON: the sections, then the summary; two-space indent, stable key order. */
export function renderDiffJson(diff: SecurityDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}

/** a table cell: one line, pipes escaped, control characters dropped. */
function cell(value: string | number | undefined): string {
  // eslint-disable-next-line no-control-regex
  return String(value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'");
}

function table(headers: readonly string[], rows: readonly (string | number | undefined)[][]): string {
  const line = (cells: readonly (string | number | undefined)[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map(line)].join('\n');
}

function endpoint(value: ReachabilityEndpoint): string {
  if (value.kind === 'class') return value.namespace !== undefined ? `${value.namespace}/${value.name}` : value.name;
  return describeRef({ namespace: value.namespace, kind: value.kind, name: value.name });
}

function permissionTarget(permission: Permission): string {
  if (permission.nonResourceURL) return `URL ${permission.resource}`;
  const group = permission.apiGroup === '' ? 'core' : permission.apiGroup;
  return `${group}/${permission.resource}${permission.resourceName !== undefined ? ` "${permission.resourceName}"` : ''}`;
}

/** one row per subject, scope and resource, its verbs joined: a PR comment stays readable. */
function permissionRows(permissions: readonly Permission[]): string[][] {
  const rows = new Map<string, string[]>();
  for (const permission of permissions) {
    const row = [objectCell(permission.subject), permission.scope === '*' ? 'cluster-wide' : permission.scope, permissionTarget(permission), '', permission.via];
    const key = row.join('\u0000');
    const known = rows.get(key);
    if (known) known[3] = `${known[3]}, ${permission.verb}`;
    else rows.set(key, (row[3] = permission.verb, row));
  }
  return [...rows.values()];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** the one line a pull-request comment opens with. */
export function summaryLine(diff: SecurityDiff, mode: RenderMode = 'diff'): string {
  const s = diff.summary;
  if (mode === 'report') {
    return `**cdk8s-hardened report** of \`${cell(s.head)}\`: ${plural(s.flowsAdded, 'allowed flow')}, ${plural(s.exceptionsAdded, 'exception')}, `
      + `${plural(s.findingsNew, 'unsuppressed finding')}, ${plural(s.permissionsAdded, 'permission')}, ${plural(s.exposureAdded, 'exposed object')}`;
  }
  const parts = [
    s.flowsAdded || s.flowsRemoved ? `flows +${s.flowsAdded} −${s.flowsRemoved}` : undefined,
    s.exceptionsAdded || s.exceptionsRemoved || s.exceptionsChanged ? `exceptions +${s.exceptionsAdded} −${s.exceptionsRemoved} ~${s.exceptionsChanged}` : undefined,
    s.findingsNew || s.findingsFixed ? `findings ${s.findingsNew} new, ${s.findingsFixed} fixed` : undefined,
    s.permissionsAdded || s.permissionsRemoved ? `permissions +${s.permissionsAdded} −${s.permissionsRemoved}` : undefined,
    s.exposureAdded || s.exposureRemoved || s.exposureChanged ? `exposure +${s.exposureAdded} −${s.exposureRemoved} ~${s.exposureChanged}` : undefined,
  ].filter((part) => part !== undefined);
  return `**cdk8s-hardened diff** \`${cell(s.base)}\` → \`${cell(s.head)}\`: ${parts.join('; ')}`;
}

function objectCell(ref: ObjectRef): string {
  return describeRef(ref);
}

/**
 * The diff as Markdown for a pull-request comment: the summary line, then one table per section
 * that has rows. An unchanged diff renders as the empty string, so a CI step can skip the comment.
 */
export function renderDiffMarkdown(diff: SecurityDiff, mode: RenderMode = 'diff'): string {
  if (mode === 'diff' && !diff.summary.changed) return '';
  const out: string[] = [summaryLine(diff, mode)];
  const section = (title: string, headers: readonly string[], rows: (string | number | undefined)[][]) => {
    if (rows.length > 0) out.push(`### ${title}\n\n${table(headers, rows)}`);
  };
  const flowRows = (flows: SecurityDiff['reachability']['added']) => flows.map((flow) => [endpoint(flow.source), endpoint(flow.destination), flow.ports, flow.protocol]);
  const flowHeaders = ['Source', 'Destination', 'Ports', 'Protocol'];
  const report = mode === 'report';
  section(report ? 'Reachability: allowed flows' : 'Reachability: newly allowed', flowHeaders, flowRows(diff.reachability.added));
  section('Reachability: no longer allowed', flowHeaders, flowRows(diff.reachability.removed));

  const exceptionRow = (entry: SecurityDiff['exceptions']['added'][number]) => [objectCell(entry.object), entry.ruleId, entry.reason, entry.expires ?? 'never'];
  section(report ? 'Exceptions' : 'Exceptions added', ['Object', 'Rule', 'Reason', 'Expires'], diff.exceptions.added.map(exceptionRow));
  section('Exceptions removed', ['Object', 'Rule', 'Reason', 'Expires'], diff.exceptions.removed.map(exceptionRow));
  section('Exceptions changed', ['Object', 'Rule', 'Reason before', 'Reason after', 'Expires before', 'Expires after'], diff.exceptions.changed.map((change) => [
    objectCell(change.object), change.ruleId, change.before.reason, change.after.reason, change.before.expires ?? 'never', change.after.expires ?? 'never',
  ]));
  section('Exceptions expiring within 30 days', ['Object', 'Rule', 'Expires', 'Reason'], diff.exceptions.expiringSoon.map((entry) => [objectCell(entry.object), entry.ruleId, entry.expires, entry.reason]));

  const findingRow = (finding: SecurityDiff['findings']['new'][number]) => [finding.severity, finding.ruleId, objectCell(finding.object), finding.path, finding.message];
  section(report ? 'Findings' : 'Findings: new', ['Severity', 'Rule', 'Object', 'Path', 'Message'], diff.findings.new.map(findingRow));
  section('Findings: fixed', ['Severity', 'Rule', 'Object', 'Path', 'Message'], diff.findings.fixed.map(findingRow));

  const permissionHeaders = ['Subject', 'Scope', 'Resource', 'Verbs', 'Through'];
  section(report ? 'Permissions' : 'Permissions gained', permissionHeaders, permissionRows(diff.permissions.added));
  section('Permissions lost', permissionHeaders, permissionRows(diff.permissions.removed));

  section(report ? 'Exposure' : 'Exposure added', ['Object', 'Exposure'], diff.exposure.added.map((entry) => [objectCell(entry.object), entry.summary]));
  section('Exposure removed', ['Object', 'Exposure'], diff.exposure.removed.map((entry) => [objectCell(entry.object), entry.summary]));
  section('Exposure changed', ['Object', 'Before', 'After'], diff.exposure.changed.map((change) => [objectCell(change.object), change.before.summary, change.after.summary]));
  return `${out.join('\n\n')}\n`;
}
