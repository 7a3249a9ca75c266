import { StreamPositions } from '../../src/checker/block-yaml';
import { parseManifests } from '../../src/checker/input';
import { JsonLocator } from '../../src/checker/json-text';
import { pathSegments, SourceLines, splitDocuments } from '../../src/checker/source-lines';

const TEXT = [
  '# leading comment', //                                 1
  'apiVersion: v1', //                                    2
  'kind: Pod', //                                         3
  'metadata:', //                                         4
  '  name: web', //                                       5
  '  annotations:', //                                    6
  '    ignore-check.cdk8s-hardened.io/x: "a reason"', //  7
  'spec:', //                                             8
  '  containers:', //                                     9
  '    - name: app', //                                   10
  '      securityContext:', //                            11
  '        privileged: true', //                          12
  '---', //                                               13
  'apiVersion: v1', //                                    14
  'kind: List', //                                        15
  'items:', //                                            16
  '  - apiVersion: v1', //                                17
  '    kind: Pod', //                                     18
  '    metadata: {name: a}', //                           19
  '    spec:', //                                         20
  '      hostNetwork: true', //                           21
].join('\n');

const lines = new SourceLines(new Map([['m.yaml', TEXT]]));
const at = (documentIndex: number, path: string, itemPath?: string) => lines.lineOf({ file: 'm.yaml', documentIndex, itemPath }, path);

test('finds the line of a field by its path, at the key', () => {
  expect(at(0, 'spec.containers[0].securityContext.privileged')).toBe(12);
  expect(at(0, 'spec.containers[0]')).toBe(10);
  expect(at(0, 'metadata.annotations["ignore-check.cdk8s-hardened.io/x"]')).toBe(7);
});

test('the object itself is its first line', () => {
  expect(at(0, '')).toBe(2);
  expect(at(1, '')).toBe(14);
});

test('a missing field resolves to its deepest existing ancestor', () => {
  expect(at(0, 'spec.containers[0].securityContext.seccompProfile.type')).toBe(11);
  expect(at(0, 'spec.containers[3].image')).toBe(9);
});

test('List items are found under their item path', () => {
  expect(at(1, 'spec.hostNetwork', 'items[0]')).toBe(21);
  expect(at(1, '', 'items[0]')).toBe(17);
});

test('unknown files and documents fall back to the source line', () => {
  expect(lines.lineOf({ file: 'other.yaml', documentIndex: 0, line: 4 }, 'spec')).toBe(4);
  expect(lines.lineOf({ file: 'm.yaml', documentIndex: 9 }, 'spec')).toBeUndefined();
  expect(lines.lineOf({ constructPath: 'a/b' }, 'spec')).toBeUndefined();
});

test('pathSegments reads dotted names, indexes and quoted keys', () => {
  expect(pathSegments('spec.containers[0]["a.b/c"].x')).toEqual(['spec', 'containers', 0, 'a.b/c', 'x']);
  expect(pathSegments('["k\\"q"]')).toEqual(['k"q']);
  expect(pathSegments('')).toEqual([]);
});

// per-document recovery: only the documents with findings are parsed a second time.
const DEPLOYMENT = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    note: |
      a block scalar
        with --- inside a line
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          securityContext:
            privileged: true
`;

const STREAMS: Record<string, string> = {
  'plain': `${DEPLOYMENT('a')}---\n${DEPLOYMENT('b')}`,
  'leading marker and comments': `# generated\n---\n${DEPLOYMENT('a')}---\n# only a comment\n---\n${DEPLOYMENT('b')}`,
  'directive and end markers': `%YAML 1.1\n---\n${DEPLOYMENT('a')}...\n---\n${DEPLOYMENT('b')}...\n`,
  'empty documents': `---\n---\n${DEPLOYMENT('a')}---\n\n---\n${DEPLOYMENT('b')}---\n`,
  'markers with trailing text': `--- # first\n${DEPLOYMENT('a')}---\t\n${DEPLOYMENT('b')}`,
};
const PATHS = ['', 'metadata.name', 'metadata.annotations.note', 'spec.template.spec.containers[0].securityContext.privileged', 'spec.template.spec.containers[0].missing'];

describe('SourceLines |', () => {
  test.each(Object.entries(STREAMS))('per-document lines equal whole-file lines: %s', (_name, text) => {
    const entries = parseManifests(text, 'm.yaml');
    expect(entries).toHaveLength(2);
    expect(splitDocuments(text)).toHaveLength(entries[0].source.documentCount!);
    const perDocument = new SourceLines(new Map([['m.yaml', text]]));
    const wholeFile = new SourceLines(new Map([['m.yaml', text]]));
    for (const entry of entries) {
      for (const path of PATHS) {
        const line = perDocument.lineOf(entry.source, path);
        expect(line).toBeGreaterThan(0);
        expect(line).toBe(wholeFile.lineOf({ ...entry.source, documentCount: undefined }, path));
      }
    }
    const privileged = text.split('\n').map((line, index) => (line.includes('privileged: true') ? index + 1 : 0)).filter(Boolean);
    expect(entries.map((entry) => perDocument.lineOf(entry.source, PATHS[3]))).toEqual(privileged);
  });

  test('a count that does not match the split falls back to parsing the whole file', () => {
    const text = STREAMS.plain;
    const located = new SourceLines(new Map([['m.yaml', text]]));
    const [first, second] = parseManifests(text, 'm.yaml');
    expect(located.lineOf({ ...second.source, documentCount: 7 }, 'metadata.name')).toBe(located.lineOf(second.source, 'metadata.name'));
    expect(located.lineOf(first.source, 'metadata.name')).toBe(4);
  });
});

describe('documents the YAML reader handed to js-yaml', () => {
  test('are located in their own text, among documents located by position', () => {
    const text = [
      'apiVersion: v1', //                   1
      'kind: ConfigMap', //                  2
      'metadata: {name: a}', //              3
      '---', //                              4
      'apiVersion: v1', //                   5
      'kind: ConfigMap', //                  6
      'metadata: &m {name: b}', //           7 (an anchor: js-yaml reads this document)
      'data:', //                            8
      '  {', //                              9
      '    x: "one', //                      10
      '', //                                 11
      '      two",', //                      12
      '    y: z', //                         13
      '  }', //                              14
      '---', //                              15
      'apiVersion: v1', //                   16
      'kind: ConfigMap', //                  17
      'metadata: {name: c}', //              18
      'data: {k: v}', //                     19
    ].join('\n');
    const positions = new StreamPositions();
    const entries = parseManifests(text, 'h.yaml', positions);
    expect(positions.documents.map((document) => document !== undefined)).toEqual([true, false, true]);
    expect(positions.handedOverText(1)).toEqual([text.indexOf('apiVersion', text.indexOf('---')), text.lastIndexOf('---')]);
    const located = new SourceLines(new Map([['h.yaml', text]]), new Map([['h.yaml', positions]]));
    const [first, second, third] = entries.map((entry) => entry.source);
    expect(located.lineOf(second, 'data.y')).toBe(13);
    expect(located.lineOf(second, 'data.x')).toBe(10);
    expect(located.lineOf(second, 'metadata.name')).toBe(7);
    expect(located.lineOf(first, 'metadata.name')).toBe(3);
    expect(located.lineOf(third, 'data.k')).toBe(19);
  });
});

describe('line recovery on long Lists', () => {
  test('every item of a 3,000-item List gets its own line, from one scan of the document', () => {
    const items = Array.from({ length: 3000 }, (_, i) => `- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p${i}\n  spec:\n    hostPID: true\n`).join('');
    const text = `apiVersion: v1\nkind: List\nitems:\n${items}`;
    const sourceLines = new SourceLines(new Map([['list.yaml', text]]));
    const lineCount = text.split('\n').length;
    const indexOf = jest.spyOn(String.prototype, 'indexOf');
    try {
      for (let i = 0; i < 3000; i++) {
        const source = { file: 'list.yaml', documentIndex: 0, documentCount: 1, itemPath: `items[${i}]` };
        expect(sourceLines.lineOf(source, 'spec.hostPID')).toBe(4 + i * 6 + 5);
        expect(sourceLines.lineOf(source, 'metadata.name')).toBe(4 + i * 6 + 3);
      }
      // the file is read line by line twice (split into documents, then the document scanned into
      // lines), not once per finding: 6,000 lookups would be 6,000 times that.
      const newlineSearches = indexOf.mock.calls.filter(([search]) => search === '\n').length;
      expect(newlineSearches).toBeGreaterThan(0);
      expect(newlineSearches).toBeLessThanOrEqual(2 * lineCount + 2);
    } finally {
      indexOf.mockRestore();
    }
  });
});

describe('documents written as JSON', () => {
  const pod = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations: { 'a.b/c': 'x', 'k"q': 'y' } },
    spec: { containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true }, args: ['--a', ['nested']] }], hostPID: true },
  });
  const list = { apiVersion: 'v1', kind: 'List', items: [pod('a'), pod('b'), pod('c')] };
  const FILES: Record<string, string> = {
    'a pretty-printed List (kubectl -o json)': `${JSON.stringify(list, null, 2)}\n`,
    'a List on one line': JSON.stringify(list),
    'a JSON document after a YAML one in a stream': `apiVersion: v1\nkind: Pod\nmetadata:\n  name: yaml-pod\n---\n${JSON.stringify(pod('j'), null, 4)}\n`,
    'a marker line with the JSON on it': `--- ${JSON.stringify(pod('m'))}\n`,
    'tabs and CRLF line ends': `${JSON.stringify(list, null, '\t').replace(/\n/g, '\r\n')}\r\n`,
  };
  const JSON_PATHS = ['', 'kind', 'metadata.name', 'metadata.annotations["a.b/c"]', 'metadata.annotations["k\\"q"]', 'spec.containers[0].securityContext.privileged',
    'spec.containers[0].args[1][0]', 'spec.containers[0].missing', 'spec.containers[5]', 'spec.hostPID'];

  test.each(Object.entries(FILES))('lines equal those `yaml` gives: %s', (_name, text) => {
    const entries = parseManifests(text, 'm.json');
    expect(entries.length).toBeGreaterThan(0);
    const json = new SourceLines(new Map([['m.json', text]]));
    const yamlPositions = new SourceLines(new Map([['m.json', text]]));
    for (const entry of entries) {
      for (const path of JSON_PATHS) {
        // without a document count the whole file is parsed with `yaml`: the reference.
        expect([path, json.lineOf(entry.source, path)]).toEqual([path, yamlPositions.lineOf({ ...entry.source, documentCount: undefined }, path)]);
      }
    }
  });

  test('a pretty-printed List: the line of each item\'s field', () => {
    const text = FILES['a pretty-printed List (kubectl -o json)'];
    const sourceLines = new SourceLines(new Map([['list.json', text]]));
    const expected = text.split('\n').map((line, index) => (line.includes('"hostPID"') ? index + 1 : 0)).filter(Boolean);
    const found = [0, 1, 2].map((i) => sourceLines.lineOf({ file: 'list.json', documentIndex: 0, documentCount: 1, itemPath: `items[${i}]` }, 'spec.hostPID'));
    expect(found).toEqual(expected);
  });

  test('a long List is located in place: its items indexed once, never parsed with `yaml`', () => {
    const items = Array.from({ length: 2000 }, (_, i) => pod(`p${i}`));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
    const sourceLines = new SourceLines(new Map([['list.json', text]]));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require('yaml') as typeof import('yaml');
    const valueEnd = jest.spyOn(JsonLocator.prototype as unknown as { valueEnd: (at: number) => number }, 'valueEnd');
    const parseDocument = jest.spyOn(yaml, 'parseDocument');
    const parseAllDocuments = jest.spyOn(yaml, 'parseAllDocuments');
    try {
      const textLines = text.split('\n');
      for (let i = 0; i < items.length; i++) {
        const line = sourceLines.lineOf({ file: 'list.json', documentIndex: 0, documentCount: 1, itemPath: `items[${i}]` }, 'metadata.name');
        expect(textLines[line! - 1]).toContain(`"name": "p${i}"`);
      }
      // each item is skipped once to index the List, and two values (apiVersion, kind) on the way to
      // each name: without the index, every lookup would skip all the items before its own (2 million values).
      expect(valueEnd.mock.calls.length).toBeLessThanOrEqual(3 * items.length + 2);
      expect(parseDocument).not.toHaveBeenCalled();
      expect(parseAllDocuments).not.toHaveBeenCalled();
    } finally {
      valueEnd.mockRestore();
      parseDocument.mockRestore();
      parseAllDocuments.mockRestore();
    }
  });

  test('flow-style YAML that is not JSON is still located by `yaml`', () => {
    const text = '{apiVersion: v1, kind: Pod,\n metadata: {name: f},\n spec: {hostPID: true}}\n';
    const [entry] = parseManifests(text, 'f.yaml');
    const sourceLines = new SourceLines(new Map([['f.yaml', text]]));
    expect(sourceLines.lineOf(entry.source, 'spec.hostPID')).toBe(3);
    expect(sourceLines.lineOf(entry.source, 'metadata.name')).toBe(2);
  });
});
