/**
 * The part of Kubernetes JSONPath (k8s.io/client-go/util/jsonpath, with missing keys allowed) that
 * kube-bench's `path:` tests use: field chains `{.a.b.c}`, `{range .list[:]}…{end}`, the current
 * element `{}` or `{@}`, and string literals `{','}`. Anything else is an error, never a guess.
 */

type Value = unknown;

/** Go's `fmt.Fprint` of a decoded YAML/JSON value, as the jsonpath printer writes it. */
function print(value: Value): string {
  if (value === undefined || value === null) return value === null ? '<nil>' : '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(print).join(' ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([key, item]) => `${key}:${print(item)}`).join(' ')}]`;
}

/** the values a field chain such as `.a.b[:]` selects from `root`. */
function select(expression: string, current: Value): Value[] {
  let values: Value[] = [current];
  const text = expression.trim();
  if (text === '' || text === '@') return values;
  const steps = text.match(/\.[A-Za-z0-9_-]+|\[:\]|\[\*\]|\[\d+\]/g) ?? [];
  if (steps.join('') !== text.replace(/^@/, '')) throw new Error(`unsupported JSONPath expression "${expression}"`);
  for (const step of steps) {
    const next: Value[] = [];
    for (const value of values) {
      if (step === '[:]' || step === '[*]') {
        if (Array.isArray(value)) next.push(...value);
      } else if (step.startsWith('[')) {
        const index = Number(step.slice(1, -1));
        if (Array.isArray(value) && index < value.length) next.push(value[index]);
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const key = step.slice(1);
        if (Object.prototype.hasOwnProperty.call(value, key)) next.push((value as Record<string, unknown>)[key]);
      }
    }
    values = next;
  }
  return values;
}

interface Token {
  readonly kind: 'text' | 'action';
  readonly value: string;
}

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf('{', index);
    if (open < 0) {
      tokens.push({ kind: 'text', value: template.slice(index) });
      break;
    }
    if (open > index) tokens.push({ kind: 'text', value: template.slice(index, open) });
    let close = open + 1;
    let quote: string | undefined;
    for (; close < template.length; close++) {
      const char = template[close];
      if (quote) {
        if (char === quote) quote = undefined;
      } else if (char === '\'' || char === '"') {
        quote = char;
      } else if (char === '}') {
        break;
      }
    }
    if (close >= template.length) throw new Error(`unclosed action in JSONPath "${template}"`);
    tokens.push({ kind: 'action', value: template.slice(open + 1, close).trim() });
    index = close + 1;
  }
  return tokens;
}

function render(tokens: readonly Token[], current: Value): string {
  let output = '';
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.kind === 'text') {
      output += token.value;
      continue;
    }
    const action = token.value;
    if (action.startsWith('range ')) {
      let depth = 1;
      let end = index + 1;
      for (; end < tokens.length; end++) {
        if (tokens[end].kind !== 'action') continue;
        if (tokens[end].value.startsWith('range ')) depth++;
        if (tokens[end].value === 'end' && --depth === 0) break;
      }
      if (end >= tokens.length) throw new Error('range without end in JSONPath');
      const body = tokens.slice(index + 1, end);
      for (const item of select(action.slice('range '.length), current)) output += render(body, item);
      index = end;
    } else if (/^'.*'$|^".*"$/.test(action)) {
      output += action.slice(1, -1);
    } else if (action === 'end') {
      throw new Error('end without range in JSONPath');
    } else {
      output += select(action, current).map(print).join(' ');
    }
  }
  return output;
}

/** evaluates a kube-bench `path:` template against a decoded document; missing keys give ''. */
export function executeJsonPath(template: string, document: Value): string {
  return render(tokenize(template), document);
}
