/**
 * Suppression annotations: the twins honour exactly the suppressions the checker honours (reason
 * of at least 10 characters once trimmed, an optional valid YYYY-MM-DD expiry not yet passed, on
 * the object or a controller's pod template) and nothing else.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CHECKER_FIXTURES, checkerFails, fixtureObjects, NOW, policiesOf, shaped, SHAPES, twinDecision } from './agreement';
import { asController } from './api-defaulting';
import { ManifestIndex } from '../../src/checker/context';
import { podSpecOf } from '../../src/checker/pod-spec';
import { ruleById } from '../../src/checker/rules';
import type { KubeObject } from '../../src/checker/types';
import { SUPPRESSION_ANNOTATION_PREFIX as REASON, SUPPRESSION_EXPIRY_ANNOTATION_PREFIX as EXPIRY } from '../../src/model/exceptions';

const today = NOW.toISOString().slice(0, 10);
const VARIANTS: { name: string; annotations: (ruleId: string) => Record<string, string>; onTemplate?: boolean; suppresses: boolean }[] = [
  { name: 'valid reason', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0' }), suppresses: true },
  { name: 'reason of exactly 10 characters', annotations: (id) => ({ [REASON + id]: '0123456789' }), suppresses: true },
  { name: 'reason too short', annotations: (id) => ({ [REASON + id]: 'because' }), suppresses: false },
  { name: 'reason padded with spaces', annotations: (id) => ({ [REASON + id]: '      ok       ' }), suppresses: false },
  { name: 'expiry in the future', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0', [EXPIRY + id]: '2026-12-31' }), suppresses: true },
  { name: 'expiry today', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0', [EXPIRY + id]: today }), suppresses: true },
  { name: 'expired', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0', [EXPIRY + id]: '2026-06-14' }), suppresses: false },
  { name: 'impossible date', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0', [EXPIRY + id]: '2026-02-30' }), suppresses: false },
  { name: 'leap day of a leap year', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0', [EXPIRY + id]: '2028-02-29' }), suppresses: true },
  { name: 'leap day of a common year', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0', [EXPIRY + id]: '2027-02-29' }), suppresses: false },
  { name: 'expiry not a date', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0', [EXPIRY + id]: 'next week' }), suppresses: false },
  { name: 'expiry without reason', annotations: (id) => ({ [EXPIRY + id]: '2026-12-31' }), suppresses: false },
  { name: 'another rule', annotations: () => ({ [`${REASON}pss-sysctls-other`]: 'vendor image needs it until 2.0' }), suppresses: false },
  { name: 'on the pod template', annotations: (id) => ({ [REASON + id]: 'vendor image needs it until 2.0' }), onTemplate: true, suppresses: true },
];

function annotate(object: KubeObject, annotations: Record<string, string>, onTemplate: boolean): KubeObject {
  const copy = JSON.parse(JSON.stringify(object)) as KubeObject;
  const pod = podSpecOf(copy);
  const holder = onTemplate && pod && copy.kind !== 'Pod' ? pod.metadata : (copy.metadata as Record<string, unknown>);
  if (onTemplate && pod && copy.kind !== 'Pod' && !(copy.spec as Record<string, unknown>)) return copy;
  holder.annotations = { ...(holder.annotations as Record<string, string> | undefined), ...annotations };
  if (onTemplate && pod && copy.kind !== 'Pod') {
    // podSpecOf returns a view of the template's metadata only when it exists
    const template = copy.kind === 'CronJob' ? ((copy.spec as any).jobTemplate.spec.template) : (copy.spec as any).template;
    template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, ...annotations } };
  }
  return copy;
}

const policies = policiesOf('hardened');
const cases = [...policies.keys()].flatMap((ruleId) => {
  const directory = path.join(CHECKER_FIXTURES, ruleId);
  const files = fs.existsSync(directory) ? fs.readdirSync(directory).filter((name) => name.startsWith('fail.')).sort() : [];
  // the first fixture object both sides reject (a partial twin does not reject every one)
  const rule = ruleById(ruleId)!;
  const fire = files.flatMap((file) => fixtureObjects(path.join(directory, file))).filter((object) => {
    const raw = shaped(object, 'raw');
    return checkerFails(rule, raw, new ManifestIndex([raw])) && twinDecision(rule, policies.get(ruleId)!, raw)?.admitted === false;
  });
  return fire.slice(0, 1).map((object) => [ruleId, object] as const);
});

test('the cases cover every rule with a twin', () => {
  expect(cases.length).toBe(policies.size);
});

describe.each(cases)('%s', (ruleId, fixture) => {
  const rule = ruleById(ruleId)!;
  const policy = policies.get(ruleId)!;
  const objects = fixture.kind === 'Pod' ? [fixture, asController(fixture, 'Deployment'), asController(fixture, 'CronJob')] : [fixture];

  test.each(VARIANTS.map((variant) => [variant.name, variant] as const))('%s: twin and checker agree', (_name, variant) => {
    for (const object of objects) {
      if (variant.onTemplate && object.kind === 'Pod') continue;
      for (const shape of SHAPES) {
        const annotated = shaped(annotate(object, variant.annotations(ruleId), variant.onTemplate ?? false), shape);
        const context = new ManifestIndex([annotated]);
        const checker = checkerFails(rule, annotated, context);
        const decision = twinDecision(rule, policy, annotated)!;
        // the unannotated fixture fails; a suppression that holds makes both sides let it through
        expect({ kind: object.kind, shape, checker, twinDenies: !decision.admitted })
          .toEqual({ kind: object.kind, shape, checker: !variant.suppresses, twinDenies: !variant.suppresses });
      }
    }
  });
});
