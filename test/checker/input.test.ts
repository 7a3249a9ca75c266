import fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeText, InputError, isConstructMetadata, loadInputs, MAX_ALIAS_EXPANSION, parseManifests } from '../../src/checker/input';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n';
const noStdin = { readStdin: async () => Buffer.alloc(0) };

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-input-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** the InputError `run` throws. */
async function inputError(run: () => unknown): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseManifests', () => {
  test('reads every document, skipping empty ones, with its index', () => {
    const entries = parseManifests(`---\n${POD}---\n---\n# nothing\n---\n${POD.replace('web', 'api')}`, 'm.yaml');
    expect(entries.map((entry) => [entry.source, (entry.object.metadata as { name: string }).name])).toEqual([
      [{ file: 'm.yaml', documentIndex: 0, documentCount: 4 }, 'web'],
      [{ file: 'm.yaml', documentIndex: 3, documentCount: 4 }, 'api'],
    ]);
  });

  test('reads JSON', () => {
    const entries = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' } }), 'm.json');
    expect(entries[0].object.kind).toBe('Pod');
  });

  test('resolves plain scalars as Kubernetes does (YAML 1.1): yes/on are true, timestamps stay strings', () => {
    const [entry] = parseManifests(`${POD}  hostNetwork: yes\n  hostPID: on\n  hostIPC: No\n  priority: 0x10\n  nodeName: 2024-01-01\n`, 'm.yaml');
    expect(entry.object.spec).toEqual({ containers: [], hostNetwork: true, hostPID: true, hostIPC: false, priority: 16, nodeName: '2024-01-01' });
  });

  test('invalid YAML names file and line', async () => {
    const error = await inputError(() => parseManifests(`${POD}  bad: [1, 2\n  other: 3\n`, 'm.yaml'));
    expect(error.file).toBe('m.yaml');
    expect(error.line).toBeGreaterThanOrEqual(7);
    expect(error.message).toMatch(/^m\.yaml:\d+: invalid YAML: /);
  });

  test('duplicate keys are invalid YAML', async () => {
    const error = await inputError(() => parseManifests('apiVersion: v1\nkind: Pod\nkind: Secret\nmetadata: {name: x}\n', 'm.yaml'));
    expect(error.message).toMatch(/^m\.yaml:3: invalid YAML: duplicated mapping key/);
  });

  test('an alias bomb is refused quickly, naming the document', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `${POD}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((line) => `  ${line}`).join('\n')}\n`;
    const error = await inputError(() => parseManifests(text, 'bomb.yaml'));
    expect(error.message).toMatch(new RegExp(`^bomb\\.yaml:8: document 2: YAML aliases expand the document by \\d+ nodes, more than ${MAX_ALIAS_EXPANSION}`));
  });

  test('a few aliases are fine and keep their values', () => {
    const [entry] = parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: &l {app: web}}\nspec: {selector: *l, nodeSelector: {<<: *l, zone: a}}\n', 'm.yaml');
    expect(entry.object.spec).toEqual({ selector: { app: 'web' }, nodeSelector: { app: 'web', zone: 'a' } });
  });

  test('a recursive alias is refused', async () => {
    const error = await inputError(() => parseManifests('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: &s [*s]\n', 'm.yaml'));
    expect(error.message).toMatch(/document 1: a YAML alias refers to a node that contains it/);
  });

  test.each([
    ['a scalar', `${POD}---\njust text\n`, /^m\.yaml:8: document 2: is a string, not a mapping/],
    ['a list', `${POD}---\n- a\n- b\n`, /^m\.yaml:8: document 2: is a list, not a mapping/],
    ['missing kind', 'apiVersion: v1\nmetadata: {name: x}\n', /^m\.yaml:1: document 1: kind is missing$/],
    ['a non-string kind', 'apiVersion: v1\nkind: 7\nmetadata: {name: x}\n', /^m\.yaml:2: document 1: kind is 7, not a non-empty string$/],
    ['missing apiVersion', 'kind: Pod\nmetadata: {name: x}\n', /^m\.yaml:1: document 1: apiVersion is missing$/],
    ['missing metadata.name', 'apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: x\n', /^m\.yaml:3: document 1: metadata.name is missing$/],
    ['metadata not a mapping', 'apiVersion: v1\nkind: Pod\nmetadata: [x]\n', /^m\.yaml:3: document 1: metadata is a list, not a mapping$/],
    ['a List item without kind', 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    metadata: {name: x}\n', /^m\.yaml:4: document 1, items\[0\]: kind is missing$/],
    ['List items not a list', 'apiVersion: v1\nkind: List\nitems: 3\n', /^m\.yaml:3: document 1: items of a List is a number, not a list \(kubectl reads any object with items as a list\)$/],
  ])('a document that is %s is an input error with its line', async (_name, text, message) => {
    expect((await inputError(() => parseManifests(text, 'm.yaml'))).message).toMatch(message);
  });
});

describe('isConstructMetadata', () => {
  const metadata = { version: '1.0.0', resources: { 'app-deployment-c8a4b2f1.k8s.yaml': { path: 'app/web/Resource' } } };
  test.each([
    ['cdk8s\'s file', JSON.stringify(metadata, null, 2), true],
    ['the same on one line, keys in another order', JSON.stringify({ resources: metadata.resources, version: '1.0.0' }), true],
    ['a Role written as JSON (its rules name "resources")', JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ resources: ['pods'], verbs: ['get'] }] }, null, 2), false],
    ['a manifest whose first key is kind', JSON.stringify({ kind: 'List', apiVersion: 'v1', items: [], version: '1', resources: {} }), false],
    ['a manifest with apiVersion after the metadata keys', JSON.stringify({ version: '1', resources: {}, apiVersion: 'v1' }), false],
    ['YAML', 'version: "1.0.0"\nresources: {}\n', false],
  ])('%s', (_name, text, expected) => {
    expect(isConstructMetadata(text)).toBe(expected);
  });
});

describe('decodeText', () => {
  test('refuses binary files, naming the line of the NUL byte', async () => {
    expect((await inputError(() => decodeText(Buffer.from('a: 1\nb: \u0000\n'), 'x.bin'))).message).toBe('x.bin:2: binary file: contains a NUL byte, expected YAML or JSON text');
  });

  test('refuses text that is not UTF-8, naming the line', async () => {
    const latin1 = Buffer.concat([Buffer.from('a: 1\nb: 2\nname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect((await inputError(() => decodeText(latin1, 'x.yaml'))).message).toBe('x.yaml:3: not UTF-8 text: re-encode the file as UTF-8');
  });

  test('drops a byte order mark', () => {
    expect(decodeText(Buffer.from('\ufeffa: 1', 'utf8'), 'x.yaml')).toBe('a: 1');
  });
});

describe('loadInputs', () => {
  test('reads directories recursively, sorted, by extension, hidden files and directories included as kubectl reads them', async () => {
    write('b.yaml', POD);
    write('a/z.yml', POD);
    write('a/b.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' } }));
    write('notes.txt', 'not yaml');
    write('.evil.yaml', POD.replace('web', 'evil'));
    write('.hidden/pod.yaml', POD.replace('web', 'hidden'));
    write('.git/config.yaml', 'not: a manifest\n');
    write('empty.yaml', '');
    const loaded = await loadInputs([dir], noStdin);
    expect(loaded.entries.map((entry) => path.relative(dir, entry.source.file!))).toEqual(['.evil.yaml', '.hidden/pod.yaml', 'a/b.json', 'a/z.yml', 'b.yaml']);
    expect([...loaded.texts.keys()].map((file) => path.relative(dir, file))).toEqual(['.evil.yaml', '.hidden/pod.yaml', 'a/b.json', 'a/z.yml', 'b.yaml', 'empty.yaml']);
  });

  test('a hidden YAML file that is not a manifest is an input error, as kubectl refuses it', async () => {
    write('b.yaml', POD);
    write('.github/workflows/ci.yml', 'on: push\n');
    expect((await inputError(() => loadInputs([dir], noStdin))).message).toMatch(/\.github\/workflows\/ci\.yml:1: document 1: kind is missing/);
  });

  test('keeps file names as given and reads each file once', async () => {
    const file = write('pod.yaml', POD);
    const loaded = await loadInputs([file, file, dir], noStdin);
    expect(loaded.entries.map((entry) => entry.source.file)).toEqual([file]);
  });

  test('reads standard input for -', async () => {
    const loaded = await loadInputs(['-'], { readStdin: async () => POD });
    expect(loaded.entries.map((entry) => entry.source.file)).toEqual(['<stdin>']);
  });

  test.each([
    ['no paths', () => [], /^<stdin>: empty input: give files, directories or - for standard input$/],
    ['an empty file', () => [write('e.yaml', '')], /e\.yaml: empty input: no Kubernetes objects in the file$/],
    ['a comment-only file', () => [write('c.yaml', '# nothing\n---\n')], /c\.yaml: empty input: no Kubernetes objects in the file$/],
    ['a directory without manifests', () => [path.dirname(write('d/readme.md', 'x'))], /d: empty input: no \.yaml, \.yml, \.json files in the directory$/],
    ['a directory of empty manifests', () => [path.dirname(write('d/e.yaml', '---\n'))], /d: empty input: no Kubernetes objects in the directory$/],
    ['empty standard input', () => ['-'], /^<stdin>: empty input: no Kubernetes objects on standard input$/],
    ['a missing path', () => [path.join(dir, 'nope.yaml')], /nope\.yaml: cannot read: no such file or directory$/],
  ])('%s is an input error naming the path', async (_name, paths, message) => {
    expect((await inputError(() => loadInputs(paths(), noStdin))).message).toMatch(message);
  });

  test('an unreadable file is an input error naming it', async () => {
    const file = write('secret.yaml', POD);
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const spy = jest.spyOn(fs, 'openSync').mockImplementation(() => {
      throw denied;
    });
    try {
      expect((await inputError(() => loadInputs([file], noStdin))).message).toBe(`${file}: cannot read: permission denied`);
    } finally {
      spy.mockRestore();
    }
  });

  test('an unreadable directory is an input error naming it', async () => {
    write('d/a.yaml', POD);
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const spy = jest.spyOn(fs, 'readdirSync').mockImplementation(() => {
      throw denied;
    });
    try {
      expect((await inputError(() => loadInputs([path.join(dir, 'd')], noStdin))).message).toBe(`${path.join(dir, 'd')}: cannot read directory: permission denied`);
    } finally {
      spy.mockRestore();
    }
  });

  test('follows a symbolic link loop only once', async () => {
    write('d/a.yaml', POD);
    fs.symlinkSync(path.join(dir, 'd'), path.join(dir, 'd', 'loop'));
    const loaded = await loadInputs([path.join(dir, 'd')], noStdin);
    expect(loaded.entries).toHaveLength(1);
  });

  test('never modifies its inputs', async () => {
    const file = write('pod.yaml', POD);
    const before = fs.statSync(file).mtimeMs;
    await loadInputs([file], noStdin);
    expect(fs.readFileSync(file, 'utf8')).toBe(POD);
    expect(fs.statSync(file).mtimeMs).toBe(before);
  });
});

describe('bounded input', () => {
  test('a file over --max-file-size is an input error naming it, refused on its size before reading', async () => {
    const big = write('big.yaml', `${POD}${'# padding\n'.repeat(2000)}`);
    const open = jest.spyOn(fs, 'readSync');
    try {
      const error = await inputError(() => loadInputs([big], noStdin, { maxFileSize: 1024 }));
      expect(error.message).toBe(`${big}: larger than --max-file-size (1024 bytes): split the file or raise the limit`);
      expect(open).not.toHaveBeenCalled();
    } finally {
      open.mockRestore();
    }
  });

  test('files together over --max-total-size are an input error naming the file that passes it', async () => {
    const a = write('a.yaml', POD);
    const b = write('b.yaml', POD.replace('web', 'api'));
    expect((await loadInputs([a, b], noStdin, { maxTotalSize: POD.length * 2 })).entries).toHaveLength(2);
    const error = await inputError(() => loadInputs([a, b], noStdin, { maxFileSize: POD.length, maxTotalSize: POD.length + 10 }));
    expect(error.message).toMatch(new RegExp(`^${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the inputs together exceed --max-total-size \\(${POD.length + 10} bytes\\)`));
  });

  test('a device that never ends (/dev/zero) is refused after the limit, without reading on', async () => {
    const error = await inputError(() => loadInputs(['/dev/zero'], noStdin, { maxFileSize: 1024 * 1024 }));
    expect(error.message).toBe('/dev/zero: larger than --max-file-size (1 MiB): split the file or raise the limit');
  });

  test('standard input over the limit is an input error, and the source is told the limit', async () => {
    const readStdin = jest.fn(async (limit?: number) => Buffer.alloc((limit ?? 0) + 1, 0x20));
    const error = await inputError(() => loadInputs(['-'], { readStdin }, { maxFileSize: 4096 }));
    expect(error.message).toBe('<stdin>: larger than --max-file-size (4096 bytes): split the file or raise the limit');
    expect(readStdin).toHaveBeenCalledWith(4096);
  });

  test('130,000 documents in one stream load without recursion or argument spreading', () => {
    const text = Array.from({ length: 130_000 }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\n`).join('');
    const entries = parseManifests(text, 'many.yaml');
    expect(entries).toHaveLength(130_000);
    expect(entries[129_999].source).toEqual({ file: 'many.yaml', documentIndex: 129_999, documentCount: 130_000 });
  }, 120_000);
});

describe('decoding like kubectl, bounded', () => {
  test('merge keys that copy a large mapping many times are refused before js-yaml copies them (a merge bomb)', async () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `  k${i}: v`).join('\n');
    const merges = Array.from({ length: 2000 }, (_, i) => `  m${i}: {<<: *big}`).join('\n');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbig: &big\n${keys}\ndata:\n${merges}\n`;
    const error = await inputError(() => parseManifests(text, 'bomb.yaml'));
    expect(error.message).toMatch(/^bomb\.yaml:\d+: merge keys \(<<\) copy more than 100000 keys into this document \(a merge bomb\?\)/);
  });

  test('merges that only add keys, and explicit keys after a merge, are read as kubectl reads them', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndefaults: &d {a: "1", b: "2"}\ndata:\n  <<: *d\n  b: "3"\n  c: "4"\n';
    expect(parseManifests(text, 'm.yaml')[0].object.data).toEqual({ a: '1', b: '3', c: '4' });
  });

  test('line and paragraph separators inside quoted strings are kept; every one outside is refused with its line', async () => {
    const quoted = Array.from({ length: 5000 }, (_, i) => `  k${i}: "a\u2028b"`).join('\n');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n${quoted}\n`;
    const [entry] = parseManifests(text, 'q.yaml');
    expect((entry.object.data as Record<string, string>).k4999).toBe('a\u2028b');
    const error = await inputError(() => parseManifests(`${text}  # trailing\u2029  hostPID: "true"\n`, 'q.yaml'));
    expect(error.line).toBe(5005);
    expect(error.message).toMatch(/U\+2029 is a line break to kubectl/);
  });
});
