import { isArgoWorkflowKind, workflowPods } from './argo-workflows';
import { ManifestIndex } from './context';
import { metaRuleDoc } from './meta-rules';
import { clearObjectMemos } from './object-memo';
import { DEFAULT_PACK, Pack, PackName, packOf } from './packs';
import { asArray, asRecord, CustomPodSpecPath, customPodSpecPath, podSpecAt, podSpecUnderCheck, POD_SPEC_KINDS, registerPodSpec } from './pod-spec';
import { ruleById } from './rules';
import { nameOf, namespaceOf } from './rules/rule-helpers';
import { readSuppressions } from './suppressions';
import type { Finding, KubeObject, ManifestEntry, Rule, Severity, SourceRef, Violation } from './types';
import type { ImagePolicySettings } from '../model/image-policy';
import { RuleId, RuleIds } from '../model/rule-ids';

/** how to run a check. */
export interface CheckOptions {
  /** @default 'hardened' */
  readonly pack?: PackName;
  /** the day suppression expiry dates are compared with (UTC). @default - now */
  readonly now?: Date;
  /**
   * The 1-based line of a field, given the object's source and the finding's path relative to
   * the object (`''` for the object itself). Called only for objects that have findings.
   * @default - the source's own `line`
   */
  readonly locate?: (source: SourceRef, path: string) => number | undefined;
  /**
   * Files the loader read and recognised as not manifests (cdk8s's `construct-metadata.json`),
   * reported in `summary.skippedFiles`.
   *
   * @default - none
   */
  readonly skippedFiles?: readonly SkippedFile[];
  /**
   * More custom resources that carry a pod spec (`--pod-spec-path`): their spec is checked by every
   * pod rule, like the well-known ones (Argo Rollouts and Workflows, Knative Serving, KEDA ScaledJob).
   *
   * @default - none
   */
  readonly podSpecPaths?: readonly CustomPodSpecPath[];
  /**
   * The image policy: with it, `image-registry-not-allowed` reports images from anywhere else.
   *
   * @default - no registry is judged
   */
  readonly imagePolicy?: ImagePolicySettings;
}

/** a file that was read but holds no manifests by design, and why it was skipped. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** counts over one check. */
export interface CheckSummary {
  readonly pack: PackName;
  /** objects in the input, with the items of `List` kinds counted and the lists themselves not. */
  readonly objects: number;
  /** objects that at least one rule of the pack examined. */
  readonly checked: number;
  /** objects no rule of the pack examines (unknown, custom and out-of-scope kinds), by kind. */
  readonly skipped: Readonly<Record<string, number>>;
  /** files read and skipped as not manifests; present only when there are some. */
  readonly skippedFiles?: readonly SkippedFile[];
  /** every finding, suppressed or not. */
  readonly findings: number;
  readonly suppressed: number;
  /** unsuppressed findings by severity. */
  readonly bySeverity: Readonly<Record<Severity, number>>;
}

/** the result of one check. */
export interface CheckReport {
  /** sorted: by file, document, object, then line, rule id, field path and message. */
  readonly findings: readonly Finding[];
  readonly summary: CheckSummary;
}

/** severities from least to most severe. */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** true when a finding's severity is at or above `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}

/** the unsuppressed findings at or above `failOn`: the ones that fail a check. */
export function failingFindings(report: CheckReport, failOn: Severity = 'error'): Finding[] {
  return report.findings.filter((finding) => !finding.suppressed && atLeast(finding.severity, failOn));
}

/** an object under check, after `List` expansion. */
interface Subject {
  readonly object: KubeObject;
  readonly source: SourceRef;
  /** position in input order, to break ties between identical objects. */
  readonly ordinal: number;
  /** the object as written, when `object` is a view of it (one pod of an Argo workflow). */
  readonly original?: KubeObject;
  /** maps a path on the view to the field the manifest holds. */
  readonly translate?: (path: string) => string;
  /** findings about the object found while building its view. */
  readonly notes?: readonly { readonly path: string; readonly message: string }[];
}

const POD_KINDS: ReadonlySet<string> = new Set(POD_SPEC_KINDS);

/**
 * The subjects of a check: an Argo workflow becomes one view per template that runs a pod, an
 * object of a kind declared with a pod-spec path a view with that spec; others stay as they are.
 * A view is a shallow copy of the object with its pod spec registered for `podSpecOf`.
 */
function subjectsOf(entries: readonly ManifestEntry[], customPaths: readonly CustomPodSpecPath[]): Subject[] {
  const subjects: Subject[] = [];
  for (const entry of entries) {
    const object = entry.object;
    const custom = customPaths.length === 0 || POD_KINDS.has(text(object.kind)) ? undefined : customPodSpecPath(object, customPaths);
    if (custom) {
      const location = podSpecAt(object, custom.path);
      if (location) {
        const view = { ...object };
        registerPodSpec(view, location);
        subjects.push({ ...entry, object: view, original: object, ordinal: subjects.length });
        continue;
      }
    }
    if (isArgoWorkflowKind(object)) {
      const notes: { path: string; message: string }[] = [];
      const unreadable = (path: string, reason: string) => notes.push({ path, message: `${reason}: the pod Argo runs could not be checked whole` });
      const pods = workflowPods(object, unreadable);
      if (pods.length > 0) {
        pods.forEach((pod, index) => {
          const view = { ...object };
          registerPodSpec(view, pod.location);
          const own = index === 0 ? notes : [];
          subjects.push({ ...entry, object: view, original: object, ordinal: subjects.length, translate: pod.translate, notes: own });
        });
        continue;
      }
    }
    subjects.push({ object: entry.object, source: entry.source, ordinal: subjects.length });
  }
  return subjects;
}

/** how deep and how wide the search for pod-spec shaped content in an unknown kind goes. */
const SHAPE_SEARCH_NODES = 50_000;

/**
 * The dotted path of the first mapping inside `object` shaped like a pod spec (a `containers`
 * list of mappings with an `image`), searched breadth first and iteratively.
 */
export function podSpecShapedPath(object: KubeObject): string | undefined {
  const queue: [unknown, string][] = [[object, '']];
  for (let head = 0; head < queue.length && head < SHAPE_SEARCH_NODES; head++) {
    const [value, at] = queue[head];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && queue.length < SHAPE_SEARCH_NODES; i++) queue.push([value[i], `${at}[${i}]`]);
      continue;
    }
    const record = asRecord(value);
    if (!record) continue;
    if (at !== '' && asArray(record.containers).some((container) => typeof asRecord(container)?.image === 'string')) return at;
    for (const key of Object.keys(record)) {
      if (queue.length >= SHAPE_SEARCH_NODES) break;
      const child = record[key];
      if (child !== null && typeof child === 'object') queue.push([child, at === '' ? key : /^[A-Za-z_][\w-]*$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`]);
    }
  }
  return undefined;
}

/** a finding with what it is sorted by. */
interface Sortable {
  readonly finding: Finding;
  readonly subject: Subject;
}

/**
 * The objects to check: the items of lists replace their list, recursively, with
 * `source.itemPath` saying where each item sits. Like kubectl, any object with an `items` array
 * is a list whatever its kind (`List`, `PodList`, but also a `ConfigMap` carrying `items`). Items
 * that are not mappings are left out and reported to `onSkip`.
 */
export function expandLists(entries: readonly ManifestEntry[], onSkip: (reason: string) => void = () => undefined): ManifestEntry[] {
  const expanded: ManifestEntry[] = [];
  const visit = (object: unknown, source: SourceRef, depth: number) => {
    const record = asRecord(object);
    if (!record) return onSkip('(not a mapping)');
    if (Array.isArray(record.items) && depth < 8) {
      const items: unknown[] = record.items;
      for (let index = 0; index < items.length; index++) {
        visit(items[index], { ...source, itemPath: `${source.itemPath ? `${source.itemPath}.` : ''}items[${index}]` }, depth + 1);
      }
      return;
    }
    expanded.push({ object: record, source });
  };
  for (const entry of entries) visit(entry.object, entry.source, 0);
  return expanded;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** what a rule returned, or the reason it is not a list of violations. */
function runRule(rule: Rule, object: KubeObject, context: ManifestIndex): Violation[] | string {
  try {
    const result: unknown = rule.check(object, context);
    if (!Array.isArray(result)) return `returned ${result === null ? 'null' : typeof result} instead of a list of violations`;
    for (const item of result) {
      const violation = asRecord(item);
      if (!violation || typeof violation.message !== 'string' || typeof violation.path !== 'string') {
        return `returned a violation without a string message and path: ${JSON.stringify(item)}`;
      }
    }
    return result as Violation[];
  } catch (error) {
    return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error)}`;
  }
}

function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The report order: by file, then document within the file, then the object (kind, namespace,
 * name, construct path, input position), then line, rule id, field path and message. Findings of
 * one object are therefore adjacent, and the order does not depend on the order of the inputs.
 */
function compareSortable(a: Sortable, b: Sortable): number {
  const fa = a.finding;
  const fb = b.finding;
  return compareText(fa.file, fb.file)
    || (a.subject.source.documentIndex ?? -1) - (b.subject.source.documentIndex ?? -1)
    || compareText(fa.kind, fb.kind)
    || compareText(fa.namespace, fb.namespace)
    || compareText(fa.name, fb.name)
    || compareText(fa.constructPath, fb.constructPath)
    || a.subject.ordinal - b.subject.ordinal
    || (fa.line ?? 0) - (fb.line ?? 0)
    || compareText(fa.ruleId, fb.ruleId)
    || compareText(fa.path, fb.path)
    || compareText(fa.message, fb.message);
}

/** the rules of a pack by the kinds they examine. */
function rulesByKind(pack: Pack): Map<string, Rule[]> {
  const byKind = new Map<string, Rule[]>();
  for (const rule of pack.rules) {
    for (const kind of rule.kinds) {
      let rules = byKind.get(kind);
      if (!rules) byKind.set(kind, rules = []);
      rules.push(rule);
    }
  }
  return byKind;
}

/**
 * Checks a set of manifests against a pack. Never throws on user data: wrong-typed fields become
 * findings (or nothing), a rule that fails becomes a `rule-error` finding, objects of kinds the
 * pack does not examine are counted in `summary.skipped`. The input objects are not modified.
 */
export function checkManifests(entries: readonly ManifestEntry[], options: CheckOptions = {}): CheckReport {
  // views derived from objects of an earlier check (which its caller may have changed since) are not reused.
  clearObjectMemos();
  const pack = packOf(options.pack ?? DEFAULT_PACK);
  const now = options.now ?? new Date();
  // a Map: a kind is user data, and `constructor` or `__proto__` must count like any other.
  const skipped = new Map<string, number>();
  const skip = (kind: string) => { skipped.set(kind, (skipped.get(kind) ?? 0) + 1); };
  const expanded = expandLists(entries, skip);
  const subjects = subjectsOf(expanded, options.podSpecPaths ?? []);
  const context = new ManifestIndex(subjects.map((subject) => subject.object), options.imagePolicy);
  const byKind = rulesByKind(pack);
  // a kind's rules and the pod rules, for objects that hold a pod spec: one list per kind, not one per object.
  const byKindWithPod = new Map<string, Rule[]>();
  const withPodRules = (kind: string): Rule[] => {
    let rules = byKindWithPod.get(kind);
    if (!rules) byKindWithPod.set(kind, rules = [...byKind.get(kind) ?? [], ...byKind.get('Pod') ?? []]);
    return rules;
  };
  const inPack = new Set<string>(pack.rules.map((rule) => rule.id));
  const isSuppressible = (id: string) => ruleById(id) !== undefined;
  const sortables: Sortable[] = [];
  // objects as written: a view (one pod of an Argo workflow) counts its original once.
  let checkedObjects = 0;
  const checkedOriginals = new Set<KubeObject>();
  // the pods of one Argo workflow share its pod-level fields: report each field once per object.
  const reported = new Map<KubeObject, Set<string>>();

  for (const subject of subjects) {
    const { object, source } = subject;
    const kind = text(object.kind);
    const hasPodSpec = !POD_KINDS.has(kind) && podSpecUnderCheck(object) !== undefined;
    const rules = hasPodSpec ? withPodRules(kind) : byKind.get(kind) ?? [];
    const raw: { ruleId: RuleId; path: string; message: string; rule?: Rule }[] = [];
    if (subject.notes) for (const note of subject.notes) raw.push({ ruleId: RuleIds.POD_SPEC_UNCHECKED, ...note });
    if (rules.length === 0) {
      skip(kind === '' ? '(no kind)' : kind);
      // an unknown kind that holds a pod spec runs pods no rule looked at: say so, never skip silently.
      const shaped = POD_KINDS.has(kind) ? undefined : podSpecShapedPath(object);
      if (shaped === undefined) continue;
      raw.push({
        ruleId: RuleIds.POD_SPEC_UNCHECKED,
        path: shaped,
        message: `${kind} holds a pod spec at ${shaped} that no rule checks: declare it with --pod-spec-path ${kind}=${shaped}, or check the pod it creates`,
      });
    } else {
      if (subject.original) checkedOriginals.add(subject.original);
      else checkedObjects++;
    }
    for (const rule of rules) {
      const result = runRule(rule, object, context);
      if (typeof result === 'string') {
        raw.push({ ruleId: RuleIds.RULE_ERROR, path: '', message: `rule ${rule.id} ${result}` });
      } else {
        for (const violation of result) raw.push({ ruleId: rule.id, path: violation.path, message: violation.message, rule });
      }
    }
    const suppressions = readSuppressions(object, now, isSuppressible);
    for (const problem of suppressions.problems) {
      if (isSuppressible(problem.targetRuleId) && !inPack.has(problem.targetRuleId)) continue;
      raw.push({ ruleId: problem.ruleId, path: problem.path, message: problem.message });
    }
    // a suppression of a rule that ran here and found nothing records an exception that no longer holds.
    for (const suppression of suppressions.active.values()) {
      const ran = rules.some((rule) => rule.id === suppression.ruleId);
      if (ran && !raw.some((entry) => entry.ruleId === suppression.ruleId)) {
        raw.push({ ruleId: RuleIds.SUPPRESSION_UNUSED, path: suppression.path, message: `suppression of ${suppression.ruleId} matches no finding (reason: ${suppression.reason})` });
      }
    }
    if (raw.length === 0) continue;

    const translate = subject.translate ?? ((path: string) => path);
    const identity = {
      kind,
      apiVersion: text(object.apiVersion),
      namespace: namespaceOf(object),
      name: nameOf(object),
      file: source.file,
      constructPath: source.constructPath,
    };
    const seen = subject.original ? reported.get(subject.original) ?? new Set<string>() : undefined;
    if (subject.original && seen) reported.set(subject.original, seen);
    for (const { ruleId, path: viewPath, message, rule } of raw) {
      const path = translate(viewPath);
      if (seen) {
        const key = `${ruleId}\u0000${path}\u0000${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const suppression = rule ? suppressions.active.get(ruleId) : undefined;
      const pss = rule?.references.pss;
      // built key by key in the report's order, without spreading temporary objects (there may be tens of thousands).
      const severity = pack.severityOf(ruleId);
      const line = options.locate ? options.locate(source, path) ?? source.line : source.line;
      const remediation = rule?.remediation ?? metaRuleDoc(ruleId)?.remediation ?? '';
      const suppressed = suppression !== undefined;
      const { kind: findingKind, apiVersion, namespace, name, file, constructPath } = identity;
      const finding: { -readonly [K in keyof Finding]: Finding[K] } = pss
        ? {
          ruleId,
          severity,
          kind: findingKind,
          apiVersion,
          namespace,
          name,
          file,
          constructPath,
          line,
          path,
          message,
          remediation,
          pss: { level: pss.level, check: pss.check },
          suppressed,
        }
        : { ruleId, severity, kind: findingKind, apiVersion, namespace, name, file, constructPath, line, path, message, remediation, suppressed };
      if (suppression) finding.reason = suppression.reason;
      sortables.push({ finding, subject });
    }
  }

  clearObjectMemos();
  const findings = sortables.sort(compareSortable).map((sortable) => sortable.finding);
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let suppressed = 0;
  for (const finding of findings) {
    if (finding.suppressed) suppressed++;
    else bySeverity[finding.severity]++;
  }
  const summary: CheckSummary = {
    pack: pack.name,
    objects: expanded.length,
    checked: checkedObjects + checkedOriginals.size,
    skipped: sortedRecord(skipped),
    ...(options.skippedFiles?.length ? { skippedFiles: [...options.skippedFiles] } : {}),
    findings: findings.length,
    suppressed,
    bySeverity,
  };
  return { findings, summary };
}

function sortedRecord(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => compareText(a, b)));
}
