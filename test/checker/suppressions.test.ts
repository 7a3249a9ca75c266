import { clone, entries, privilegedPod } from './manifests';
import { checkManifests } from '../../src/checker/engine';
import { readSuppressions } from '../../src/checker/suppressions';
import type { KubeObject } from '../../src/checker/types';
import { exceptionAnnotations, isUsableReason, visibleLength, VISIBLE_REASON_PATTERN } from '../../src/model/exceptions';

const NOW = new Date('2026-03-15T12:00:00Z');
const REASON = 'the node agent needs the host devices';

function annotated(annotations: Record<string, unknown>, object: KubeObject = privilegedPod()): KubeObject {
  const copy = clone(object);
  (copy.metadata as Record<string, unknown>).annotations = annotations;
  return copy;
}

function check(object: KubeObject, pack: 'pss-baseline' | 'hardened' = 'pss-baseline') {
  return checkManifests(entries([object]), { pack, now: NOW });
}

test('a suppression with a reason keeps the finding in the report, marked, with its reason', () => {
  const report = check(annotated({ 'ignore-check.cdk8s-hardened.io/pss-privileged': `  ${REASON}  ` }));
  expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'pss-privileged', suppressed: true, reason: REASON })]);
  expect(report.summary).toMatchObject({ findings: 1, suppressed: 1, bySeverity: { error: 0, warning: 0, info: 0 } });
});

test('the annotations written by the constructs\' typed exceptions suppress exactly their rules', () => {
  const annotations = exceptionAnnotations('props.privileged', { reason: REASON, expires: '2026-12-31' }, ['pss-privileged']);
  const report = check(annotated(annotations));
  expect(report.findings.map((finding) => [finding.ruleId, finding.suppressed])).toEqual([['pss-privileged', true]]);
});

test('annotations on a controller\'s pod template count as the object\'s own', () => {
  const pod = privilegedPod();
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { template: { metadata: { annotations: { 'ignore-check.cdk8s-hardened.io/pss-privileged': REASON } }, spec: pod.spec } },
  };
  expect(check(deployment).findings.map((finding) => finding.suppressed)).toEqual([true]);
});

test.each([
  ['too short', 'short', /has reason "short": give at least 10 visible characters/],
  ['blank once trimmed', '          x  ', /give at least 10 visible characters/],
  ['not a string', 12345678901, /has reason 12345678901/],
  ['ten zero-width spaces', '\u200b'.repeat(10), /give at least 10 visible characters/],
  ['zero-width and format characters around a short word', '\u200b\u2060\ufeff\u200d\u00adok\u200c\u2061\u2062\u2063\u2064', /give at least 10 visible characters/],
  ['spaces and symbols only', '  ~~~ +++ === ^^^  ', /give at least 10 visible characters/],
])('a reason that is %s does not suppress and is itself reported', (_name, reason, message) => {
  const report = check(annotated({ 'ignore-check.cdk8s-hardened.io/pss-privileged': reason }));
  expect(report.findings).toEqual([
    expect.objectContaining({ ruleId: 'pss-privileged', suppressed: false }),
    expect.objectContaining({
      ruleId: 'suppression-invalid',
      severity: 'error',
      suppressed: false,
      message: expect.stringMatching(message),
      path: 'metadata.annotations["ignore-check.cdk8s-hardened.io/pss-privileged"]',
    }),
  ]);
});

test('an expired suppression is an error and no longer suppresses', () => {
  const report = check(annotated({
    'ignore-check.cdk8s-hardened.io/pss-privileged': REASON,
    'ignore-check-expires.cdk8s-hardened.io/pss-privileged': '2026-03-14',
  }));
  expect(report.findings).toEqual([
    expect.objectContaining({ ruleId: 'pss-privileged', suppressed: false }),
    expect.objectContaining({
      ruleId: 'suppression-expired',
      severity: 'error',
      suppressed: false,
      message: `suppression of pss-privileged expired on 2026-03-14 (reason: ${REASON})`,
      path: 'metadata.annotations["ignore-check-expires.cdk8s-hardened.io/pss-privileged"]',
    }),
  ]);
});

test('a suppression holds through its expiry day (UTC)', () => {
  const report = check(annotated({
    'ignore-check.cdk8s-hardened.io/pss-privileged': REASON,
    'ignore-check-expires.cdk8s-hardened.io/pss-privileged': '2026-03-15',
  }));
  expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'pss-privileged', suppressed: true, reason: REASON })]);
});

test.each([
  ['a malformed expiry', { 'ignore-check.cdk8s-hardened.io/pss-privileged': REASON, 'ignore-check-expires.cdk8s-hardened.io/pss-privileged': '15/03/2027' }, /expires "15\/03\/2027": write the date as YYYY-MM-DD/],
  ['an impossible date', { 'ignore-check.cdk8s-hardened.io/pss-privileged': REASON, 'ignore-check-expires.cdk8s-hardened.io/pss-privileged': '2027-02-30' }, /write the date as YYYY-MM-DD/],
  ['an expiry without a reason', { 'ignore-check-expires.cdk8s-hardened.io/pss-privileged': '2027-01-01' }, /has no ignore-check.cdk8s-hardened.io\/pss-privileged reason beside it/],
])('%s is reported and does not suppress', (_name, annotations, message) => {
  const report = check(annotated(annotations));
  expect(report.findings.map((finding) => [finding.ruleId, finding.suppressed])).toEqual([['pss-privileged', false], ['suppression-invalid', false]]);
  expect(report.findings[1].message).toMatch(message);
});

test('a suppression naming an unknown rule or a meta id is reported', () => {
  const report = check(annotated({
    'ignore-check.cdk8s-hardened.io/pss-privileged-typo': REASON,
    'ignore-check.cdk8s-hardened.io/rule-error': REASON,
  }));
  expect(report.findings.filter((finding) => finding.ruleId === 'suppression-invalid').map((finding) => finding.message)).toEqual([
    'suppression names "pss-privileged-typo", which is not a rule that can be suppressed',
    'suppression names "rule-error", which is not a rule that can be suppressed',
  ]);
});

test('problems with suppressions of rules outside the pack are not reported', () => {
  const object = annotated({
    'ignore-check.cdk8s-hardened.io/container-probes': 'short',
    'ignore-check.cdk8s-hardened.io/image-tag-latest': REASON,
    'ignore-check-expires.cdk8s-hardened.io/image-tag-latest': '2020-01-01',
  });
  expect(check(object, 'pss-baseline').findings.map((finding) => finding.ruleId)).toEqual(['pss-privileged']);
  const hardened = check(object, 'hardened').findings.map((finding) => finding.ruleId);
  expect(hardened).toContain('suppression-invalid');
  expect(hardened).toContain('suppression-expired');
});

test('a suppression does not hide other rules\' findings', () => {
  const report = check(annotated({ 'ignore-check.cdk8s-hardened.io/pss-host-ports': REASON }));
  // the host-ports suppression itself is reported as unused (info): there are no host ports
  expect(report.findings.map((finding) => [finding.ruleId, finding.suppressed])).toEqual([['pss-privileged', false], ['suppression-unused', false]]);
});

test('readSuppressions ignores objects without annotations and wrong-typed annotations', () => {
  const known = () => true;
  expect(readSuppressions({ kind: 'Pod' }, NOW, known).problems).toEqual([]);
  expect(readSuppressions({ kind: 'Pod', metadata: { annotations: 'x' } }, NOW, known).active.size).toBe(0);
  expect(readSuppressions({ kind: 'Pod', metadata: { annotations: { other: 'x' } } }, NOW, known).active.size).toBe(0);
});

test('a suppression of a rule that ran and found nothing is reported as info, and one of a rule outside the pack is not', () => {
  const pod = privilegedPod();
  const report = check(annotated({
    'ignore-check.cdk8s-hardened.io/pss-privileged': REASON,
    'ignore-check.cdk8s-hardened.io/pss-host-namespaces': REASON,
    'ignore-check.cdk8s-hardened.io/pss-run-as-user': REASON,
  }, pod));
  const unused = report.findings.filter((finding) => finding.ruleId === 'suppression-unused');
  expect(unused).toEqual([expect.objectContaining({
    severity: 'info',
    suppressed: false,
    path: 'metadata.annotations["ignore-check.cdk8s-hardened.io/pss-host-namespaces"]',
    message: `suppression of pss-host-namespaces matches no finding (reason: ${REASON})`,
  })]);
  expect(report.summary.bySeverity).toEqual({ error: 0, warning: 0, info: 1 });
});

test.each([
  ['ASCII', 'the node agent needs the host devices'],
  ['non-Latin letters', '节点代理需要访问主机设备'],
  ['digits and punctuation', 'CVE-2024-1234: n/a'],
])('a reason with 10 visible characters (%s) suppresses', (_name, reason) => {
  expect(check(annotated({ 'ignore-check.cdk8s-hardened.io/pss-privileged': reason })).findings.map((finding) => [finding.ruleId, finding.suppressed]))
    .toEqual([['pss-privileged', true]]);
});

test('constructs apply the same count to exception reasons', () => {
  expect(() => exceptionAnnotations('props.privileged', { reason: '\u200b'.repeat(12) }, ['pss-privileged']))
    .toThrow(/props\.privileged\.reason is "\\u200b.*": an exception needs a reason of at least 10 characters .*zero-width and format characters do not count/);
  expect(() => exceptionAnnotations('props.privileged', { reason: 'ok\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b' }, ['pss-privileged'])).toThrow(/at least 10 characters/);
  expect(visibleLength('a\u200bb c-d')).toBe(5);
});

test('the pattern admission twins match reasons with agrees with the checker on every sample', () => {
  const pattern = new RegExp(VISIBLE_REASON_PATTERN, 'u');
  const samples = ['the node agent needs the host devices', '\u200b'.repeat(12), 'short', '  ~~~ +++ === ^^^  ', '节点代理需要访问主机设备', 'CVE-2024-1234: n/a',
    'a\u200bb\u200bc\u200bd\u200be\u200bf\u200bg\u200bh\u200bi\u200bj', 'ok\u2060\u2060\u2060\u2060\u2060\u2060\u2060\u2060\u2060', '1234567890', '123456789'];
  for (const sample of samples) expect([sample, pattern.test(sample)]).toEqual([sample, isUsableReason(sample)]);
});
