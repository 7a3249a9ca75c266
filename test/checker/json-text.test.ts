import * as fc from 'fast-check';
import { loadAll } from 'js-yaml';
import { Node as JsonNode, parseTree } from 'jsonc-parser';
import { JsonLocator, readJsonManifest } from '../../src/checker/json-text';
import { KUBERNETES_YAML_SCHEMA } from '../../src/checker/yaml-schema';

const byJsYaml = (text: string) => loadAll(text, undefined, { schema: KUBERNETES_YAML_SCHEMA });

describe('JSON manifests read with JSON.parse |', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { 'app.kubernetes.io/name': 'web' } }, spec: { hostPID: true, containers: [{ name: 'a', args: ['--x', 'yes', '010'], ports: [{ containerPort: 80 }] }] } };

  test.each([
    ['pretty-printed', JSON.stringify(pod, null, 2)],
    ['on one line', JSON.stringify(pod)],
    ['tabs and CRLF line ends', `${JSON.stringify(pod, null, '\t').replace(/\n/g, '\r\n')}\r\n`],
    ['blank lines around it', `\n  \n${JSON.stringify(pod)}\n\n`],
    ['escapes, non-ASCII and surrogate pairs', '{"kind": "Pod", "a": "q\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00", "b": "café 😀", "k\\"ey": 1}'],
    ['numbers as JSON writes them', '{"a": 0, "b": -0, "c": 1.5, "d": -2.5e-3, "e": 1E+21, "f": 12345678901234567890, "g": 1e400, "h": 0.1}'],
    ['literals, empty collections and nesting', '{"a": true, "b": false, "c": null, "d": {}, "e": [], "f": [[{"g": [null]}]]}'],
    ['a __proto__ key, which both keep as an own property', '{"__proto__": {"x": 1}, "constructor": 2}'],
    ['strings YAML would resolve if they were plain', '{"a": "yes", "b": "0x1F", "c": "~", "d": ".inf"}'],
  ])('reads a JSON object as js-yaml does: %s', (_name, text) => {
    const read = readJsonManifest(text);
    expect(read).toBeDefined();
    expect(read).toEqual(byJsYaml(text));
  });

  test.each([
    ['a top-level array', '[{"kind": "Pod"}]'],
    ['YAML', 'kind: Pod\n'],
    ['flow YAML that is not JSON', '{kind: Pod}'],
    ['a trailing comma', '{"a": 1,}'],
    ['a comment', '{"a": 1} # c'],
    ['two documents', '{"a": 1}\n---\n{"b": 2}\n'],
    ['a duplicate key', '{"a": 1, "a": 2}'],
    ['a duplicate key deep inside', '{"a": [{"b": {"c": 1, "d": 2, "c": 3}}]}'],
    ['a duplicate key spelled with an escape', '{"a": 1, "\\u0061": 2}'],
    ['a character js-yaml rejects as non-printable', '{"a": "x\u007fy"}'],
    ['a character js-yaml rejects as non-printable, in non-ASCII text', '{"a": "é\u0080"}'],
    ['a lone surrogate', '{"a": "\ud800"}'],
  ])('leaves %s to js-yaml', (_name, text) => {
    expect(readJsonManifest(text)).toBeUndefined();
  });

  test('on random JSON objects, reads what js-yaml reads', () => {
    const object = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
    fc.assert(fc.property(object, fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
      const text = JSON.stringify(value, null, indent);
      const read = readJsonManifest(text);
      let expected: unknown[];
      try {
        expected = byJsYaml(text);
      } catch {
        // js-yaml rejects some characters JSON allows in strings: the text goes to it, and it reports them.
        expect(read).toBeUndefined();
        return;
      }
      if (read !== undefined) expect(read).toEqual(expected);
      else expect(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]/.test(text)).toBe(true);
    }), { numRuns: 500 });
  });
});

/** the offset of the deepest node along `segments` in jsonc-parser's tree: a property at its key, an item at its value. */
function treeOffset(root: JsonNode, segments: readonly (string | number)[]): number {
  let node: JsonNode | undefined = root;
  let offset = root.offset;
  for (const segment of segments) {
    if (node.type === 'object') {
      const property: JsonNode | undefined = node.children?.find((child) => child.children?.[0]?.value === String(segment));
      if (!property) break;
      offset = property.offset;
      node = property.children?.[1];
    } else if (node.type === 'array' && typeof segment === 'number') {
      const item: JsonNode | undefined = node.children?.[segment];
      if (!item) break;
      offset = item.offset;
      node = item;
    } else {
      break;
    }
    if (!node) break;
  }
  return offset;
}

/** every path into a value, plus a missing child of each collection. */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((item, index) => pathsOf(item, [...prefix, index], out));
    out.push([...prefix, value.length]);
  } else {
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, key], out);
    out.push([...prefix, 'missing-key']);
  }
  return out;
}

describe('JSON locator |', () => {
  test('finds every path where jsonc-parser\'s tree puts it, in random JSON laid out in many ways', () => {
    const value = fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 5 });
    fc.assert(fc.property(value, fc.constantFrom(undefined, 1, 2, '\t'), fc.constantFrom('', '\n', '---\n', 'a: 1\n---\n'), (object, indent, before) => {
      const json = JSON.stringify(object, null, indent);
      const text = `${before}${json}\n`;
      const locator = new JsonLocator(text, before.length);
      const root = parseTree(json)!;
      for (const path of pathsOf(object)) expect([path, locator.offsetOf(path)]).toEqual([path, before.length + treeOffset(root, path)]);
    }), { numRuns: 300 });
  });

  test('with the items readJsonManifest noted while reading, finds every path where jsonc-parser\'s tree puts it', () => {
    const member = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }));
    const value = fc.dictionary(fc.string({ maxLength: 4 }), member, { maxKeys: 5 });
    fc.assert(fc.property(value, fc.constantFrom(undefined, 1, 4, '\t'), fc.constantFrom('', '\n  '), (object, indent, before) => {
      const text = `${before}${JSON.stringify(object, null, indent)}\n`;
      let noted: ReadonlyMap<number, readonly number[]> | undefined;
      // compared with JSON.parse, not the generated value: JSON writes -0 as 0.
      expect(readJsonManifest(text, (arrays) => { noted = arrays; })).toEqual([JSON.parse(text)]);
      const arrays = Object.values(object).filter(Array.isArray);
      expect(noted!.size).toBe(arrays.length);
      const locator = new JsonLocator(text, before.length, noted);
      const root = parseTree(text)!;
      for (const path of pathsOf(object)) expect([path, locator.offsetOf(path)]).toEqual([path, treeOffset(root, path)]);
    }), { numRuns: 300 });
  });

  test('items noted while reading skip strings that hold brackets, commas and escaped quotes', () => {
    const text = '{"kind": "List", "note": "[,]", "items": [ {"a": "}],\\"{["}, [1, [2, 3]], "x,y", {} ,[]], "empty": []}';
    let noted: ReadonlyMap<number, readonly number[]> | undefined;
    expect(readJsonManifest(text, (arrays) => { noted = arrays; })).toHaveLength(1);
    const items = text.indexOf('[ {');
    expect([...noted!]).toEqual([
      [items, [text.indexOf('{"a"'), text.indexOf('[1,'), text.indexOf('"x,y"'), text.indexOf('{} ,'), text.indexOf('[]]')]],
      [text.lastIndexOf('[]'), []],
    ]);
  });

  test('answers nothing where the text on the way is flow YAML, not JSON', () => {
    for (const text of ['{kind: Pod, "spec": {}}', '{"a": 1, # c\n "spec": {}}', '{"a": &x {}, "spec": *x}', "{'a': 1, \"spec\": {}}", '{"a": !!str 1, "spec": {}}', '{"a": yes, "spec": {}}']) {
      expect([text, new JsonLocator(text, 0).offsetOf(['spec'])]).toEqual([text, undefined]);
    }
  });

  test('a path on a JSON prefix of flow YAML is found: positions there are the same in YAML', () => {
    const text = '{"kind": "Pod", "spec": {"hostPID": true}, other: yaml}';
    expect(new JsonLocator(text, 0).offsetOf(['spec', 'hostPID'])).toBe(text.indexOf('"hostPID"'));
  });
});
