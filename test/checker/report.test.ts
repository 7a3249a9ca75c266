import { privilegedPod } from './manifests';
import { checkManifests } from '../../src/checker/engine';
import { renderJson, toJsonReport } from '../../src/checker/report/json';
import { artifactUri, renderSarif } from '../../src/checker/report/sarif';
import { renderText } from '../../src/checker/report/text';
import type { ManifestEntry } from '../../src/checker/types';

const NOW = new Date('2026-03-15T00:00:00Z');
const suppressed = privilegedPod('quiet');
(suppressed.metadata as Record<string, unknown>).annotations = { 'ignore-check.cdk8s-hardened.io/pss-privileged': 'the node agent needs the host devices' };
const ENTRIES: ManifestEntry[] = [
  { object: privilegedPod('loud'), source: { file: 'deploy/pods.yaml', documentIndex: 0 } },
  { object: suppressed, source: { file: 'deploy/pods.yaml', documentIndex: 1 } },
  { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, source: { file: 'deploy/pods.yaml', documentIndex: 2 } },
];
const report = checkManifests(ENTRIES, { pack: 'pss-baseline', now: NOW, locate: (source, path) => (path ? 10 + (source.documentIndex ?? 0) : 1) });

describe('JSON report', () => {
  test('has exactly the documented keys, in order, with null for unknowns', () => {
    const json = JSON.parse(renderJson(report));
    expect(Object.keys(json)).toEqual(['findings', 'summary']);
    expect(json.findings.map((finding: object) => Object.keys(finding))).toEqual([
      ['ruleId', 'severity', 'kind', 'apiVersion', 'namespace', 'name', 'file', 'line', 'path', 'message', 'remediation', 'pss', 'suppressed'],
      ['ruleId', 'severity', 'kind', 'apiVersion', 'namespace', 'name', 'file', 'line', 'path', 'message', 'remediation', 'pss', 'suppressed', 'reason'],
    ]);
    expect(json.findings[1]).toMatchObject({ name: 'quiet', file: 'deploy/pods.yaml', line: 11, suppressed: true, reason: 'the node agent needs the host devices', pss: { level: 'baseline', check: 'privileged' } });
    expect(json.summary).toEqual({ pack: 'pss-baseline', objects: 3, checked: 2, skipped: { ConfigMap: 1 }, findings: 2, suppressed: 1, bySeverity: { error: 1, warning: 0, info: 0 } });
  });

  test('writes null for a missing namespace, file and line', () => {
    const bare = checkManifests([{ object: privilegedPod('x', null), source: {} }], { pack: 'pss-baseline' });
    expect(toJsonReport(bare).findings[0]).toMatchObject({ namespace: null, file: null, line: null });
  });
});

describe('text report', () => {
  test('groups findings per object with file:line, rule, message, path and fix', () => {
    expect(renderText(report)).toBe([
      'Pod shop/loud (deploy/pods.yaml)',
      '  deploy/pods.yaml:10: error pss-privileged: container "app" sets privileged: true',
      '      at spec.containers[0].securityContext.privileged',
      '      fix: Remove securityContext.privileged from every container or set it to false.',
      '',
      'Pod shop/quiet (deploy/pods.yaml)',
      '  deploy/pods.yaml:11: error pss-privileged (suppressed: the node agent needs the host devices): container "app" sets privileged: true',
      '      at spec.containers[0].securityContext.privileged',
      '',
      '3 objects (2 checked; skipped ConfigMap ×1), pack pss-baseline: 1 error, 0 warnings, 0 info, 1 suppressed',
      '',
    ].join('\n'));
  });

  test('says so when there is nothing to report', () => {
    expect(renderText(checkManifests([], { pack: 'pss-baseline' }))).toBe('0 objects (0 checked), pack pss-baseline: no findings\n');
  });
});

describe('SARIF report', () => {
  const sarif = JSON.parse(renderSarif(report, { name: 'cdk8s-hardened', version: '1.2.3' }));
  const run = sarif.runs[0];

  test('is a SARIF 2.1.0 log with the tool and the pack\'s rules, with help text', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'cdk8s-hardened', version: '1.2.3' });
    const ids = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(ids).toContain('pss-privileged');
    expect(ids).toContain('suppression-expired');
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).toMatch(/\.( |$|\n)/);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
  });

  test('has one result per finding with the file and line code scanning annotates', () => {
    expect(run.results).toHaveLength(2);
    const [loud, quiet] = run.results;
    expect(loud).toMatchObject({
      ruleId: 'pss-privileged',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'deploy/pods.yaml' }, region: { startLine: 10 } } }],
    });
    expect(loud.message.text).toMatch(/^container "app" sets privileged: true \(Pod shop\/loud, at spec\.containers\[0\]\.securityContext\.privileged\)\. Remove/);
    expect(run.tool.driver.rules[loud.ruleIndex].id).toBe('pss-privileged');
    expect(loud.partialFingerprints).toBeDefined();
    expect(loud.suppressions).toBeUndefined();
    expect(quiet.suppressions).toEqual([{ kind: 'inSource', justification: 'the node agent needs the host devices' }]);
    expect(run.artifacts).toEqual([expect.objectContaining({ location: { uri: 'deploy/pods.yaml' } })]);
  });
});

test('SARIF artifact URIs are relative to the working directory, with file: URIs outside it', () => {
  expect(artifactUri('./deploy/a b.yaml', '/repo')).toBe('deploy/a%20b.yaml');
  expect(artifactUri('/repo/deploy/x.yaml', '/repo')).toBe('deploy/x.yaml');
  expect(artifactUri('/elsewhere/x.yaml', '/repo')).toBe('file:///elsewhere/x.yaml');
  expect(artifactUri('../up.yaml', '/repo')).toBe('file:///up.yaml');
});
