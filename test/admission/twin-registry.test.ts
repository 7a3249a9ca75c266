import { admissionTwinOf } from '../../src/admission/twins';
import { ALL_RULES } from '../../src/checker/rules';
import { MIN_REASON_LENGTH } from '../../src/model/exceptions';
import { RuleIds } from '../../src/model/rule-ids';
import { fixtureConfig } from '../checker/fixture-files';

/**
 * Every rule of the registry declares its admission twin: CEL in `src/admission/twins/`, or an
 * explicit `{ twin: 'none', reason }`. A rule added without one fails here with what to add.
 */
describe.each(ALL_RULES.map((rule) => [rule.id, rule] as const))('%s', (ruleId, rule) => {
  test('declares an admission twin or says why it has none', () => {
    const twin = admissionTwinOf(ruleId);
    if (!twin) {
      throw new Error(`rule ${ruleId} declares no admission twin. Add an entry keyed RuleIds.${Object.entries(RuleIds).find(([, id]) => id === ruleId)?.[0]}`
        + ' to HARDENED_TWINS in src/admission/twins/hardened-twins.ts (or PSS_TWINS for a PSS rule): either'
        + ` { twin: 'cel', target: '<${['pod-spec', 'role', 'binding', 'service', 'namespace', 'network-policy', 'ingress', 'storage'].join('|')}>', validations: [{ expression: '<CEL that is true when the object complies>' }] }`
        + ' when one object decides the rule, or { twin: \'none\', reason: \'<why: e.g. cross-object, needs the ServiceAccount>\' }; then run `npm run docgen:rules`');
    }
    if (twin.twin === 'none') {
      expect(twin.reason.trim().length).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
    } else if (twin.twin === 'settings') {
      // generated from settings: none without them, CEL with them (the fixtures' config.yaml)
      expect(twin.fromSettings({})).toBeUndefined();
      expect(twin.needs.trim().length).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
      const generated = twin.fromSettings(fixtureConfig(ruleId));
      expect(generated?.validations.length).toBeGreaterThan(0);
      expect(generated?.target).toBe(twin.target);
    } else {
      expect(twin.validations.length).toBeGreaterThan(0);
      if (twin.partial !== undefined) expect(twin.partial.trim().length).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
      expect(rule.kinds.length).toBeGreaterThan(0);
    }
  });
});

test('every PSS rule has a full twin', () => {
  for (const rule of ALL_RULES.filter((candidate) => candidate.references.pss)) {
    const twin = admissionTwinOf(rule.id);
    expect({ id: rule.id, twin: twin?.twin, partial: twin?.twin === 'cel' ? twin.partial : undefined }).toEqual({ id: rule.id, twin: 'cel', partial: undefined });
  }
});
