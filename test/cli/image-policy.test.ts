import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCheckerConfig } from '../../src/checker/config-file';
import { CliIo, main } from '../../src/cli/main';

const ROOT = path.join(__dirname, '..', '..');
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; }, readStdin: async () => '', now: new Date('2026-03-15T00:00:00Z') };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-hardened-images-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** a pod that passes the hardened pack except for where its image comes from. */
function pod(image: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  automountServiceAccountToken: false
  serviceAccountName: web
  securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: web
      image: "${image}"
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`;
}

describe('check | image policy', () => {
  test('no registry is judged without --allowed-registry or --config', async () => {
    const file = write('pod.yaml', pod(`quay.io/example/web@${DIGEST}`));
    const result = await run(['check', file, '--format', 'json']);
    expect(JSON.parse(result.stdout).findings.map((f: any) => f.ruleId)).not.toContain('image-registry-not-allowed');
  });

  test('--allowed-registry turns the rule on (repeatable); prefixes end at a "/"', async () => {
    const evil = write('evil.yaml', pod(`ghcr.io/example-evil/web@${DIGEST}`));
    const result = await run(['check', evil, '--allowed-registry', 'ghcr.io/example', '--allowed-registry', 'docker.io/library', '--format', 'json']);
    expect(result.code).toBe(1);
    const finding = JSON.parse(result.stdout).findings.find((f: any) => f.ruleId === 'image-registry-not-allowed');
    expect(finding).toMatchObject({
      severity: 'error',
      path: 'spec.containers[0].image',
      message: `container "web" uses image "ghcr.io/example-evil/web@${DIGEST}" (ghcr.io/example-evil/web), which is not below any allowed registry (docker.io/library, ghcr.io/example)`,
    });
    const good = write('good.yaml', pod(`nginx@${DIGEST}`));
    const clean = await run(['check', good, '--allowed-registry', 'ghcr.io/example', '--allowed-registry', 'docker.io/library', '--format', 'json']);
    expect(JSON.parse(clean.stdout).findings.map((f: any) => f.ruleId)).not.toContain('image-registry-not-allowed');
  });

  test('a bad --allowed-registry is a usage error naming the prefix and the fix', async () => {
    const file = write('pod.yaml', pod(`ghcr.io/example/web@${DIGEST}`));
    const result = await run(['check', file, '--allowed-registry', 'ghcr.io/example/']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"ghcr.io/example/" ends with "/": write it without, e.g. "ghcr.io/example"');
  });

  test('--config reads imagePolicy.allowedRegistries; the repository\'s own file lets dist/ pass', async () => {
    const config = write('cdk8s-hardened.yaml', 'imagePolicy:\n  allowedRegistries:\n    - ghcr.io/example\n');
    const file = write('pod.yaml', pod(`quay.io/example/web@${DIGEST}`));
    const result = await run(['check', file, '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('image-registry-not-allowed');
    const dist = await run(['check', path.join(ROOT, 'dist'), '--config', path.join(ROOT, 'cdk8s-hardened.yaml'), '--fail-on', 'warning', '--format', 'json']);
    expect(dist.code).toBe(0);
    expect(JSON.parse(dist.stdout).findings.filter((f: any) => f.ruleId.startsWith('image-') && !f.suppressed)).toEqual([]);
  });

  test('--config errors name the file, the line and the field', async () => {
    const cases: [string, string][] = [
      ['imagePolicy:\n  allowedRegistries:\n    - ghcr.io/example\n    - GHCR.io/x\n', ':4: imagePolicy.allowedRegistries[1] is "GHCR.io/x": it holds upper case'],
      ['imagePolicy:\n  allowedRegistry: [ghcr.io/example]\n', ':2: imagePolicy.allowedRegistry is not a setting of imagePolicy: use allowedRegistries'],
      ['imagePolicy:\n  allowedRegistries: []\n', ':2: imagePolicy.allowedRegistries must list at least one registry prefix'],
      ['imagePolicy:\n  allowedRegistries:\n    - 5000\n', ':3: imagePolicy.allowedRegistries[0] must be a string'],
      ['registries: [ghcr.io/example]\n', ':1: registries is not a setting: the file holds imagePolicy only'],
      ['imagePolicy: [ghcr.io/example]\n', ':1: imagePolicy must be a mapping with the key allowedRegistries'],
      ['imagePolicy:\n  allowedRegistries: [a\n', ':3: is not valid YAML'],
    ];
    for (const [text, expected] of cases) {
      const config = write('bad.yaml', text);
      const result = await run(['check', write('pod.yaml', pod(`ghcr.io/example/web@${DIGEST}`)), '--config', config]);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`${config}${expected}`) });
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = await run(['check', write('pod.yaml', pod(`ghcr.io/example/web@${DIGEST}`)), '--config', path.join(dir, 'none.yaml')]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('none.yaml: cannot be read (ENOENT)') });
  });

  test('report and diff take the same options', async () => {
    const file = write('pod.yaml', pod(`quay.io/example/web@${DIGEST}`));
    const report = await run(['report', file, '--allowed-registry', 'ghcr.io/example', '--format', 'json']);
    expect(report.stdout).toContain('image-registry-not-allowed');
  });
});

describe('config file', () => {
  test('an empty file sets nothing; prefixes are sorted and deduplicated', () => {
    expect(parseCheckerConfig('', 'c.yaml')).toEqual({});
    expect(parseCheckerConfig('# nothing\n', 'c.yaml')).toEqual({});
    expect(parseCheckerConfig('imagePolicy:\n  allowedRegistries: [quay.io/b, ghcr.io/a, quay.io/b]\n', 'c.yaml'))
      .toEqual({ imagePolicy: { allowedRegistries: ['ghcr.io/a', 'quay.io/b'] } });
  });
});
