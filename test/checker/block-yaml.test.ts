import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { dump, loadAll } from 'js-yaml';
import { readBlockYaml, readYamlDocuments } from '../../src/checker/block-yaml';
import { KUBERNETES_YAML_SCHEMA, resolvePlainScalar } from '../../src/checker/yaml-schema';

// the fast reader must return exactly what js-yaml returns with the Kubernetes schema, or nothing.
const ROOT = path.join(__dirname, '..', '..');
const DIRECTORIES = [
  path.join(ROOT, 'test'), path.join(ROOT, 'dist'), path.join(ROOT, 'node-files'),
  path.join(ROOT, '..', 'shared', 'corpus'),
];

const byJsYaml = (text: string) => loadAll(text, undefined, { schema: KUBERNETES_YAML_SCHEMA });

function manifestFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : manifestFiles(full);
    return /\.(ya?ml|json)$/.test(entry.name) ? [full] : [];
  }).sort();
}

/** asserts the reader reads `text`, and reads it as js-yaml does. */
function expectRead(text: string): unknown[] {
  const read = readBlockYaml(text);
  expect({ text, read }).toEqual({ text, read: byJsYaml(text) });
  expect(read).toBeDefined();
  return read!;
}

describe('block YAML reader |', () => {
  test.each([
    ['a mapping of scalars', 'kind: Pod\napiVersion: v1\nreplicas: 3\nenabled: true\nratio: 0.5\nnothing: null\nempty:\n'],
    ['YAML 1.1 scalars as Kubernetes reads them', 'a: yes\nb: off\nc: 010\nd: 0x1F\ne: 1_000\nf: .inf\ng: -.Inf\nh: ~\ni: -2.5e3\nj: v1.28\nk: <<\n'],
    ['nested mappings and sequences', 'spec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n          protocol: TCP\n  volumes: []\n'],
    ['sequences at their key\'s indent', 'rules:\n- apiGroups:\n  - ""\n  resources:\n  - pods\n  verbs: [ ]\nnext: 1\n'.replace('[ ]', '[]')],
    ['entries with more than one space after the dash', 'items:\n  -   name: a\n      value: b\n  -\n    name: c\n'],
    ['empty entries and empty values', 'list:\n  -\n  - x\n  -\nmap:\nlast:\n'],
    ['escapes in double-quoted scalars', 'a: "x\\ny\\t\\"q\\" \\\\p{L} \\/ \\x41\\u00e9\\0\\e"\nb: "end\\\\"\n'],
    ['quoted scalars', 'a: "80"\nb: \'it\'\'s\'\nc: ""\nd: \'\'\ne: "a # not a comment"\nf: \'yes\'\n'],
    ['comments everywhere', '# head\na: 1 # trailing\n  # indented\nb: # on a key\n  # inside\n  c: x#y\nd: "q" # after a quote\ne: [] # after a flow\n'],
    ['plain scalars with colons, dashes and other indicators inside', 'cidr: ::/0\nurl: http://example.com:8080/a?b&c\nflag: --verbose\nneg: -1\nq: ?x\nexpr: a,b[c]{d}\nspaces: a  b   \n'],
    ['quoted keys', '"a": 1\n\'b c\': 2\n"yes": 3\n"8a": 4\nlist:\n  - "k": v\n    \'it\'\'s\': x\n  - "not a key"\n'],
    ['names of Object.prototype members as keys', 'constructor: a\ntoString: b\nhasOwnProperty: c\n'],
    ['keys with dots, slashes and dashes', 'metadata:\n  labels:\n    app.kubernetes.io/name: web\n    x-y_z: "1"\n'],
    ['one-line flow collections', 'a: [1, "x", \'y\', yes, ::/0]\nb: { c: d, e: [ f, { g: h } ], "q k": http://x:80/p }\nports:\n  - { port: 53, protocol: UDP }\n  - [ ]\ntypes: [ Egress, Ingress ] # c\n'],
    ['literal block scalars', 'a: |\n  line 1\n    indented\n\n  line 3\nb: |-\n  no newline\nc: |\n  trailing blank lines\n\n\nd: |\ne: |\n  x\n  \n   \n'],
    ['a literal scalar in a sequence, then more keys', 'data:\n  - |\n    one\n  - two\nafter: |-\n    deep\n'],
    ['a document indented as a whole', '  a: 1\n  b:\n    c: 2\n'],
    ['non-ASCII text', 'note: café — 東京\n'],
    ['a file without a final newline', 'a: 1\nb: |\n  x'],
  ])('%s', (_name, text) => {
    expectRead(text);
  });

  test.each([
    ['', 0], ['\n', 0], ['   \n', 0], ['\n\n', 1], ['# only a comment\n', 1], ['---\n', 1], ['---', 1], ['---\n---\n', 2],
    ['a: 1\n---\n', 2], ['---\na: 1\n', 1], ['a: 1\n---\n# c\n', 2], ['---\n# c\n---\na: 1', 2],
    ['a: 1\n---\n---\nb: 2\n', 3], ['---   \na: 1', 1], ['--- # c\na: 1\n', 1],
  ])('documents of %j as js-yaml counts them', (text, count) => {
    expect(expectRead(text)).toHaveLength(count);
  });

  test.each([
    ['a tab', 'a:\tb\n'],
    ['a carriage return', 'a: b\r\n'],
    ['a control character', 'a: b\u0007\n'],
    ['a character outside the BMP', 'a: 😀\n'],
    ['a unicode line break', 'a: b\u2028c\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['content after ---', '--- a: 1\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow collection over several lines', 'a: [1,\n  2]\n'],
    ['a trailing comma in a flow collection', 'a: [1, 2, ]\n'],
    ['a pair inside a flow sequence', 'a: [b: 1]\n'],
    ['a flow mapping key without a value', 'a: {b}\n'],
    ['an empty flow mapping value', 'a: {b: }\n'],
    ['a comment inside a flow collection', 'a: [1, #c\n  2]\n'],
    ['an empty flow entry', 'a: [1, , 2]\n'],
    ['a duplicate key in a flow mapping', 'a: {b: 1, b: 2}\n'],
    ['a folded scalar', 'a: >\n  x\n'],
    ['a keep-chomping literal', 'a: |+\n  x\n'],
    ['an indentation indicator', 'a: |2\n  x\n'],
    ['blank lines before a literal\'s first line', 'a: |\n\n  x\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a long unicode escape', 'a: "\\U0001F600"\n'],
    ['a short hex escape', 'a: "\\x4"\n'],
    ['an unknown escape', 'a: "\\q"\n'],
    ['an escaped line break', 'a: "one\\\n  two"\n'],
    ['a value that is only colons', 'a: ::\n'],
    ['text after a closing quote', 'a: "x"y\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a numeric key', '80: http\n'],
    ['a quoted key JavaScript orders first', 'a: 1\n"80": http\n'],
    ['a key that resolves to a boolean', 'on: push\n'],
    ['a key that resolves to null', 'Null: x\n'],
    ['a merge key', 'a: 1\n<<: {b: 2}\n'],
    ['__proto__', '__proto__: x\n'],
    ['a quoted __proto__', '"__proto__": x\n'],
    ['a space before a key\'s colon', '"a" : 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a mapping inside a plain value', 'a: b: c\n'],
    ['a trailing colon', 'a: b:\n'],
    ['a sequence as a value on the key\'s line', 'a: - b\n'],
    ['a nested compact sequence', '- - a\n'],
    ['a top-level sequence', '- a\n- b\n'],
    ['a top-level scalar', 'just text\n'],
    ['over-indented key', 'a: 1\n  b: 2\n'],
    ['a key after a sequence, indented past it', 'a:\n    - x\n  b: 1\n'],
    ['a less indented line after an indented document', '  a: 1\nb: 2\n'],
    ['a key too long for an implicit key', `${'k'.repeat(1001)}: v\n`],
    ['plain scalars starting with indicators', 'a: @x\n'],
    ['a value that starts with a dash and a space', 'a: - \n'],
  ])('refuses %s (js-yaml decides)', (_name, text) => {
    expect(readBlockYaml(text)).toBeUndefined();
  });

  test('resolves plain scalars as the schema does', () => {
    const scalars = ['y', 'Yes', 'NO', 'off', 'null', '~', 'Null', '0', '-0', '+12', '012', '0o17', '0b101', '0x1f', '1_0', '_1', '1.5', '.5', '5.', '1e3', '-1E-3',
      '.nan', '.NaN', '-.inf', '+.INF', '1.2.3', '1e', 'v1', '<<', 'constructor', '0.0.0.0/0', '::/0', '+', '.'];
    for (const scalar of scalars) {
      const [document] = byJsYaml(`v: ${scalar}\n`) as [{ v: unknown }];
      expect([scalar, resolvePlainScalar(scalar)]).toEqual([scalar, document.v]);
    }
  });

  test('reads every committed manifest, fixture and corpus file as js-yaml does, or leaves it to js-yaml', () => {
    let read = 0;
    const files = DIRECTORIES.flatMap(manifestFiles);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const fast = readBlockYaml(text);
      if (fast === undefined) continue;
      let expected: unknown[];
      try {
        expected = byJsYaml(text);
      } catch (error) {
        throw new Error(`${file}: the reader read what js-yaml rejects: ${String(error)}`);
      }
      expect({ file, fast }).toEqual({ file, fast: expected });
      read++;
    }
    // every manifest the library writes is in the subset.
    for (const file of manifestFiles(path.join(ROOT, 'dist'))) expect({ file, read: readBlockYaml(fs.readFileSync(file, 'utf8')) !== undefined }).toEqual({ file, read: true });
    expect(read).toBeGreaterThan(files.length / 3);
  });

  test('on random YAML-like text, reads what js-yaml reads or refuses', () => {
    const key = fc.constantFrom('a', 'b', 'kind', 'name', 'app.kubernetes.io/name', 'x-y', '_z', 'yes', 'on', 'null', 'constructor', '__proto__', '80', '"q"', '<<', 'a b', '? a');
    const value = fc.oneof(
      fc.constantFrom('', ' ', '1', '0x1F', '010', '1_000', '.inf', 'yes', '~', 'null', '-', '-1', '- a', ':x', '::/0', ': x', '?x', 'a: b', 'a:', 'a:b',
        'x # c', 'x#c', '"q"', '"a b" # c', '"a\\nb"', '"\\x41"', '"a\\"b"', '"\\\\"', '"\\U0001F600"', '"open', "'it''s'", "'open", "''", '[]', '{}', '[a]', '{a: 1}', '|', '|-', '|+', '>', '|2', '&a x', '*a', '!t x',
        '@x', '`x', ',x', 'café', '\t', '#c'),
      fc.stringMatching(/^[a-z0-9 :#'"|>\-[\]{}&*!?,.]{0,6}$/),
    );
    const line = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 6 }), key, value).map(([indent, k, v]) => `${' '.repeat(indent)}${k}:${v === '' ? '' : ` ${v}`}`),
      fc.tuple(fc.integer({ min: 0, max: 6 }), value).map(([indent, v]) => `${' '.repeat(indent)}-${v === '' ? '' : ` ${v}`}`),
      fc.tuple(fc.integer({ min: 0, max: 6 }), key, value).map(([indent, k, v]) => `${' '.repeat(indent)}- ${k}: ${v}`),
      fc.tuple(fc.integer({ min: 0, max: 8 }), fc.stringMatching(/^[a-z #:|-]{0,6}$/)).map(([indent, text]) => `${' '.repeat(indent)}${text}`),
      fc.constantFrom('---', '--- # c', '---x', '...', '# c', '', '  ', '%YAML 1.1'),
    );
    const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.boolean()).map(([lines, newline]) => lines.join('\n') + (newline ? '\n' : ''));
    fc.assert(fc.property(text, (yaml) => {
      for (const fast of [readBlockYaml(yaml), readYamlDocuments(yaml)]) {
        if (fast === undefined) continue;
        let expected: unknown[];
        try {
          expected = byJsYaml(yaml);
        } catch (error) {
          throw new Error(`read ${JSON.stringify(yaml)}, which js-yaml rejects: ${String(error)}`);
        }
        expect(fast).toEqual(expected);
      }
    }), { numRuns: 3000 });
  });

  test('on objects written by a YAML writer in many styles, reads what js-yaml reads or refuses, and reads most', () => {
    const text = fc.stringMatching(/^[a-zA-Z0-9 :#'"|>\-[\]{}&*!?,.\\\n/é]{0,12}$/);
    const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('yes', 'on', '010', '0x1F', '1_000', '::/0', 'a: b', '- a', 'line\n', 'two\nlines\n\n', ' lead', 'trail '));
    const key = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9./_-]{0,8}$/), weight: 5 }, fc.constantFrom('yes', 'null', '80', '__proto__x', 'constructor', 'a b'));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { arbitrary: scalar, weight: 3 }, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    }));
    const documents = fc.array(fc.dictionary(key, tree.node, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 });
    const style = fc.record({ indent: fc.integer({ min: 1, max: 4 }), noArrayIndent: fc.boolean(), lineWidth: fc.constantFrom(-1, 30), quotingType: fc.constantFrom<'"' | "'">('"', "'"), forceQuotes: fc.boolean() });
    let runs = 0;
    let read = 0;
    fc.assert(fc.property(documents, style, (objects, options) => {
      const yaml = objects.map((object) => dump(object, options)).join('---\n');
      runs++;
      expect(readYamlDocuments(yaml)).toEqual(byJsYaml(yaml));
      const fast = readBlockYaml(yaml);
      if (fast === undefined) return;
      read++;
      expect(fast).toEqual(byJsYaml(yaml));
    }), { numRuns: 1000 });
    expect(read).toBeGreaterThan(runs / 4);
  });

  describe('document by document |', () => {
    const inSubset = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n';
    test.each([
      ['a multi-line flow document between block ones', `${inSubset}---\ndata:\n  {\n    a: "one\n\n      two",\n    b: c\n  }\n---\n${inSubset}`],
      ['an anchor and alias in one document', `${inSubset}---\na: &x {b: 1}\nc: *x\n---\n${inSubset}`],
      ['a document end marker inside the fallen-back text', `${inSubset}---\na: >\n  folded\n...\nb: 1\n---\n${inSubset}`],
      ['the first document out of the subset', `- a\n- b\n---\n${inSubset}`],
      ['the last document out of the subset, without a final newline', `${inSubset}---\na: [1,\n  2]`],
      ['a literal scalar holding text that looks like a marker, indented', 'a: |\n  ---\n  x\n---\nb: >\n  y\n'],
    ])('each document read by the reader or by js-yaml gives the stream js-yaml gives: %s', (_name, text) => {
      expect(readBlockYaml(text)).toBeUndefined();
      const read = readYamlDocuments(text);
      expect(read).toBeDefined();
      expect(read).toEqual(byJsYaml(text));
    });

    test.each([
      ['a document js-yaml rejects (its error is the whole stream\'s)', `${inSubset}---\na: 1\na: 2\n---\n${inSubset}`],
      ['a directive', `${inSubset}---\na: >\n  x\n...\n%YAML 1.1\n---\n${inSubset}`],
      ['text after a marker', `${inSubset}--- !!map\na: 1\n`],
      ['a tab anywhere', `${inSubset}---\na:\t1\n`],
    ])('leaves the whole text to js-yaml for %s', (_name, text) => {
      expect(readYamlDocuments(text)).toBeUndefined();
    });
  });
});
