/**
 * Conformance of the PSS rules against two external golden sets, kept outside the repository:
 * - `../shared/corpus/psa-v1.28`: the official Pod Security Admission v1.28 fixtures (must all agree);
 * - `../shared/corpus/kyverno-pss`: Kyverno's PSS policy tests (optional), where every expectation
 *   must agree except Kyverno's documented divergences from PSS, which are listed, not matched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ManifestIndex } from '../../src/checker/context';
import { decodeText, parseManifests } from '../../src/checker/input';
import { PSS_BASELINE_RULES, PSS_RESTRICTED_OVERRIDES, PSS_RESTRICTED_RULES, PSS_RULES } from '../../src/checker/rules/pss';
import type { CheckContext, KubeObject, PssLevel, Rule, Violation } from '../../src/checker/types';

/** the corpus folder next to the repository (`<repo>/../shared/corpus`). */
export const CORPUS_ROOT = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus');
export const PSA_ROOT = path.join(CORPUS_ROOT, 'psa-v1.28');
export const KYVERNO_ROOT = path.join(CORPUS_ROOT, 'kyverno-pss');

type Verdict = 'pass' | 'fail';

/** the lookups over one file's documents, as the engine builds them. */
export function contextOf(objects: readonly KubeObject[]): CheckContext {
  return new ManifestIndex(objects);
}

/**
 * the PSA check ids of the rules that report a violation on `object`; `part`, when given, keeps
 * only the violations that belong to the part of a check an external policy covers.
 */
export function failingChecks(rules: readonly Rule[], object: KubeObject, context: CheckContext, part?: (violation: Violation) => boolean): string[] {
  return rules
    .filter((rule) => rule.kinds.includes(String(object.kind)) && rule.check(object, context).filter(part ?? (() => true)).length > 0)
    .map((rule) => rule.references.pss!.check);
}

/** the documents of a corpus file, parsed exactly as the checker parses its input (YAML 1.1 scalars). */
function loadDocuments(file: string): KubeObject[] {
  return parseManifests(decodeText(fs.readFileSync(file), file), file).map((entry) => entry.object);
}

// ---------------------------------------------------------------------------------------------
// PSA v1.28

interface PsaExpectation {
  readonly level: PssLevel;
  readonly file: string;
  readonly name: string;
  readonly result: Verdict;
  /** PSA check id lower-cased, or null for the minimal valid pods. */
  readonly check: string | null;
}

/** one fixture's outcome. */
export interface PsaOutcome {
  readonly level: PssLevel;
  readonly file: string;
  readonly control: string;
  readonly expected: Verdict;
  readonly actual: Verdict;
  /** PSA check ids that fired. */
  readonly failingChecks: readonly string[];
  /** verdict matches and, for a fail fixture, its named check (or the restricted check overriding it) fired. */
  readonly agrees: boolean;
}

/** agreement on one control. */
export interface ControlRow {
  readonly control: string;
  readonly agree: number;
  readonly total: number;
}

export interface PsaReport {
  readonly outcomes: readonly PsaOutcome[];
  readonly rows: readonly ControlRow[];
  readonly agree: number;
  readonly total: number;
}

const CHECK_BY_LOWER_ID = new Map(PSS_RULES.map((rule) => [rule.references.pss!.check.toLowerCase(), rule.references.pss!.check]));
const OVERRIDING_CHECK = new Map(Object.entries(PSS_RESTRICTED_OVERRIDES).map(([overridingId, overridden]) => [
  overridden.references.pss!.check,
  PSS_RULES.find((rule) => rule.id === overridingId)!.references.pss!.check,
]));

/** the PSA check ids that must fire for a fail fixture named after `lowerCheck` at `level`. */
function acceptableChecks(level: PssLevel, lowerCheck: string): string[] {
  const check = CHECK_BY_LOWER_ID.get(lowerCheck);
  if (!check) return [];
  const override = OVERRIDING_CHECK.get(check);
  return level === 'restricted' && override ? [override] : [check];
}

/** evaluates every official PSA v1.28 fixture at its level. */
export function runPsaConformance(root: string = PSA_ROOT): PsaReport {
  const expectations = JSON.parse(fs.readFileSync(path.join(root, 'expected.json'), 'utf8')) as PsaExpectation[];
  const outcomes: PsaOutcome[] = expectations.map((expectation) => {
    const rules = expectation.level === 'baseline' ? PSS_BASELINE_RULES : PSS_RESTRICTED_RULES;
    const documents = loadDocuments(path.join(root, expectation.file));
    const context = contextOf(documents);
    const fired = [...new Set(documents.flatMap((document) => failingChecks(rules, document, context)))].sort();
    const actual: Verdict = fired.length > 0 ? 'fail' : 'pass';
    const control = expectation.check ? CHECK_BY_LOWER_ID.get(expectation.check) ?? expectation.check : 'base';
    const namedCheckFired = expectation.result === 'pass' || !expectation.check
      || acceptableChecks(expectation.level, expectation.check).some((check) => fired.includes(check));
    return {
      level: expectation.level,
      file: expectation.file,
      control,
      expected: expectation.result,
      actual,
      failingChecks: fired,
      agrees: actual === expectation.result && namedCheckFired,
    };
  });
  const rows = groupRows(outcomes.map((outcome) => ({ key: `${outcome.level}/${outcome.control}`, agrees: outcome.agrees })));
  return { outcomes, rows, agree: outcomes.filter((outcome) => outcome.agrees).length, total: outcomes.length };
}

function groupRows(items: readonly { key: string; agrees: boolean }[]): ControlRow[] {
  const rows = new Map<string, { agree: number; total: number }>();
  for (const item of items) {
    const row = rows.get(item.key) ?? { agree: 0, total: 0 };
    row.total++;
    if (item.agrees) row.agree++;
    rows.set(item.key, row);
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([control, row]) => ({ control, ...row }));
}

// ---------------------------------------------------------------------------------------------
// Kyverno

interface KyvernoExpectation {
  readonly kind: string;
  readonly name: string;
  readonly policy: string;
  readonly rule: string;
  readonly result: 'pass' | 'fail' | 'skip';
  readonly file: string;
}

interface KyvernoIndexEntry {
  readonly group: string;
  readonly policy_dir: string;
}

const ruleOf = (check: string): Rule => PSS_RULES.find((rule) => rule.references.pss!.check === check)!;

/** which of our rules stand for each Kyverno PSS policy directory (`<group>/<dir>`). */
export const KYVERNO_POLICY_RULES: Readonly<Record<string, readonly Rule[]>> = {
  'baseline/disallow-capabilities': [ruleOf('capabilities_baseline')],
  'baseline/disallow-host-namespaces': [ruleOf('hostNamespaces')],
  'baseline/disallow-host-path': [ruleOf('hostPathVolumes')],
  'baseline/disallow-host-ports': [ruleOf('hostPorts')],
  'baseline/disallow-host-process': [ruleOf('windowsHostProcess')],
  'baseline/disallow-privileged-containers': [ruleOf('privileged')],
  'baseline/disallow-proc-mount': [ruleOf('procMount')],
  'baseline/disallow-selinux': [ruleOf('seLinuxOptions')],
  'baseline/restrict-apparmor-profiles': [ruleOf('appArmorProfile')],
  'baseline/restrict-seccomp': [ruleOf('seccompProfile_baseline')],
  'baseline/restrict-sysctls': [ruleOf('sysctls')],
  'restricted/disallow-capabilities-strict': [ruleOf('capabilities_restricted')],
  'restricted/disallow-privilege-escalation': [ruleOf('allowPrivilegeEscalation')],
  'restricted/require-run-as-non-root-user': [ruleOf('runAsUser')],
  'restricted/require-run-as-nonroot': [ruleOf('runAsNonRoot')],
  'restricted/restrict-seccomp-strict': [ruleOf('seccompProfile_restricted')],
  'restricted/restrict-volume-types': [ruleOf('restrictedVolumes')],
  'pss-subrule/podsecurity-subrule-baseline': PSS_BASELINE_RULES,
  'pss-subrule/restricted-latest': PSS_RESTRICTED_RULES,
};

const isCapabilitiesAdd = (violation: Violation) => /\.capabilities\.add(\[|$)/.test(violation.path);
const isCapabilitiesDrop = (violation: Violation) => /\.capabilities\.drop(\[|$)/.test(violation.path);

/**
 * Kyverno rules that cover only part of a PSA check, keyed `<group>/<dir>#<rule>`: Kyverno splits
 * capabilities_restricted into `require-drop-all` and `adding-capabilities-strict`, so each is
 * compared with the violations of its own half.
 */
export const KYVERNO_RULE_PARTS: Readonly<Record<string, (violation: Violation) => boolean>> = {
  'restricted/disallow-capabilities-strict#adding-capabilities-strict': (violation) => !isCapabilitiesDrop(violation),
  'restricted/disallow-capabilities-strict#require-drop-all': (violation) => !isCapabilitiesAdd(violation),
};

/** Kyverno PSS directories with no PSS equivalent, and why. */
export const KYVERNO_UNMAPPED: Readonly<Record<string, string>> = {
  'baseline/disallow-host-ports-range': 'not PSS: allows host ports 5000-6000, which PSS forbids',
  'pss-subrule/restricted-exclude-capabilities': 'exempts the capabilities control for one image; our exceptions are per-object suppression annotations, not per image',
  'pss-subrule/restricted-exclude-seccomp': 'exempts the seccomp control for one image; our exceptions are per-object suppression annotations, not per image',
};

/** a documented Kyverno divergence from PSS v1.28, with a detector for the expectations it explains. */
export interface KyvernoDivergence {
  readonly id: string;
  /** policy directories (`<group>/<dir>`) the divergence is about. */
  readonly policies: readonly string[];
  readonly summary: string;
  /** true when this object is a case where Kyverno and PSA are documented to differ. */
  readonly applies: (object: KubeObject) => boolean;
}

function podSpecOfAny(object: KubeObject): Record<string, unknown> {
  const pick = (value: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((current, key) =>
    current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined, value);
  const spec = object.kind === 'Pod' ? pick(object, 'spec')
    : object.kind === 'CronJob' ? pick(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec')
      : pick(object, 'spec', 'template', 'spec');
  return spec && typeof spec === 'object' ? spec as Record<string, unknown> : {};
}

function securityContextOf(holder: unknown): Record<string, unknown> {
  const context = holder && typeof holder === 'object' ? (holder as Record<string, unknown>).securityContext : undefined;
  return context && typeof context === 'object' ? context as Record<string, unknown> : {};
}

function allContainers(spec: Record<string, unknown>): unknown[] {
  return ['containers', 'initContainers', 'ephemeralContainers'].flatMap((list) => Array.isArray(spec[list]) ? spec[list] as unknown[] : []);
}

const RESTRICTED_WINDOWS_RELAXED = ['restricted/disallow-privilege-escalation', 'restricted/restrict-seccomp-strict', 'restricted/disallow-capabilities-strict'];

/** the divergences the corpus README documents (section "Known differences from Kubernetes PSA v1.28 semantics"). */
export const KYVERNO_DIVERGENCES: readonly KyvernoDivergence[] = [
  {
    id: 'sysctl-ip-local-reserved-ports',
    policies: ['baseline/restrict-sysctls'],
    summary: 'restrict-sysctls rejects net.ipv4.ip_local_reserved_ports, which PSA allows since v1.27',
    applies: (object) => {
      const sysctls = securityContextOf(podSpecOfAny(object)).sysctls;
      return Array.isArray(sysctls) && sysctls.some((sysctl) => sysctl?.name === 'net.ipv4.ip_local_reserved_ports');
    },
  },
  {
    id: 'pod-level-host-process',
    policies: ['baseline/disallow-host-process'],
    summary: 'disallow-host-process ignores the pod-level spec.securityContext.windowsOptions.hostProcess',
    applies: (object) => (securityContextOf(podSpecOfAny(object)).windowsOptions as Record<string, unknown> | undefined)?.hostProcess === true,
  },
  {
    id: 'pod-level-run-as-non-root-false',
    policies: ['restricted/require-run-as-nonroot'],
    summary: 'require-run-as-nonroot passes a pod-level runAsNonRoot: false when every container sets true; PSA fails it',
    applies: (object) => {
      const spec = podSpecOfAny(object);
      const containersSetTrue = allContainers(spec).every((container) => securityContextOf(container).runAsNonRoot === true);
      return securityContextOf(spec).runAsNonRoot === false && containersSetTrue;
    },
  },
  {
    id: 'pod-level-seccomp-unconfined',
    policies: ['restricted/restrict-seccomp-strict'],
    summary: 'restrict-seccomp-strict passes a pod-level seccompProfile Unconfined when every container sets an allowed type; PSA fails it',
    applies: (object) => {
      const spec = podSpecOfAny(object);
      const typeOf = (holder: unknown) => (securityContextOf(holder).seccompProfile as Record<string, unknown> | undefined)?.type;
      return typeOf(spec) === 'Unconfined' && allContainers(spec).every((container) => ['RuntimeDefault', 'Localhost'].includes(String(typeOf(container))));
    },
  },
  {
    id: 'windows-relaxation',
    policies: RESTRICTED_WINDOWS_RELAXED,
    summary: 'the restricted policies have no spec.os.name: windows relaxation; PSA skips allowPrivilegeEscalation, seccomp and capabilities for Windows pods',
    applies: (object) => (podSpecOfAny(object).os as Record<string, unknown> | undefined)?.name === 'windows',
  },
  {
    id: 'volume-without-source',
    policies: ['restricted/restrict-volume-types'],
    summary: 'a volume with no source is defaulted to emptyDir by the API server, which PSA allows; Kyverno sees the raw volume',
    applies: (object) => {
      const volumes = podSpecOfAny(object).volumes;
      return Array.isArray(volumes) && volumes.some((volume) => volume && typeof volume === 'object' && Object.keys(volume).every((key) => key === 'name'));
    },
  },
];

/** agreement on one Kyverno policy directory. */
export interface KyvernoPolicyRow {
  readonly policy: string;
  readonly agree: number;
  readonly total: number;
  /** expectations that differ from PSA for a documented reason. */
  readonly divergent: number;
}

export interface KyvernoDisagreement {
  readonly policy: string;
  readonly kind: string;
  readonly name: string;
  readonly rule: string;
  readonly expected: string;
  readonly actual: Verdict;
}

export interface KyvernoReport {
  readonly rows: readonly KyvernoPolicyRow[];
  readonly agree: number;
  /** mapped expectations compared, divergent ones excluded. */
  readonly total: number;
  readonly divergent: number;
  readonly disagreements: readonly KyvernoDisagreement[];
  /** policy directories not compared, with the reason. */
  readonly unmapped: readonly { readonly policy: string; readonly reason: string; readonly expectations: number }[];
  readonly divergences: readonly KyvernoDivergence[];
  /** the numbered divergences as the corpus README words them. */
  readonly documentedDivergences: readonly string[];
}

/** the numbered items of the README section "Known differences from Kubernetes PSA v1.28 semantics". */
export function readDocumentedDivergences(root: string = KYVERNO_ROOT): string[] {
  const readme = path.join(root, 'README.md');
  if (!fs.existsSync(readme)) return [];
  const text = fs.readFileSync(readme, 'utf8');
  const start = text.indexOf('## Known differences');
  if (start < 0) return [];
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return section.split('\n').filter((line) => /^\d+\. /.test(line)).map((line) => line.trim());
}

/** the PSS groups of the Kyverno corpus; `best-practices/` is not PSS and belongs to other packs. */
export const KYVERNO_PSS_GROUPS = ['baseline', 'restricted', 'pss-subrule'];

/** evaluates Kyverno's PSS expectations; undefined when the corpus folder is absent. */
export function runKyvernoConformance(root: string = KYVERNO_ROOT): KyvernoReport | undefined {
  if (!fs.existsSync(path.join(root, 'index.json'))) return undefined;
  const index = JSON.parse(fs.readFileSync(path.join(root, 'index.json'), 'utf8')) as { policies: KyvernoIndexEntry[] };
  const rows: KyvernoPolicyRow[] = [];
  const disagreements: KyvernoDisagreement[] = [];
  const unmapped: { policy: string; reason: string; expectations: number }[] = [];
  const entries = index.policies.filter((entry) => KYVERNO_PSS_GROUPS.includes(entry.group))
    .sort((a, b) => `${a.group}/${a.policy_dir}`.localeCompare(`${b.group}/${b.policy_dir}`));
  for (const entry of entries) {
    const policy = `${entry.group}/${entry.policy_dir}`;
    const directory = path.join(root, entry.group, entry.policy_dir);
    const expectations = JSON.parse(fs.readFileSync(path.join(directory, 'expected.json'), 'utf8')) as KyvernoExpectation[];
    const rules = KYVERNO_POLICY_RULES[policy];
    if (!rules) {
      unmapped.push({ policy, reason: KYVERNO_UNMAPPED[policy] ?? 'no PSS rule maps to this policy', expectations: expectations.length });
      continue;
    }
    const documentsByFile = new Map<string, KubeObject[]>();
    let agree = 0;
    let total = 0;
    let divergent = 0;
    for (const expectation of expectations) {
      if (!documentsByFile.has(expectation.file)) documentsByFile.set(expectation.file, loadDocuments(path.join(directory, expectation.file)));
      const documents = documentsByFile.get(expectation.file)!;
      const object = documents.find((document) => document.kind === expectation.kind
        && (document.metadata as Record<string, unknown> | undefined)?.name === expectation.name);
      const part = KYVERNO_RULE_PARTS[`${policy}#${expectation.rule}`];
      const fired = object ? failingChecks(rules, object, contextOf(documents), part) : [];
      const actual: Verdict = fired.length > 0 ? 'fail' : 'pass';
      const expected = expectation.result;
      if (object && actual === expected) {
        agree++;
        total++;
        continue;
      }
      const divergence = object && KYVERNO_DIVERGENCES.find((candidate) => candidate.policies.includes(policy) && candidate.applies(object));
      if (divergence) {
        divergent++;
        continue;
      }
      total++;
      disagreements.push({ policy, kind: expectation.kind, name: expectation.name, rule: expectation.rule, expected, actual });
    }
    rows.push({ policy, agree, total, divergent });
  }
  return {
    rows,
    agree: rows.reduce((sum, row) => sum + row.agree, 0),
    total: rows.reduce((sum, row) => sum + row.total, 0),
    divergent: rows.reduce((sum, row) => sum + row.divergent, 0),
    disagreements,
    unmapped,
    divergences: KYVERNO_DIVERGENCES,
    documentedDivergences: readDocumentedDivergences(root),
  };
}

// ---------------------------------------------------------------------------------------------
// report

function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(cells[0]), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n');
}

/** a readable, deterministic report of both runs. */
export function formatConformanceReport(psa: PsaReport, kyverno: KyvernoReport | undefined): string {
  const lines: string[] = [];
  lines.push('PSA v1.28 official fixtures (pss-baseline for baseline/, pss-restricted for restricted/)', '');
  lines.push(table(['level/control', 'agree', 'total'], psa.rows.map((row) => [row.control, row.agree, row.total])));
  lines.push('', `PSA total: ${psa.agree}/${psa.total}`);
  for (const outcome of psa.outcomes.filter((candidate) => !candidate.agrees)) {
    lines.push(`  DISAGREE ${outcome.file}: expected ${outcome.expected}, got ${outcome.actual} (fired: ${outcome.failingChecks.join(', ') || 'none'})`);
  }
  lines.push('');
  if (!kyverno) {
    lines.push('Kyverno PSS corpus not found: skipped.');
    return lines.join('\n');
  }
  lines.push('Kyverno PSS expectations (baseline/, restricted/, pss-subrule/)', '');
  lines.push(table(['policy', 'agree', 'total', 'documented divergence'], kyverno.rows.map((row) => [row.policy, row.agree, row.total, row.divergent])));
  lines.push('', `Kyverno total: ${kyverno.agree}/${kyverno.total} (${kyverno.divergent} documented divergences set aside)`);
  for (const disagreement of kyverno.disagreements) {
    lines.push(`  DISAGREE ${disagreement.policy} ${disagreement.kind}/${disagreement.name} (${disagreement.rule}): expected ${disagreement.expected}, got ${disagreement.actual}`);
  }
  lines.push('', 'Not compared:');
  for (const item of kyverno.unmapped) lines.push(`  ${item.policy} (${item.expectations} expectations): ${item.reason}`);
  lines.push('', "Kyverno's documented divergences from PSS v1.28 (corpus README; listed, not matched):");
  for (const item of kyverno.documentedDivergences) lines.push(`  ${item}`);
  lines.push('', 'Divergence detectors (an expectation they recognise is set aside, not compared):');
  for (const divergence of kyverno.divergences) lines.push(`  - ${divergence.id} [${divergence.policies.join(', ')}]: ${divergence.summary}`);
  return lines.join('\n');
}

/** true when every PSA fixture and every non-divergent Kyverno expectation agrees. */
export function conformancePassed(psa: PsaReport, kyverno: KyvernoReport | undefined): boolean {
  return psa.total > 0 && psa.agree === psa.total && (!kyverno || kyverno.disagreements.length === 0);
}
