import { compareExceptions, ExceptionsDiff } from './exceptions';
import { compareExposure, ExposureDiff } from './exposure';
import { compareFindingReports, FindingsDiff } from './findings';
import { comparePermissions, PermissionsDiff } from './permissions';
import { atLeast, checkManifests, CheckOptions, CheckReport, expandLists } from '../checker/engine';
import type { Finding, KubeObject, ManifestEntry, Severity } from '../checker/types';
import { compareReachability, Flow, networkModel } from '../semantics/flows';

/** counts over a diff; `changed` is false exactly when every section is empty. */
export interface DiffSummary {
  readonly base: string;
  readonly head: string;
  readonly changed: boolean;
  readonly flowsAdded: number;
  readonly flowsRemoved: number;
  readonly exceptionsAdded: number;
  readonly exceptionsRemoved: number;
  readonly exceptionsChanged: number;
  readonly exceptionsExpiringSoon: number;
  readonly findingsNew: number;
  readonly findingsFixed: number;
  readonly permissionsAdded: number;
  readonly permissionsRemoved: number;
  readonly exposureAdded: number;
  readonly exposureRemoved: number;
  readonly exposureChanged: number;
}

/** what a change to a manifest tree does to its security, section by section. */
export interface SecurityDiff {
  readonly reachability: { readonly added: Flow[]; readonly removed: Flow[] };
  readonly exceptions: ExceptionsDiff;
  readonly findings: FindingsDiff;
  readonly permissions: PermissionsDiff;
  readonly exposure: ExposureDiff;
  readonly summary: DiffSummary;
}

/** one side of a comparison. */
export interface DiffSide {
  /** how reports name it: a path or `git:<revision>:<path>`. */
  readonly label: string;
  readonly entries: readonly ManifestEntry[];
}

/** how to compare. */
export interface DiffOptions extends Pick<CheckOptions, 'pack' | 'podSpecPaths' | 'imagePolicy'> {
  /** the day exception expiry is measured from. @default - now */
  readonly now?: Date;
  /** locates a finding's line in head's files (`check`'s `locate`). @default - document start */
  readonly locateHead?: CheckOptions['locate'];
  readonly locateBase?: CheckOptions['locate'];
}

/** the result of comparing two trees, with the check reports it rests on. */
export interface SecurityDiffResult {
  readonly diff: SecurityDiff;
  readonly baseReport: CheckReport;
  readonly headReport: CheckReport;
  /** head's findings that are new, as `check` reports them (for SARIF). */
  readonly newFindings: readonly Finding[];
}

function objectsOf(entries: readonly ManifestEntry[]): KubeObject[] {
  return expandLists(entries).map((entry) => entry.object);
}

/**
 * Compares two manifest trees: flows newly allowed or no longer allowed (from NetworkPolicy
 * semantics), exceptions added, removed or changed, findings new or fixed (the `check` engine on
 * both trees, matched by rule, object and path), permissions each subject gained or lost (the
 * effective-role model, built-in roles included) and exposure added, removed or changed. Never
 * modifies the entries. Identical trees give an empty diff.
 */
export function compareTrees(base: DiffSide, head: DiffSide, options: DiffOptions = {}): SecurityDiffResult {
  const now = options.now ?? new Date();
  const check = (side: DiffSide, locate?: CheckOptions['locate']) => checkManifests(side.entries, { pack: options.pack, podSpecPaths: options.podSpecPaths, imagePolicy: options.imagePolicy, now, locate });
  const baseReport = check(base, options.locateBase);
  const headReport = check(head, options.locateHead);
  const baseObjects = objectsOf(base.entries);
  const headObjects = objectsOf(head.entries);

  const reachability = compareReachability(networkModel(baseObjects), networkModel(headObjects));
  const exceptions = compareExceptions(baseObjects, headObjects, now);
  const findings = compareFindingReports(baseReport, headReport);
  const permissions = comparePermissions(baseObjects, headObjects);
  const exposure = compareExposure(baseObjects, headObjects);
  const newKeys = new Set(findings.new.map((finding) => `${finding.ruleId}\u0000${finding.object.namespace ?? ''}\u0000${finding.object.kind}\u0000${finding.object.name}\u0000${finding.path}\u0000${finding.message}`));
  const newFindings = headReport.findings.filter((finding) => !finding.suppressed
    && newKeys.has(`${finding.ruleId}\u0000${finding.namespace ?? ''}\u0000${finding.kind}\u0000${finding.name}\u0000${finding.path}\u0000${finding.message}`));

  const counts = {
    flowsAdded: reachability.added.length,
    flowsRemoved: reachability.removed.length,
    exceptionsAdded: exceptions.added.length,
    exceptionsRemoved: exceptions.removed.length,
    exceptionsChanged: exceptions.changed.length,
    exceptionsExpiringSoon: exceptions.expiringSoon.length,
    findingsNew: findings.new.length,
    findingsFixed: findings.fixed.length,
    permissionsAdded: permissions.added.length,
    permissionsRemoved: permissions.removed.length,
    exposureAdded: exposure.added.length,
    exposureRemoved: exposure.removed.length,
    exposureChanged: exposure.changed.length,
  };
  const changed = Object.values(counts).some((count) => count > 0);
  return {
    diff: { reachability, exceptions, findings, permissions, exposure, summary: { base: base.label, head: head.label, changed, ...counts } },
    baseReport,
    headReport,
    newFindings,
  };
}

/** the new unsuppressed findings at or above `failOn`: the ones that make `diff` exit 1. */
export function failingNewFindings(result: SecurityDiffResult, failOn: Severity): Finding[] {
  return result.newFindings.filter((finding) => atLeast(finding.severity, failOn));
}
