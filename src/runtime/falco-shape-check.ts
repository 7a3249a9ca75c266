import { parse } from 'yaml';
import { FALCO_UPSTREAM_RULES } from '../model/falco-upstream';

/** the priorities Falco accepts, highest first. */
export const FALCO_PRIORITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'DEBUG'] as const;

/** one shape problem of a Falco rules file. */
export interface FalcoShapeProblem {
  /** the item's position in the file (0-based), or -1 for the file itself. */
  readonly item: number;
  /** the rule, macro or list name, when known. */
  readonly name?: string;
  readonly field: string;
  readonly message: string;
}

const RULE_KEYS = ['rule', 'desc', 'condition', 'output', 'priority', 'enabled', 'tags', 'exceptions', 'source', 'warn_evttypes', 'skip-if-unknown-filter', 'override', 'append'];
const REQUIRED_RULE_KEYS = ['desc', 'condition', 'output', 'priority'];
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'intersects', 'pmatch', 'startswith', 'endswith', 'contains', 'icontains', 'bcontains', 'bstartswith', 'glob', 'iglob', 'exists', 'regex']);
/** operators after which a bare word is a value, not a macro. */
const VALUE_OPERATORS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'startswith', 'endswith', 'contains', 'icontains', 'bcontains', 'bstartswith', 'glob', 'iglob', 'regex']);
/** operators followed by a parenthesised list of values or list names. */
const LIST_OPERATORS = new Set(['in', 'intersects', 'pmatch']);

/** splits a condition into tokens: quoted strings, parentheses, commas, operators and words. */
function tokens(condition: string): string[] {
  const pattern = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[(),]|!=|==|<=|>=|[=<>]|[^\s(),=<>!"']+/g;
  return condition.match(pattern) ?? [];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The macros and lists a condition references: a bare word standing as a boolean term is a
 * macro; a bare word with an underscore inside `in (...)`/`intersects (...)`/`pmatch (...)` is
 * taken as a list (plain words there, such as `open` or `tcp`, are values). Field names (with a
 * dot) and values after a comparison operator are neither.
 */
export function conditionReferences(condition: string): { macros: string[]; lists: string[] } {
  const macros: string[] = [];
  const lists: string[] = [];
  const all = tokens(condition);
  let listDepth = 0;
  for (let i = 0; i < all.length; i++) {
    const token = all[i];
    const previous = all[i - 1];
    if (token === '(' && previous !== undefined && LIST_OPERATORS.has(previous.toLowerCase())) {
      listDepth++;
      continue;
    }
    if (token === ')' && listDepth > 0) {
      listDepth--;
      continue;
    }
    if (!IDENTIFIER.test(token) || KEYWORDS.has(token.toLowerCase())) continue;
    if (listDepth > 0) {
      if (token.includes('_')) lists.push(token);
      continue;
    }
    if (previous !== undefined && VALUE_OPERATORS.has(previous.toLowerCase())) continue;
    macros.push(token);
  }
  return { macros: [...new Set(macros)], lists: [...new Set(lists)] };
}

/** checks parentheses balance; returns a message or undefined. */
function parenthesesProblem(condition: string): string | undefined {
  let depth = 0;
  for (const token of tokens(condition)) {
    if (token === '(') depth++;
    if (token === ')' && --depth < 0) return 'a ")" closes nothing';
  }
  return depth === 0 ? undefined : `${depth} "(" not closed`;
}

/** options of `checkFalcoRulesShape`. */
export interface FalcoShapeOptions {
  /**
   * Macro and list names the file may use without defining them (loaded earlier by Falco).
   *
   * @default - the upstream default rules (`FALCO_UPSTREAM_RULES`)
   */
  readonly upstream?: { readonly macros: readonly string[]; readonly lists: readonly string[] };
}

/**
 * Checks a Falco rules file offline, as far as that is possible without Falco: well-formed
 * YAML, a list of items each with one known kind, `required_engine_version` set, rules with
 * `desc`, `condition`, `output` and a valid `priority` and no unknown keys, unique names, balanced
 * parentheses, and every macro or list a condition uses defined in the file or in the upstream
 * default set. Condition semantics (field names, types) need Falco itself.
 */
export function checkFalcoRulesShape(text: string, options: FalcoShapeOptions = {}): FalcoShapeProblem[] {
  const upstream = options.upstream ?? FALCO_UPSTREAM_RULES;
  const problems: FalcoShapeProblem[] = [];
  let document: unknown;
  try {
    document = parse(text, { uniqueKeys: true, maxAliasCount: 0 });
  } catch (error) {
    return [{ item: -1, field: 'yaml', message: `not well-formed YAML: ${(error as Error).message.split('\n')[0]}` }];
  }
  if (!Array.isArray(document)) return [{ item: -1, field: 'yaml', message: 'a rules file is a YAML list of items' }];
  const macros = new Set<string>();
  const lists = new Set<string>();
  const rules = new Set<string>();
  let engineVersion = false;
  const conditions: { item: number; name: string; condition: string }[] = [];
  document.forEach((entry, item) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ item, field: 'item', message: 'each item is a mapping (rule, macro, list or a requirement)' });
      return;
    }
    const record = entry as Record<string, unknown>;
    const keys = Object.keys(record);
    if ('required_engine_version' in record) {
      engineVersion = true;
      const version = record.required_engine_version;
      if (!(typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version)) && !(typeof version === 'number' && Number.isInteger(version))) {
        problems.push({ item, field: 'required_engine_version', message: `${JSON.stringify(version)} is not a semantic version such as "0.57.0"` });
      }
      return;
    }
    if ('required_plugin_versions' in record) {
      const plugins = record.required_plugin_versions;
      if (!Array.isArray(plugins) || plugins.some((p) => typeof p?.name !== 'string' || typeof p?.version !== 'string')) {
        problems.push({ item, field: 'required_plugin_versions', message: 'a list of { name, version } entries' });
      }
      return;
    }
    const kind = ['rule', 'macro', 'list'].filter((key) => key in record);
    if (kind.length !== 1) {
      problems.push({ item, field: 'item', message: `an item has exactly one of rule, macro, list (found ${kind.length === 0 ? 'none' : kind.join(', ')})` });
      return;
    }
    const name = record[kind[0]];
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push({ item, field: kind[0], message: 'the name is a non-empty string' });
      return;
    }
    if (kind[0] === 'macro') {
      if (macros.has(name)) problems.push({ item, name, field: 'macro', message: 'defined twice' });
      macros.add(name);
      for (const key of keys) if (!['macro', 'condition', 'override', 'append'].includes(key)) problems.push({ item, name, field: key, message: 'not a macro key' });
      if (typeof record.condition !== 'string' || record.condition.trim() === '') problems.push({ item, name, field: 'condition', message: 'missing' });
      else conditions.push({ item, name, condition: record.condition });
    } else if (kind[0] === 'list') {
      if (lists.has(name)) problems.push({ item, name, field: 'list', message: 'defined twice' });
      lists.add(name);
      for (const key of keys) if (!['list', 'items', 'override', 'append'].includes(key)) problems.push({ item, name, field: key, message: 'not a list key' });
      if (!Array.isArray(record.items) || record.items.some((value) => typeof value !== 'string' && typeof value !== 'number')) {
        problems.push({ item, name, field: 'items', message: 'a list of strings or numbers' });
      }
    } else {
      if (rules.has(name)) problems.push({ item, name, field: 'rule', message: 'defined twice' });
      rules.add(name);
      for (const key of keys) if (!RULE_KEYS.includes(key)) problems.push({ item, name, field: key, message: 'not a rule key' });
      for (const key of REQUIRED_RULE_KEYS) {
        if (typeof record[key] !== 'string' || (record[key] as string).trim() === '') problems.push({ item, name, field: key, message: 'missing or empty' });
      }
      const priority = record.priority;
      if (typeof priority === 'string' && !(FALCO_PRIORITIES as readonly string[]).includes(priority.toUpperCase())) {
        problems.push({ item, name, field: 'priority', message: `${JSON.stringify(priority)} is not one of ${FALCO_PRIORITIES.join(', ')}` });
      }
      if (record.tags !== undefined && (!Array.isArray(record.tags) || record.tags.some((tag) => typeof tag !== 'string'))) {
        problems.push({ item, name, field: 'tags', message: 'a list of strings' });
      }
      if (record.enabled !== undefined && typeof record.enabled !== 'boolean') problems.push({ item, name, field: 'enabled', message: 'true or false' });
      if (typeof record.condition === 'string') conditions.push({ item, name, condition: record.condition });
    }
  });
  if (!engineVersion) problems.push({ item: -1, field: 'required_engine_version', message: 'missing: Falco cannot tell whether it can load the file' });
  const knownMacros = new Set([...macros, ...upstream.macros]);
  const knownLists = new Set([...lists, ...upstream.lists]);
  for (const { item, name, condition } of conditions) {
    const unbalanced = parenthesesProblem(condition);
    if (unbalanced) problems.push({ item, name, field: 'condition', message: unbalanced });
    const references = conditionReferences(condition);
    for (const macro of references.macros) {
      if (!knownMacros.has(macro)) problems.push({ item, name, field: 'condition', message: `macro "${macro}" is defined neither in the file nor in the upstream default rules (${FALCO_UPSTREAM_RULES.version})` });
    }
    for (const list of references.lists) {
      if (!knownLists.has(list)) problems.push({ item, name, field: 'condition', message: `list "${list}" is defined neither in the file nor in the upstream default rules (${FALCO_UPSTREAM_RULES.version})` });
    }
  }
  return problems;
}
