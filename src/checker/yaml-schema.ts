import { FAILSAFE_SCHEMA, Schema, Type } from 'js-yaml';

/*
 * Plain scalars resolved the way Kubernetes reads manifests: `kubectl` and the API server turn
 * YAML into JSON with sigs.k8s.io/yaml, which follows YAML 1.1 (go-yaml v2). So `privileged: yes`
 * or `on` is `true` to the cluster, and must be `true` to the checker too; js-yaml's default
 * YAML 1.2 schema would read the string "yes". Timestamps stay strings, as they do there.
 */

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSES = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const INT = /^[-+]?(?:0b[01]+|0o[0-7]+|0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
// a Map, not an object literal: `'constructor' in {}` is true, and the plain scalar `constructor`
// must stay a string.
const SPECIAL_FLOATS = new Map<string, number>([
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN],
  ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity],
  ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity],
  ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
]);

/** the longest spelling in NULLS, TRUES and FALSES: longer scalars skip the set lookups (most are). */
const LONGEST_WORD = 5;

/** numbers start with a sign, a digit or a dot: every other plain scalar skips the regexes (most are strings). */
function mayBeNumber(data: string): boolean {
  const first = data.charCodeAt(0);
  return (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
}

function withoutUnderscores(data: string): string {
  return data.includes('_') ? data.replace(/_/g, '') : data;
}

/** go's strconv.ParseInt(s, 0, 64) after underscores are removed, as far as JSON numbers go. */
function parseInt11(data: string): number {
  const plain = withoutUnderscores(data);
  const sign = plain.startsWith('-') ? -1 : 1;
  const digits = plain.replace(/^[-+]/, '');
  if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith('0o')) return sign * parseInt(digits.slice(2), 8);
  if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
  if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits, 8);
  return sign * parseInt(digits, 10);
}

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || (data.length <= LONGEST_WORD && NULLS.has(data)),
  construct: () => null,
  predicate: (value: unknown) => value === null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && data.length <= LONGEST_WORD && (TRUES.has(data) || FALSES.has(data)),
  construct: (data: string) => TRUES.has(data),
  predicate: (value: unknown) => typeof value === 'boolean',
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && mayBeNumber(data) && INT.test(withoutUnderscores(data)),
  construct: parseInt11,
  predicate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
});

const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && mayBeNumber(data) && (SPECIAL_FLOATS.has(data) || FLOAT.test(withoutUnderscores(data))),
  construct: (data: string) => SPECIAL_FLOATS.get(data) ?? parseFloat(withoutUnderscores(data)),
  predicate: (value: unknown) => typeof value === 'number',
});

/** `<<` merge keys, which go-yaml v2 honours too (js-yaml's loader merges keys tagged this way). */
const mergeType = new Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: string | null) => data === '<<',
});

/** js-yaml schema with YAML 1.1 scalars as Kubernetes resolves them, and `<<` merge keys. */
export const KUBERNETES_YAML_SCHEMA: Schema = FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType, mergeType],
});

/**
 * The value of a plain scalar, as `KUBERNETES_YAML_SCHEMA` resolves it: the schema's implicit
 * types tried in its order (null, bool, int, float; `<<` stays the string it constructs), so a
 * reader other than js-yaml resolves scalars exactly as js-yaml does with this schema.
 */
export function resolvePlainScalar(data: string): unknown {
  if (data.length <= LONGEST_WORD) {
    if (NULLS.has(data)) return null;
    if (TRUES.has(data)) return true;
    if (FALSES.has(data)) return false;
  }
  if (!mayBeNumber(data)) return data;
  const plain = withoutUnderscores(data);
  if (INT.test(plain)) return parseInt11(data);
  const special = SPECIAL_FLOATS.get(data);
  if (special !== undefined) return special;
  if (FLOAT.test(plain)) return parseFloat(plain);
  return data;
}

/** the JSON object key a plain scalar key becomes (`yes` → `true`, `0x10` → `16`), as sigs.k8s.io/yaml writes it. */
export function plainScalarKey(data: string): string {
  if (NULLS.has(data)) return 'null';
  if (TRUES.has(data)) return 'true';
  if (FALSES.has(data)) return 'false';
  if (mayBeNumber(data) && INT.test(withoutUnderscores(data))) return String(parseInt11(data));
  if (mayBeNumber(data) && (SPECIAL_FLOATS.has(data) || FLOAT.test(withoutUnderscores(data)))) {
    return String(SPECIAL_FLOATS.get(data) ?? parseFloat(withoutUnderscores(data)));
  }
  return data;
}
