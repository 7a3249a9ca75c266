import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { privilegedPod } from './manifests';
import { checkManifests } from '../../src/checker/engine';
import { renderJson, renderJsonChunks, toJsonReport } from '../../src/checker/report/json';
import { artifactLocation, artifactUri, renderSarif } from '../../src/checker/report/sarif';
import { escapeControl, renderText } from '../../src/checker/report/text';
import type { ManifestEntry } from '../../src/checker/types';

const NOW = new Date('2026-03-15T00:00:00Z');
const suppressed = privilegedPod('quiet');
(suppressed.metadata as Record<string, unknown>).annotations = { 'ignore-check.cdk8s-hardened.io/pss-privileged': 'the node agent needs the host devices' };
const ENTRIES: ManifestEntry[] = [
  { object: privilegedPod('loud'), source: { file: 'deploy/pods.yaml', documentIndex: 0 } },
  { object: suppressed, source: { file: 'deploy/pods.yaml', documentIndex: 1 } },
  { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, source: { file: 'deploy/pods.yaml', documentIndex: 2 } },
];
const report = checkManifests(ENTRIES, { pack: 'pss-baseline', now: NOW, locate: (source, field) => (field ? 10 + (source.documentIndex ?? 0) : 1) });

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

describe('JSON report text', () => {
  const finding = report.findings[0];
  const variants = [
    report,
    checkManifests([], { pack: 'pss-baseline' }),
    checkManifests([{ object: privilegedPod('x', null), source: {} }], { pack: 'pss-baseline' }),
    {
      ...report,
      findings: [
        { ...finding, message: 'quotes " backslash \\ newline \n tab \t unicode \u2028 é \u0000', path: 'metadata.annotations["a.b/c"]', line: undefined },
        { ...finding, pss: undefined, namespace: undefined, file: undefined, suppressed: true, reason: 'a reason with "quotes"' },
      ],
      summary: { ...report.summary, skippedFiles: [{ file: 'construct-metadata.json', reason: 'cdk8s construct metadata, not a manifest' }] },
    },
  ];

  test.each(variants.map((variant, index) => [index, variant]))('variant %i is byte for byte JSON.stringify of toJsonReport, two-space indented', (_index, variant) => {
    expect(renderJson(variant)).toBe(`${JSON.stringify(toJsonReport(variant), null, 2)}\n`);
  });

  test.each([1, 2, 3, 1000])('written in chunks of %i findings, the pieces join to the same text', (size) => {
    const many = { ...variants[3], findings: [...variants[3].findings, ...report.findings, ...variants[3].findings] };
    const chunks = [...renderJsonChunks(many, size)];
    expect(chunks.join('')).toBe(`${JSON.stringify(toJsonReport(many), null, 2)}\n`);
    // one piece per chunk of findings, then the summary.
    expect(chunks).toHaveLength(Math.ceil(many.findings.length / size) + 1);
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
    expect(run.artifacts).toEqual([expect.objectContaining({ location: { uri: 'deploy/pods.yaml', uriBaseId: '%SRCROOT%' } })]);
  });

  test('places paths under %SRCROOT%, the source root, for code scanning', () => {
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href}/` } });
    expect(run.results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'deploy/pods.yaml', uriBaseId: '%SRCROOT%', index: 0 });
  });

  test('every rule, meta rules included, has a helpUri and a short description', () => {
    const rules = run.tool.driver.rules as { id: string; helpUri?: string; shortDescription: { text: string } }[];
    expect(rules.map((rule) => rule.id)).toEqual(expect.arrayContaining(['rule-error', 'suppression-invalid', 'suppression-expired', 'suppression-unused', 'pod-spec-unchecked']));
    for (const rule of rules) {
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.shortDescription.text.length).toBeGreaterThan(3);
    }
    const docsLinked = rules.filter((rule) => rule.helpUri!.includes('/docs/RULES.md#'));
    // every docs anchor exists in the generated RULES.md.
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'RULES.md'), 'utf8');
    for (const rule of docsLinked) expect(doc).toContain(`<a id="${rule.helpUri!.split('#')[1]}"></a>`);
    expect(docsLinked.map((rule) => rule.id)).toContain('pod-spec-unchecked');
  });

  test('fingerprints tell apart the same object in two files (two overlays stay two alerts)', () => {
    const twice = checkManifests([
      { object: privilegedPod('same'), source: { file: 'overlays/dev/pod.yaml', documentIndex: 0 } },
      { object: privilegedPod('same'), source: { file: 'overlays/prod/pod.yaml', documentIndex: 0 } },
    ], { pack: 'pss-baseline', now: NOW });
    const results = JSON.parse(renderSarif(twice, { name: 't', version: '1' })).runs[0].results as { partialFingerprints: Record<string, string> }[];
    const fingerprints = results.map((result) => Object.values(result.partialFingerprints)[0]);
    expect(fingerprints).toHaveLength(2);
    expect(new Set(fingerprints).size).toBe(2);
    // and stay the same from run to run.
    const again = JSON.parse(renderSarif(twice, { name: 't', version: '1' })).runs[0].results as { partialFingerprints: Record<string, string> }[];
    expect(again.map((result) => Object.values(result.partialFingerprints)[0])).toEqual(fingerprints);
  });

  test('standard input is the artifact `stdin`', () => {
    const piped = checkManifests([{ object: privilegedPod('p'), source: { file: '<stdin>', documentIndex: 0 } }], { pack: 'pss-baseline', now: NOW });
    const result = JSON.parse(renderSarif(piped, { name: 't', version: '1' }, { stdinName: '<stdin>' })).runs[0].results[0];
    expect(result.locations[0].physicalLocation.artifactLocation).toMatchObject({ uri: 'stdin', uriBaseId: '%SRCROOT%' });
  });
});

test('SARIF artifact locations are relative to the source root, which may be above the working directory', () => {
  expect(artifactLocation('deploy/a.yaml', { cwd: '/repo/apps/web', root: '/repo' })).toEqual({ uri: 'apps/web/deploy/a.yaml', uriBaseId: '%SRCROOT%' });
  expect(artifactLocation('/elsewhere/a.yaml', { cwd: '/repo', root: '/repo' })).toEqual({ uri: 'file:///elsewhere/a.yaml' });
});

test('SARIF artifact URIs are relative to the working directory, with file: URIs outside it', () => {
  expect(artifactUri('./deploy/a b.yaml', '/repo')).toBe('deploy/a%20b.yaml');
  expect(artifactUri('/repo/deploy/x.yaml', '/repo')).toBe('deploy/x.yaml');
  expect(artifactUri('/elsewhere/x.yaml', '/repo')).toBe('file:///elsewhere/x.yaml');
  expect(artifactUri('../up.yaml', '/repo')).toBe('file:///up.yaml');
});

describe('text report escaping', () => {
  test('control characters in file names, names and reasons are escaped, never printed raw', () => {
    const pod = privilegedPod('evil');
    (pod.metadata as Record<string, unknown>).annotations = { 'ignore-check.cdk8s-hardened.io/pss-privileged': 'fine\n  /fake.yaml:1: info nothing: all clear\u001b[2J' };
    const text = renderText(checkManifests([{ object: pod, source: { file: 'a\nb\u001b[31m.yaml', documentIndex: 0 } }], { pack: 'pss-baseline', now: NOW }));
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain('a\\nb\\x1b[31m.yaml');
    expect(text).toContain('(suppressed: fine\\n  /fake.yaml:1: info nothing: all clear\\x1b[2J)');
    // one header line, one finding line, its path, and the summary: nothing the input injected.
    expect(text.trimEnd().split('\n')).toHaveLength(5);
  });

  test('escapeControl keeps printable text and escapes C0, C1, DEL and bidi controls', () => {
    expect(escapeControl('ok — naïve 日本')).toBe('ok — naïve 日本');
    expect(escapeControl('a\tb\rc\u0085d\u007fe\u202ef\u2028')).toBe('a\\tb\\rc\\x85d\\x7fe\\u202ef\\u2028');
  });
});
