import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { dump } from 'js-yaml';
import { readYamlDocuments, StreamPositions } from '../../src/checker/block-yaml';
import { parseManifests } from '../../src/checker/input';
import { scanLine } from '../../src/checker/line-scanner';
import { pathSegments, SourceLines, splitDocuments } from '../../src/checker/source-lines';

// the scanner must answer exactly what yaml's source positions answer, or not at all.
const ROOT = path.join(__dirname, '..', '..');
const DIRECTORIES = [path.join(ROOT, 'test', 'checker', 'fixtures'), path.join(ROOT, 'dist'), path.join(ROOT, '..', 'shared', 'corpus')];

function yamlFiles(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  }).sort();
}

/** every field path of an object, as the rules write them, plus a missing child of each mapping. */
function pathsOf(value: unknown, prefix = '', depth = 0, out: string[] = []): string[] {
  out.push(prefix);
  if (depth > 12 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((item, index) => pathsOf(item, `${prefix}[${index}]`, depth + 1, out));
    out.push(`${prefix}[${value.length}]`);
  } else {
    for (const [key, child] of Object.entries(value)) {
      const segment = /^[A-Za-z0-9_-]+$/.test(key) ? (prefix ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
      pathsOf(child, prefix + segment, depth + 1, out);
    }
    out.push(prefix ? `${prefix}.missingField` : 'missingField');
  }
  return out;
}

/** the documents the YAML reader reads from `text`, with the positions it kept. */
function readYamlDocumentsWithPositions(text: string): { documents: unknown[]; positions: StreamPositions } | undefined {
  const positions = new StreamPositions();
  const documents = readYamlDocuments(text, positions);
  return documents && { documents, positions };
}

describe('line scanner |', () => {
  test('agrees with yaml on every field of every fixture, dist and corpus object', () => {
    let compared = 0;
    let scanned = 0;
    let objects = 0;
    let positionedObjects = 0;
    for (const file of DIRECTORIES.flatMap(yamlFiles)) {
      const text = fs.readFileSync(file, 'utf8');
      let entries;
      const positions = new StreamPositions();
      try {
        entries = parseManifests(text, file, positions);
      } catch {
        continue; // bad-input fixtures
      }
      const split = splitDocuments(text);
      const byYaml = new SourceLines(new Map([[file, text]]));
      const perDocumentLines = new SourceLines(new Map([[file, text]]));
      const byPosition = new SourceLines(new Map([[file, text]]), new Map([[file, positions]]));
      for (const entry of entries) {
        objects++;
        if (positions.documents[entry.source.documentIndex!]) positionedObjects++;
        for (const field of pathsOf(entry.object)) {
          const expected = byYaml.lineOf({ ...entry.source, documentCount: undefined }, field);
          const perDocument = perDocumentLines.lineOf(entry.source, field);
          expect(`${file}#${entry.source.documentIndex} ${field}: ${perDocument}`).toBe(`${file}#${entry.source.documentIndex} ${field}: ${expected}`);
          const positioned = byPosition.lineOf(entry.source, field);
          expect(`${file}#${entry.source.documentIndex} ${field}: ${positioned}`).toBe(`${file}#${entry.source.documentIndex} ${field}: ${expected}`);
          if (split.length === entry.source.documentCount) {
            const document = split[entry.source.documentIndex!];
            if (scanLine(text.slice(document.start, document.end), pathSegments(field)) !== undefined) scanned++;
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
    // the YAML reader keeps positions for most objects (the rest it leaves to js-yaml)
    expect(positionedObjects / objects).toBeGreaterThan(0.7);
    // the scanner answers for most fields (hand-written fixtures use flow style often); the rest fall back to the parser
    expect(scanned / compared).toBeGreaterThan(0.7);
  });

  test.each([
    ['a flow mapping that continues on the next line', 'a: {b: 1,\n  c: 2}\n', 'a.c', 2],
    ['a flow mapping on lines of its own', 'data:\n  {\n    x: "one\n\n      two",\n    y: z\n  }\n', 'data.y', 6],
    ['a missing key of a flow mapping on lines of its own', 'data:\n  {\n    x: 1\n  }\n', 'data.w', 1],
    ['a flow sequence item after a multi-line single-quoted scalar', 'a:\n  - [\'it\'\'s\n\n    x\', y]\n', 'a[0][1]', 4],
    ['a flow sequence with a comment after it', 'a: [b] # c\n', 'a[0]', 1],
    ['a quote inside a plain scalar', 'a: [x"y, "z]\n  , w", v]\n', 'a[2]', 2],
    ['an escape in a double-quoted scalar', 'a: ["\\"]", b]\n', 'a[1]', 1],
    ['a doubled single quote', "a: ['it''s', b]\n", 'a[1]', 1],
  ])('reads a flow collection in place: %s', (_case, text, field, line) => {
    expect(scanLine(text as string, pathSegments(field as string))).toBe(line);
    expect(new SourceLines(new Map([['f.yaml', text as string]])).lineOf({ file: 'f.yaml', documentIndex: 0 }, field as string)).toBe(line);
  });

  test.each([
    ['a flow sequence holding an alias', 'x: &x 1\na: [*x]\n', ['a', 0]],
    ['a flow mapping holding an anchored mapping', 'a: {b: &x {c: 1},\n  d: 2}\n', ['a', 'b', 'c']],
    ['a pair inside a flow sequence', 'a: [b: 1,\n  c]\n', ['a', 0]],
    ['an explicit key in a flow mapping', 'a: {? b : 1,\n  c: 2}\n', ['a', 'c']],
    ['a flow mapping key that resolves to a boolean', 'a: {true: 1,\n  c: 2}\n', ['a', 'c']],
    ['an alias', 'a: &x\n  b: 1\nc: *x\n', ['c', 'b']],
    ['a tab in the indentation', 'a:\n\tb: 1\n', ['a', 'b']],
    ['a merge key', 'a:\n  <<: {b: 1}\n', ['a', 'b']],
    ['an escaped key', '"a\\"b": 1\n', ['a"b']],
  ])('gives up on %s', (_case, text, segments) => {
    expect(scanLine(text as string, segments as string[])).toBeUndefined();
  });

  test.each([
    ['a flow mapping', 'a: {b: 1}\n', ['a', 'b'], 1],
    ['a path past a flow sequence\'s end', 'x: 0\na: [b, c]\n', ['a', 5], 2],
    ['a sequence item written as a flow mapping', 'ports:\n  - {port: 53, protocol: UDP}\n  - { port: 54 }\n', ['ports', 1, 'port'], 3],
    ['quoted scalars holding brackets', 'a:\n  b: ["]", \'}\', "x"]\n', ['a', 'b', 2], 2],
    ['JSON-style keys', 'a: {"b":"c", "d": [1]}\n', ['a', 'd', 0], 1],
  ])('answers for a flow collection on one line: %s', (_case, text, segments, line) => {
    expect(scanLine(text as string, segments as (string | number)[])).toBe(line);
  });

  test('agrees with yaml on flow-style leaves (drop: [ALL], labels: {app: web}) of every dist and fixture object', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require('yaml') as typeof import('yaml');
    let compared = 0;
    let scanned = 0;
    for (const file of DIRECTORIES.slice(0, 2).flatMap(yamlFiles)) {
      const original = fs.readFileSync(file, 'utf8');
      try {
        parseManifests(original, file);
      } catch {
        continue;
      }
      const documents = YAML.parseAllDocuments(original);
      if (!Array.isArray(documents) || documents.some((document) => document.errors.length > 0)) continue;
      for (const document of documents) {
        YAML.visit(document, {
          Map: (_key, node) => { if (node.items.every((pair) => YAML.isScalar(pair.value))) node.flow = true; },
          Seq: (_key, node) => { if (node.items.every((item) => YAML.isScalar(item))) node.flow = true; },
        });
      }
      const text = documents.map((document) => document.toString({ lineWidth: 0 })).join('');
      const positions = new StreamPositions();
      const entries = parseManifests(text, file, positions);
      const split = splitDocuments(text);
      const byYaml = new SourceLines(new Map([[file, text]]));
      const perDocumentLines = new SourceLines(new Map([[file, text]]));
      const byPosition = new SourceLines(new Map([[file, text]]), new Map([[file, positions]]));
      for (const entry of entries) {
        for (const field of pathsOf(entry.object)) {
          const expected = byYaml.lineOf({ ...entry.source, documentCount: undefined }, field);
          expect(`${file}#${entry.source.documentIndex} ${field}: ${perDocumentLines.lineOf(entry.source, field)}`).toBe(`${file}#${entry.source.documentIndex} ${field}: ${expected}`);
          expect(`${file}#${entry.source.documentIndex} ${field}: ${byPosition.lineOf(entry.source, field)}`).toBe(`${file}#${entry.source.documentIndex} ${field}: ${expected}`);
          if (split.length === entry.source.documentCount) {
            const document = split[entry.source.documentIndex!];
            if (scanLine(text.slice(document.start, document.end), pathSegments(field)) !== undefined) scanned++;
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
    // one-line flow collections are answered by the scanner, not the parser.
    expect(scanned / compared).toBeGreaterThan(0.95);
  });

  test('agrees with yaml on one-line flow collections of any scalars (property)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require('yaml') as typeof import('yaml');
    // scalars with the characters that matter to flow syntax: quotes, brackets, commas, colons, comments, aliases.
    const scalar = fc.oneof(
      fc.stringMatching(/^[a-z0-9 "',:#&*![\]{}?\\-]{0,8}$/),
      fc.integer(),
      fc.boolean(),
    );
    const leaf = fc.oneof(fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,3}$/), scalar, { maxKeys: 3 }));
    const documentArbitrary = fc.record({
      kind: fc.constant('Pod'),
      spec: fc.record({ list: leaf, map: leaf, items: fc.array(fc.dictionary(fc.stringMatching(/^[a-z]{1,3}$/), scalar, { maxKeys: 3 }), { maxLength: 3 }) }),
    });
    let insideFlow = 0;
    fc.assert(fc.property(documentArbitrary, fc.boolean(), (object, quoted) => {
      const document = new YAML.Document(object);
      YAML.visit(document, {
        Map: (_key, node) => { if (node.items.every((pair) => YAML.isScalar(pair.value))) node.flow = true; },
        Seq: (_key, node) => { if (node.items.every((item) => YAML.isScalar(item))) node.flow = true; },
        Scalar: (_key, node) => { if (quoted && typeof node.value === 'string') node.type = 'QUOTE_SINGLE'; },
      });
      const text = document.toString({ lineWidth: 0 });
      const reference = new SourceLines(new Map([['p.yaml', text]]));
      for (const field of pathsOf(YAML.parse(text))) {
        const scanned = scanLine(text, pathSegments(field));
        if (scanned === undefined) continue;
        if (pathSegments(field).length >= 3) insideFlow++;
        expect(`${field}: ${scanned}\n${text}`).toBe(`${field}: ${reference.lineOf({ file: 'p.yaml', documentIndex: 0 }, field)}\n${text}`);
      }
    }), { numRuns: 300 });
    // the scanner answered inside flow collections, not only at their keys.
    expect(insideFlow).toBeGreaterThan(300);
  });

  test('agrees with yaml inside flow collections over several lines, quoted scalars folded over lines included (property)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require('yaml') as typeof import('yaml');
    const scalar = fc.oneof(fc.stringMatching(/^[a-z0-9 "',:#&*![\]{}?\\\n-]{0,24}$/), fc.integer(), fc.boolean(), fc.constant(null));
    const key = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-z0-9.-]{0,5}$/), weight: 5 }, fc.constantFrom('true', 'a b', 'x:y', '"q"', '1'));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { arbitrary: scalar, weight: 3 }, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    }));
    const documentArbitrary = fc.record({ kind: fc.constant('ConfigMap'), data: fc.dictionary(key, tree.node, { maxKeys: 4 }), list: fc.array(tree.node, { maxLength: 3 }) });
    let inFlow = 0;
    const flowFromDepth = fc.integer({ min: 0, max: 2 });
    fc.assert(fc.property(documentArbitrary, flowFromDepth, fc.constantFrom(20, 40), fc.boolean(), (object, flowFrom, lineWidth, singleQuoted) => {
      const document = new YAML.Document(object);
      YAML.visit(document, {
        Map: (_key, node, ancestors) => { if (ancestors.length >= flowFrom * 2 + 1) node.flow = true; },
        Seq: (_key, node, ancestors) => { if (ancestors.length >= flowFrom * 2 + 1) node.flow = true; },
        Scalar: (_key, node) => { if (singleQuoted && typeof node.value === 'string') node.type = 'QUOTE_SINGLE'; },
      });
      const text = document.toString({ lineWidth, minContentWidth: 0 });
      let parsed: unknown;
      try {
        parsed = YAML.parse(text);
      } catch {
        return; // yaml writes a few plain scalars (`:` then a line break) it cannot read back
      }
      const reference = new SourceLines(new Map([['c.yaml', text]]));
      for (const field of pathsOf(parsed)) {
        const scanned = scanLine(text, pathSegments(field));
        if (scanned === undefined) continue;
        if (pathSegments(field).length >= 3) inFlow++;
        expect(`${field}: ${scanned}\n${text}`).toBe(`${field}: ${reference.lineOf({ file: 'c.yaml', documentIndex: 0 }, field)}\n${text}`);
      }
    }), { numRuns: 300 });
    expect(inFlow).toBeGreaterThan(300);
  });

  test('the YAML reader\'s positions agree with yaml on random objects written in many styles (property)', () => {
    const text = fc.stringMatching(/^[a-zA-Z0-9 :#'"|>\-[\]{}&*!?,.\n]{0,10}$/);
    const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('yes', '::/0', 'two\nlines\n', ''));
    const key = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9./_-]{0,6}$/), weight: 5 }, fc.constantFrom('80', 'a b', '"q"', 'yes'));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { arbitrary: scalar, weight: 3 }, tie('list'), tie('map')),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    }));
    const documents = fc.array(fc.dictionary(key, tree.node, { minKeys: 1, maxKeys: 5 }), { minLength: 1, maxLength: 3 });
    const style = fc.record({
      indent: fc.integer({ min: 1, max: 4 }),
      noArrayIndent: fc.boolean(),
      flowLevel: fc.constantFrom(-1, 2, 3),
      lineWidth: fc.constant(-1),
      blankLines: fc.boolean(),
    });
    let positioned = 0;
    fc.assert(fc.property(documents, style, (objects, options) => {
      const { blankLines, ...dumpOptions } = options;
      const written = objects.map((object) => dump(object, dumpOptions))
        .map((document) => (blankLines ? document.replace(/\n(?=\S)/g, '\n\n# c\n') : document)).join('---\n');
      const parsed = readYamlDocumentsWithPositions(written);
      if (!parsed) return;
      const reference = new SourceLines(new Map([['p.yaml', written]]));
      const byPosition = new SourceLines(new Map([['p.yaml', written]]), new Map([['p.yaml', parsed.positions]]));
      parsed.documents.forEach((document, documentIndex) => {
        if (!parsed.positions.documents[documentIndex]) return;
        positioned++;
        for (const field of pathsOf(document)) {
          const source = { file: 'p.yaml', documentIndex };
          expect(`${field}: ${byPosition.lineOf(source, field)}\n${written}`).toBe(`${field}: ${reference.lineOf(source, field)}\n${written}`);
        }
      });
    }), { numRuns: 300 });
    expect(positioned).toBeGreaterThan(150);
  });

  test('same-indent sequences, compact mappings and block scalars', () => {
    const text = ['spec:', '  containers:', '  - name: app', '    args: |', '      key: not a key', '    image: x', '  - name: b', ''].join('\n');
    expect(scanLine(text, ['spec', 'containers', 0, 'image'])).toBe(6);
    expect(scanLine(text, ['spec', 'containers', 1, 'name'])).toBe(7);
    expect(scanLine(text, ['spec', 'containers', 0, 'key'])).toBe(3);
    expect(scanLine(text, ['spec', 'containers', 0, 'args', 'key'])).toBe(4);
  });
});
