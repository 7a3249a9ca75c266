import * as fs from 'fs';
import * as path from 'path';
import { CliIo, main } from '../../src/cli/main';
import type { SecurityDiff } from '../../src/diff/security-diff';

/** the day the fixtures' expiry dates are measured from. */
const NOW = new Date('2026-12-01T00:00:00Z');
const FIXTURES = path.join(__dirname, 'fixtures');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    now: NOW,
    cwd: path.join(__dirname, '..', '..'),
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    readStdin: async () => '',
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

async function diffOf(name: string): Promise<SecurityDiff> {
  const result = await cli(['diff', path.join(FIXTURES, name, 'base.yaml'), path.join(FIXTURES, name, 'head.yaml'), '--format', 'json']);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as SecurityDiff;
}

/** the sections other than findings that hold entries (findings follow the check engine, asserted per case). */
function changedSections(diff: SecurityDiff): string[] {
  const sections: Record<string, readonly unknown[]> = {
    'reachability.added': diff.reachability.added,
    'reachability.removed': diff.reachability.removed,
    'exceptions.added': diff.exceptions.added,
    'exceptions.removed': diff.exceptions.removed,
    'exceptions.changed': diff.exceptions.changed,
    'exceptions.expiringSoon': diff.exceptions.expiringSoon,
    'permissions.added': diff.permissions.added,
    'permissions.removed': diff.permissions.removed,
    'exposure.added': diff.exposure.added,
    'exposure.removed': diff.exposure.removed,
    'exposure.changed': diff.exposure.changed,
  };
  return Object.entries(sections).filter(([, entries]) => entries.length > 0).map(([name]) => name);
}

const flowText = (diff: SecurityDiff, side: 'added' | 'removed') =>
  diff.reachability[side].map((flow) => `${flow.source.id} -> ${flow.destination.id} ${flow.ports}/${flow.protocol}`);

describe('diff | fixture pairs', () => {
  test('every pair has a base and a head', () => {
    for (const name of fs.readdirSync(FIXTURES)) {
      expect(fs.existsSync(path.join(FIXTURES, name, 'base.yaml'))).toBe(true);
      expect(fs.existsSync(path.join(FIXTURES, name, 'head.yaml'))).toBe(true);
    }
  });

  test('identical trees give an empty diff, empty markdown and exit 0', async () => {
    const diff = await diffOf('identical');
    expect(changedSections(diff)).toEqual([]);
    expect(diff.findings).toEqual({ new: [], fixed: [] });
    expect(diff.summary.changed).toBe(false);
    const markdown = await cli(['diff', path.join(FIXTURES, 'identical', 'base.yaml'), path.join(FIXTURES, 'identical', 'head.yaml')]);
    expect(markdown).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a new port on an allowed pair shows as newly allowed flows only', async () => {
    const diff = await diffOf('new-flow');
    expect(changedSections(diff)).toEqual(['reachability.added']);
    expect(flowText(diff, 'added')).toEqual(['shop/Deployment/web -> shop/Deployment/api 9443/TCP']);
    expect(diff.findings).toEqual({ new: [], fixed: [] });
  });

  test('a removed egress policy shows as flows no longer allowed only', async () => {
    const diff = await diffOf('removed-flow');
    expect(changedSections(diff)).toEqual(['reachability.removed']);
    expect(flowText(diff, 'removed')).toEqual(['shop/Deployment/web -> shop/Deployment/api 9090/TCP']);
  });

  test('a label change that opens a flow between namespaces shows as a new flow', async () => {
    const diff = await diffOf('label-opens-flow');
    expect(changedSections(diff)).toEqual(['reachability.added']);
    expect(flowText(diff, 'added')).toEqual(['jobs/Deployment/worker -> shop/Deployment/api 9090/TCP']);
    expect(diff.findings).toEqual({ new: [], fixed: [] });
  });

  test('a new exception is listed with its reason and its near expiry, and hides a finding without fixing it', async () => {
    const diff = await diffOf('new-exception');
    expect(changedSections(diff)).toEqual(['exceptions.added', 'exceptions.expiringSoon']);
    expect(diff.exceptions.added).toEqual([{
      object: { namespace: 'shop', kind: 'Deployment', name: 'web' },
      ruleId: 'pss-run-as-non-root',
      reason: 'the storefront image runs nginx as root until the rebuild lands',
      expires: '2026-12-20',
    }]);
    expect(diff.exceptions.expiringSoon.map((entry) => entry.expires)).toEqual(['2026-12-20']);
    expect(diff.findings).toEqual({ new: [], fixed: [] });
  });

  test('a changed reason is listed with both reasons', async () => {
    const diff = await diffOf('changed-reason');
    expect(changedSections(diff)).toEqual(['exceptions.changed']);
    expect(diff.exceptions.changed).toEqual([{
      object: { namespace: 'shop', kind: 'Deployment', name: 'api' },
      ruleId: 'pss-run-as-non-root',
      before: { reason: 'the vendor image starts as root; the fix is tracked upstream' },
      after: { reason: 'temporary: needed until the migration finishes' },
    }]);
  });

  test('a new binding to the built-in edit role lists what the account gains', async () => {
    const diff = await diffOf('new-built-in-binding');
    expect(changedSections(diff)).toEqual(['permissions.added']);
    const gained = diff.permissions.added;
    expect(new Set(gained.map((permission) => `${permission.subject.namespace}/${permission.subject.name}`))).toEqual(new Set(['jobs/worker']));
    expect(gained.every((permission) => permission.scope === 'shop')).toBe(true);
    // edit aggregates secrets and pods/exec write access: both must show.
    expect(gained).toEqual(expect.arrayContaining([
      expect.objectContaining({ verb: 'get', apiGroup: '', resource: 'secrets' }),
      expect.objectContaining({ verb: 'create', apiGroup: '', resource: 'pods/exec' }),
    ]));
    expect(gained[0].via).toBe('shop/RoleBinding/worker-edit → built-in ClusterRole "edit"');
    // the engine flags the binding: that is a new finding, on the binding alone.
    expect(new Set(diff.findings.new.map((finding) => finding.object.kind))).toEqual(new Set(['RoleBinding']));
  });

  test('a new LoadBalancer shows as added exposure', async () => {
    const diff = await diffOf('new-load-balancer');
    expect(changedSections(diff)).toEqual(['exposure.added']);
    expect(diff.exposure.added.map((entry) => entry.summary)).toEqual(['LoadBalancer 80/TCP from anywhere']);
    expect(diff.findings.new.every((finding) => finding.object.kind === 'Service')).toBe(true);
  });

  test.each(fs.readdirSync(FIXTURES).sort())('markdown for %s', async (name) => {
    const result = await cli(['diff', path.join('test', 'diff', 'fixtures', name, 'base.yaml'), path.join('test', 'diff', 'fixtures', name, 'head.yaml')]);
    expect(result.stdout).toMatchSnapshot();
  });
});
