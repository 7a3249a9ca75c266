/**
 * An offline kube-bench: reads a benchmark's check definitions (kube-bench's `cfg/<benchmark>/*.yaml`,
 * unchanged) and evaluates them against a {@link NodeView} with kube-bench's own test semantics
 * (check/check.go and check/test.go at a73ce378): the audit output is what the audit command would
 * print on that node; `test_items` match `flag` in it (falling back to `path` in the `audit_config`
 * output, then `env`), `set`, `compare.op` (eq, noteq, gt, gte, lt, lte, has, nothave, regex,
 * valid_elements, bitmask), `bin_op` and/or, `use_multiple_values`, `type: manual|skip`, `scored`.
 * No check id is special-cased: what a node cannot show from configuration (file permissions and
 * ownership, state outside these files) is recognised from the audit command itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as jsYaml from 'js-yaml';
import { parse } from 'yaml';
import { executeJsonPath } from './jsonpath';
import type { NodeProcess, NodeView } from './kubeadm-node';

/** a check's outcome on the node. */
export type BenchmarkStatus = 'pass' | 'fail' | 'manual' | 'not-applicable';

/** kube-bench's own state for the same outcome (a failing unscored check is WARN). */
export type KubeBenchState = 'PASS' | 'FAIL' | 'WARN' | 'INFO';

/** one check's result. */
export interface BenchmarkCheckResult {
  readonly id: string;
  readonly text: string;
  /** the section (`1`…`5`) and its title. */
  readonly section: string;
  readonly sectionText: string;
  readonly status: BenchmarkStatus;
  readonly kubeBenchState: KubeBenchState;
  readonly scored: boolean;
  /** the benchmark calls it automated (`(Automated)` in its title). */
  readonly automated: boolean;
  /** why it is manual, not applicable or failing. */
  readonly reason?: string;
  /** what the tests expected, as kube-bench words it. */
  readonly expected?: string;
  /** what the audit showed (trimmed). */
  readonly actual?: string;
}

/** a whole run. */
export interface BenchmarkReport {
  /** the benchmark version the definitions declare (`cis-1.8`). */
  readonly benchmark: string;
  readonly results: readonly BenchmarkCheckResult[];
  readonly counts: Readonly<Record<BenchmarkStatus, number>>;
}

/** one `test_items` entry. */
export interface TestItem {
  readonly flag: string;
  readonly path: string;
  readonly env: string;
  readonly set: boolean;
  readonly op: string;
  readonly value: string;
}

/** one check as the definitions state it. */
export interface CheckDefinition {
  readonly id: string;
  readonly text: string;
  readonly audit: string;
  readonly auditConfig: string;
  readonly auditEnv: string;
  readonly type: string;
  readonly scored: boolean;
  readonly multiple: boolean;
  readonly binOp: string;
  readonly items?: readonly TestItem[];
}

/** one definition file: a section of the benchmark. */
export interface SectionDefinition {
  readonly id: string;
  readonly text: string;
  readonly version: string;
  readonly checks: readonly CheckDefinition[];
}

type Raw = Record<string, unknown>;
const raw = (value: unknown): Raw => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Raw : {});
const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
/** a YAML 1.1 boolean as yaml.v2 reads it into a Go bool. */
function bool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  return /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(String(value));
}

/**
 * Reads every definition file (`*.yaml` with `groups`) of a kube-bench benchmark folder. Scalars
 * are read as their source text, as yaml.v2 does for kube-bench's string fields (`value: false` is
 * the string "false"). Throws naming the file on unreadable YAML.
 */
export function loadBenchmark(directory: string): SectionDefinition[] {
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) throw new Error(`${directory}: no such benchmark definition folder`);
  const sections: SectionDefinition[] = [];
  for (const file of fs.readdirSync(directory).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    const full = path.join(directory, file);
    let content: Raw;
    try {
      // js-yaml reads what kube-bench's yaml.v2 reads (including its over-short continuation lines); failsafe keeps scalars as written.
      content = raw(jsYaml.load(fs.readFileSync(full, 'utf8'), { schema: jsYaml.FAILSAFE_SCHEMA, filename: full }));
    } catch (error) {
      throw new Error(`${full}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!Array.isArray(content.groups)) continue;
    const checks: CheckDefinition[] = [];
    for (const group of content.groups.map(raw)) {
      const groupSkipped = text(group.type) === 'skip';
      for (const check of (Array.isArray(group.checks) ? group.checks : []).map(raw)) {
        const tests = check.tests === undefined || check.tests === null || check.tests === '' ? undefined : raw(check.tests);
        const items = tests && Array.isArray(tests.test_items) ? tests.test_items.map(raw).map((item): TestItem => ({
          flag: text(item.flag),
          path: text(item.path),
          env: text(item.env),
          set: bool(item.set, true),
          op: text(raw(item.compare).op),
          value: text(raw(item.compare).value),
        })) : undefined;
        checks.push({
          id: text(check.id),
          text: text(check.text),
          audit: text(check.audit),
          auditConfig: text(check.audit_config),
          auditEnv: text(check.audit_env),
          type: groupSkipped ? 'skip' : text(check.type).trim(),
          scored: bool(check.scored, false),
          multiple: bool(check.use_multiple_values, false),
          binOp: tests ? text(tests.bin_op) : '',
          items,
        });
      }
    }
    sections.push({ id: text(content.id), text: text(content.text), version: text(content.version), checks });
  }
  if (sections.length === 0) throw new Error(`${directory}: no kube-bench check definitions (YAML files with "groups")`);
  return sections.sort((a, b) => compareIds(a.id, b.id));
}

/** orders dotted ids numerically: 1.2.9 before 1.2.10. */
export function compareIds(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? -1) - (right[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** what an audit command prints on the node, or why it cannot be shown from configuration. */
type AuditOutput = { readonly output: string } | { readonly notApplicable: string };

const PS_GREP = /^(?:\/bin\/)?ps -ef \| (?:\/bin\/)?grep \$(\w+)bin \| (?:\/bin\/)?grep -v grep$/;
const PS_C = /^(?:\/bin\/)?ps -fC \$(\w+)bin$/;
const PS_HEADER = 'UID          PID    PPID  C STIME TTY          TIME CMD';
const CAT = /^(?:\/bin\/sh -c ['"])?(?:if test -e (\S+); then )?(?:\/bin\/)?cat (\S+)(?:; fi)?['"]?$/;
/** `VAR=$(ps … | grep -- --flag | sed 's%RE%\1%')` then `grep -A1 'PATTERN' $VAR | tail -n1 | grep -o "[A-Za-z]*" | sed 's/^/PREFIX/'`. */
const GREP_CONFIG_FROM_FLAG = /^(\w+)=\$\((?:\/bin\/)?ps -ef \| grep \$(\w+)bin \| grep -- --[\w-]+ \| sed 's%(.+)%\\1%'\)\nif test -e \$\1; then grep -A1 '([^']+)' \$\1 \| tail -n1 \| grep -o "\[A-Za-z\]\*" \| sed 's\/\^\/([^/]*)\/'; fi$/;

function psLine(view: NodeView, process: string): string {
  const command = view.processes[process as NodeProcess];
  return command === undefined ? '' : `root        1201    1180  3 Dec01 ?        00:12:01 ${command}`;
}

function resolve(view: NodeView, word: string): string {
  return word.replace(/^\$(\w+)$/, (whole, name: string) => view.variables[name] ?? whole);
}

/** a sed basic regular expression as a JavaScript one (`\(` `\)` are groups, `(` `)` literal). */
function fromBasicRegex(basic: string): RegExp {
  let source = '';
  for (let index = 0; index < basic.length; index++) {
    const char = basic[index];
    if (char === '\\' && (basic[index + 1] === '(' || basic[index + 1] === ')')) {
      source += basic[++index];
    } else if (char === '(' || char === ')' || char === '{' || char === '}' || char === '+' || char === '?' || char === '|') {
      source += `\\${char}`;
    } else {
      source += char;
    }
  }
  return new RegExp(source);
}

function presentAudit(command: string, view: NodeView): AuditOutput {
  const audit = command.trim();
  if (audit === '') return { output: '' };
  if (/\bstat -c\b/.test(audit)) {
    const what = /%a/.test(audit) ? 'permissions' : /%U|%G/.test(audit) ? 'ownership' : 'metadata';
    return { notApplicable: `file ${what} on the node: set when the file or folder is installed, not by any configuration's content` };
  }
  let match = PS_GREP.exec(audit) ?? PS_C.exec(audit);
  if (match) {
    const line = psLine(view, match[1]);
    if (line === '' && view.absent[match[1] as NodeProcess]) return { notApplicable: view.absent[match[1] as NodeProcess]! };
    return { output: PS_C.test(audit) ? `${PS_HEADER}\n${line}` : line };
  }
  match = CAT.exec(audit);
  if (match) {
    const file = resolve(view, match[2]);
    if (match[1] !== undefined && resolve(view, match[1]) !== file) return { notApplicable: `the audit reads a file it did not test for: ${audit}` };
    return { output: view.files[file] ?? '' };
  }
  match = GREP_CONFIG_FROM_FLAG.exec(audit);
  if (match) {
    const [, , process, sedExpression, pattern, prefix] = match;
    const line = psLine(view, process);
    const flagName = /--([\w-]+)/.exec(audit)![1];
    if (!line.includes(`--${flagName}`)) return { output: '' };
    const extracted = line.replace(fromBasicRegex(sedExpression), '$1');
    const content = view.files[extracted];
    if (content === undefined) return { output: '' };
    // grep -A1 PATTERN | tail -n1: the line after the last match (or the match itself when it is the last line)
    const lines = content.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let last = -1;
    lines.forEach((line_, index) => { if (line_.includes(pattern)) last = index; });
    if (last < 0) return { output: '' };
    const chosen = lines[Math.min(last + 1, lines.length - 1)];
    const words = chosen.match(/[A-Za-z]+/g) ?? [];
    return { output: words.map((word) => `${prefix}${word}`).join('\n') };
  }
  return { notApplicable: `the audit command reads node state beyond the configuration files (${audit.split('\n')[0].slice(0, 80)})` };
}

type Used = 'command' | 'config' | 'env';

interface ItemOutcome {
  readonly result: boolean;
  readonly found: boolean;
  readonly expected: string;
}

function findFlag(flag: string, output: string): { match: boolean; value: string } {
  if (output === '' || flag === '' || !output.includes(flag)) return { match: false, value: '' };
  const groups = new RegExp(`(${flag})(=|: *)*([^\\s]*) *`).exec(output);
  if (!groups) return { match: true, value: '' };
  if (groups[3] !== '') return { match: true, value: groups[3] };
  return { match: true, value: flag.startsWith('--') ? 'true' : groups[1] };
}

function findPath(template: string, output: string): { match: boolean; value: string } {
  let document: unknown;
  try {
    document = JSON.parse(output);
  } catch {
    document = parse(output, { version: '1.1' });
  }
  const value = executeJsonPath(template, document);
  return { match: value !== '', value };
}

function findEnv(env: string, output: string): { match: boolean; value: string } {
  if (output === '' || env === '') return { match: false, value: '' };
  const line = new RegExp(`${env}=.*(?:$|\\n)`).exec(output)?.[0] ?? '';
  const value = line.replace('\n', '').replace(`${env}=`, '');
  return { match: value.length > 0, value };
}

function numeric(value: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(value) ? Number(value.trim()) : undefined;
}

function splitList(value: string): string[] {
  const clean = value.trim().replace(/,+$/, '');
  return clean === '' ? [] : clean.split(',').map((part) => part.trim());
}

/** kube-bench's compareOp: the expectation in its words and whether it holds. */
export function compareOp(op: string, actual: string, expected: string, name: string): [string, boolean] {
  const lower = actual.toLowerCase();
  switch (op) {
    case 'eq': return [`'${name}' is equal to '${expected}'`, lower === 'true' || lower === 'false' ? lower === expected : actual === expected];
    case 'noteq': return [`'${name}' is not equal to '${expected}'`, lower === 'true' || lower === 'false' ? lower !== expected : actual !== expected];
    case 'gt': case 'gte': case 'lt': case 'lte': {
      const a = numeric(actual);
      const b = numeric(expected);
      if (a === undefined || b === undefined) return [`Invalid Number(s) used for comparison: '${actual}' '${expected}'`, false];
      const holds = op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
      const words = { gt: 'is greater than', gte: 'is greater or equal to', lt: 'is lower than', lte: 'is lower or equal to' }[op];
      return [`'${name}' ${words} ${expected}`, holds];
    }
    case 'has': return [`'${name}' has '${expected}'`, actual.includes(expected)];
    case 'nothave': return [`'${name}' does not have '${expected}'`, !actual.includes(expected)];
    case 'regex': return [`'${name}' matched by regex expression '${expected}'`, new RegExp(expected).test(actual)];
    case 'valid_elements': {
      const given = splitList(actual);
      const allowed = splitList(expected);
      // both empty: valid; one empty: invalid; else every given element must be allowed
      const holds = given.length === 0 || allowed.length === 0 ? given.length === allowed.length : given.every((item) => allowed.includes(item));
      return [`'${name}' contains valid elements from '${expected}'`, holds];
    }
    case 'bitmask': {
      const requested = /^[0-7]+$/.test(actual) ? parseInt(actual, 8) : undefined;
      const max = /^[0-7]+$/.test(expected) ? parseInt(expected, 8) : undefined;
      if (requested === undefined || max === undefined) return [`Not numeric value - flag: ${requested === undefined ? actual : expected}`, false];
      return [`${name} has permissions ${actual}, expected ${expected} or more restrictive`, (max & requested) === requested]; // eslint-disable-line no-bitwise
    }
    default: return ['', false];
  }
}

function evaluateLine(item: TestItem, used: Used, line: string): ItemOutcome {
  const name = used === 'config' ? item.path : used === 'env' ? item.env : item.flag;
  let found: { match: boolean; value: string };
  try {
    found = used === 'config' ? findPath(item.path, line) : used === 'env' ? findEnv(item.env, line) : findFlag(item.flag, line);
  } catch (error) {
    // kube-bench fails the item on unreadable config output or a bad path expression.
    return { result: false, found: false, expected: (error as Error).message.split('\n')[0] };
  }
  const { match, value } = found;
  if (item.set) {
    if (match && item.op !== '') {
      const [expected, result] = compareOp(item.op, value, item.value, name);
      return { result, found: match, expected };
    }
    return { result: match, found: match, expected: `'${name}' is present` };
  }
  return { result: !match, found: match, expected: `'${name}' is not present` };
}

function executeItem(item: TestItem, used: Used, output: string, multiple: boolean): ItemOutcome {
  const trimmed = output.replace(/[ \n]+$/, '');
  const lines = multiple ? trimmed.split('\n') : [trimmed];
  let outcome: ItemOutcome = { result: false, found: false, expected: '' };
  for (const line of lines) {
    outcome = evaluateLine(item, used, line);
    if (!outcome.result) break;
  }
  return outcome;
}

/** what a check's audit, audit_config and audit_env commands printed. */
export interface AuditOutputs {
  readonly audit: string;
  readonly config: string;
  readonly env: string;
}

/**
 * kube-bench's `Check.execute`: every test item against the audit output, falling back to the
 * config output (`path`) and then the environment (`env`) when the flag is not found, combined
 * with `bin_op`; `expected` is kube-bench's wording of what the tests expect.
 */
export function executeTests(check: CheckDefinition, outputs: AuditOutputs): { readonly passed: boolean; readonly expected: string } {
  const outcomes = (check.items ?? []).map((item) => {
    let outcome = executeItem(item, 'command', outputs.audit, check.multiple);
    if (!outcome.found && check.auditConfig !== '' && outputs.config !== '') {
      outcome = executeItem(item, 'config', outputs.config, check.multiple);
      if (!outcome.found && item.env !== '') outcome = executeItem(item, 'env', outputs.env, check.multiple);
    }
    if (!outcome.found && item.env !== '') outcome = executeItem(item, 'env', outputs.env, check.multiple);
    return outcome;
  });
  const or = check.binOp === 'or';
  const passed = or ? outcomes.some((outcome) => outcome.result) : outcomes.every((outcome) => outcome.result);
  return { passed, expected: outcomes.map((outcome) => outcome.expected).join(or ? ' OR ' : ' AND ') };
}

function evaluateCheck(check: CheckDefinition, section: SectionDefinition, view: NodeView): BenchmarkCheckResult {
  const automated = /\(Automated\)/i.test(check.text);
  const base = { id: check.id, text: check.text, section: section.id, sectionText: section.text, scored: check.scored, automated };
  if (check.scored && check.type === '' && check.items === undefined) return { ...base, status: 'manual', kubeBenchState: 'WARN', reason: 'the benchmark defines no tests for it' };
  if (check.type === 'skip') return { ...base, status: 'not-applicable', kubeBenchState: 'INFO', reason: 'the benchmark marks it skip' };
  if (check.type === 'manual') return { ...base, status: 'manual', kubeBenchState: 'WARN', reason: 'the benchmark marks it manual: a person has to judge it' };
  if (check.items === undefined || check.items.length === 0) return { ...base, status: 'manual', kubeBenchState: check.scored ? 'FAIL' : 'WARN', reason: 'the benchmark defines no tests for it' };
  if (!['', 'and', 'or'].includes(check.binOp)) return { ...base, status: 'fail', kubeBenchState: check.scored ? 'FAIL' : 'WARN', reason: `unknown binary operator for tests ${check.binOp}` };
  const audit = presentAudit(check.audit, view);
  if ('notApplicable' in audit) return { ...base, status: 'not-applicable', kubeBenchState: 'INFO', reason: audit.notApplicable };
  const configAudit = presentAudit(check.auditConfig, view);
  const envAudit = presentAudit(check.auditEnv, view);
  const { passed, expected } = executeTests(check, {
    audit: audit.output,
    config: 'output' in configAudit ? configAudit.output : '',
    env: 'output' in envAudit ? envAudit.output : '',
  });
  const actual = audit.output.replace(/[ \n]+$/, '');
  if (passed) return { ...base, status: 'pass', kubeBenchState: 'PASS', expected, actual };
  return { ...base, status: 'fail', kubeBenchState: check.scored ? 'FAIL' : 'WARN', expected, actual, reason: `expected ${expected}` };
}

/** evaluates every check of the benchmark in `directory` against `view`. */
export function runBenchmark(directory: string, view: NodeView): BenchmarkReport {
  const sections = loadBenchmark(directory);
  const results = sections.flatMap((section) => section.checks.map((check) => evaluateCheck(check, section, view)))
    .sort((a, b) => compareIds(a.id, b.id));
  const counts: Record<BenchmarkStatus, number> = { 'pass': 0, 'fail': 0, 'manual': 0, 'not-applicable': 0 };
  for (const result of results) counts[result.status]++;
  const versions = [...new Set(sections.map((section) => section.version).filter((version) => version !== ''))];
  return { benchmark: versions.join(',') || path.basename(directory), results, counts };
}
