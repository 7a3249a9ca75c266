/**
 * Twin-versus-checker agreement, shared by the jest suites and `npm run conformance`: each object
 * goes through the rule and through its generated policy, raw and API-defaulted, and the verdicts
 * must be equal (a partial twin may only allow more). Disagreements are returned, never tolerated:
 * the callers fail on any.
 */
import * as fs from 'fs';
import * as path from 'path';
import { defaultedShape, rawShape } from './api-defaulting';
import { decide, PolicyDecision } from './vap-evaluator';
import { generateAdmissionPolicies, RULE_ID_ANNOTATION } from '../../src/admission/admission-policies';
import { resolveTwin } from '../../src/admission/twin';
import { TARGET_KINDS } from '../../src/admission/twin-targets';
import { admissionTwinOf } from '../../src/admission/twins';
import { ManifestIndex } from '../../src/checker/context';
import { expandLists } from '../../src/checker/engine';
import { decodeText, parseManifests } from '../../src/checker/input';
import type { PackName } from '../../src/checker/packs';
import { ruleById } from '../../src/checker/rules';
import { readSuppressions } from '../../src/checker/suppressions';
import type { CheckContext, KubeObject, Rule } from '../../src/checker/types';
import type { ImagePolicySettings } from '../../src/model/image-policy';
import { fixtureConfig, fixtureFiles } from '../checker/fixture-files';

/** a fixed clock, so suppression expiry is decided the same way by both sides and every run. */
export const NOW = new Date('2026-06-15T12:00:00Z');

export type Shape = 'raw' | 'defaulted';
export const SHAPES: readonly Shape[] = ['raw', 'defaulted'];

/** the object in one shape. */
export function shaped(object: KubeObject, shape: Shape): KubeObject {
  return shape === 'raw' ? rawShape(object, NOW) : defaultedShape(object, NOW);
}

/** every policy of a pack keyed by rule id, with all severities, suppressions honoured. */
export function policiesOf(pack: PackName, imagePolicy?: ImagePolicySettings): Map<string, KubeObject> {
  const { policies } = generateAdmissionPolicies({ pack, validationActions: ['Deny'], minSeverity: 'info', imagePolicy });
  const ruleIdOf = (policy: KubeObject) => String((policy.metadata as { annotations: Record<string, string> }).annotations[RULE_ID_ANNOTATION]);
  return new Map(policies.map((policy) => [ruleIdOf(policy), policy]));
}

/** the checker's verdict on one rule for one object: true when it reports an unsuppressed finding. */
export function checkerFails(rule: Rule, object: KubeObject, context: CheckContext): boolean {
  if (!rule.kinds.includes(String(object.kind))) return false;
  if (rule.check(object, context).length === 0) return false;
  return !readSuppressions(object, NOW, (id) => ruleById(id) !== undefined).active.has(rule.id);
}

/** the twin's decision for one object, or undefined when its policy does not match the object's kind. */
export function twinDecision(rule: Rule, policy: KubeObject, object: KubeObject, imagePolicy?: ImagePolicySettings): PolicyDecision | undefined {
  const declared = admissionTwinOf(rule.id);
  const twin = declared ? resolveTwin(declared, { imagePolicy }) : undefined;
  if (!twin || twin.twin !== 'cel' || !TARGET_KINDS[twin.target].includes(String(object.kind))) return undefined;
  return decide(policy, object);
}

/** one disagreement, with what is needed to reproduce it. */
export interface Disagreement {
  readonly ruleId: string;
  readonly label: string;
  readonly checker: 'fail' | 'pass';
  readonly twin: 'deny' | 'admit';
  readonly reasons: readonly string[];
}

/** compares one rule on one object; undefined when they agree. */
export function compare(rule: Rule, policy: KubeObject, object: KubeObject, context: CheckContext, label: string): Disagreement | undefined {
  const checker = checkerFails(rule, object, context);
  const decision = twinDecision(rule, policy, object, context.imagePolicy);
  const denied = decision ? !decision.admitted : false;
  const declared = admissionTwinOf(rule.id);
  const twin = declared ? resolveTwin(declared, { imagePolicy: context.imagePolicy }) : undefined;
  const partial = twin?.twin === 'cel' && twin.partial !== undefined;
  const agrees = partial ? (!denied || checker) : denied === checker;
  if (agrees) return undefined;
  return { ruleId: rule.id, label, checker: checker ? 'fail' : 'pass', twin: denied ? 'deny' : 'admit', reasons: decision?.reasons ?? [] };
}

/** the checker's fixture folder. */
export const CHECKER_FIXTURES = path.join(__dirname, '..', 'checker', 'fixtures');

/** the objects of one fixture file, parsed exactly as the checker parses its input. */
export function fixtureObjects(file: string): KubeObject[] {
  return expandLists(parseManifests(decodeText(fs.readFileSync(file), file), file)).map((entry) => entry.object);
}

/** counts of one agreement run. */
export interface AgreementReport {
  readonly comparisons: number;
  readonly disagreements: readonly Disagreement[];
}

/**
 * Every checker fixture of every rule with a CEL twin, through rule and twin, raw and defaulted
 * (Pods also as the template of a Deployment and a CronJob).
 */
export function runCheckerFixtureAgreement(wrap: (pod: KubeObject, kind: 'Deployment' | 'CronJob') => KubeObject): AgreementReport {
  const disagreements: Disagreement[] = [];
  let comparisons = 0;
  const all = policiesOf('hardened');
  const rules = [...all.keys()];
  // rules whose twin is generated from settings get a policy only with their fixtures' config.
  for (const ruleId of fs.readdirSync(CHECKER_FIXTURES).sort()) {
    const { imagePolicy } = fixtureConfig(ruleId);
    if (imagePolicy && !rules.includes(ruleId)) rules.push(ruleId);
  }
  for (const ruleId of rules) {
    const rule = ruleById(ruleId)!;
    const directory = path.join(CHECKER_FIXTURES, ruleId);
    if (!fs.existsSync(directory)) continue;
    const { imagePolicy } = fixtureConfig(ruleId);
    const policy = (imagePolicy ? policiesOf('hardened', imagePolicy) : all).get(ruleId)!;
    for (const file of fixtureFiles(ruleId)) {
      const objects = fixtureObjects(path.join(directory, file));
      for (const shape of SHAPES) {
        const variants = objects.flatMap((object) => object.kind === 'Pod'
          ? [{ object, as: 'Pod' }, { object: wrap(object, 'Deployment'), as: 'Deployment' }, { object: wrap(object, 'CronJob'), as: 'CronJob' }]
          : [{ object, as: String(object.kind) }]);
        const inShape = variants.map((variant) => ({ ...variant, object: shaped(variant.object, shape) }));
        const context = new ManifestIndex(inShape.map((variant) => variant.object), imagePolicy);
        for (const variant of inShape) {
          comparisons++;
          const name = String((variant.object.metadata as { name?: unknown } | undefined)?.name);
          const found = compare(rule, policy, variant.object, context, `${ruleId}/${file} ${name} as ${variant.as} (${shape})`);
          if (found) disagreements.push(found);
        }
      }
    }
  }
  return { comparisons, disagreements };
}

interface PsaExpectation {
  readonly level: 'baseline' | 'restricted';
  readonly file: string;
  readonly result: 'pass' | 'fail';
}

/** one PSA fixture in one shape whose twin verdict differs from PSA's, or whose evaluation errored. */
export interface PsaMiss {
  readonly label: string;
  readonly expected: 'pass' | 'fail';
  readonly twin: 'pass' | 'fail';
  readonly errors: readonly string[];
}

/** the PSA run's counts: verdicts against PSA, and rule-by-rule agreement with the checker. */
export interface PsaAgreementReport {
  /** fixture × shape × raw/defaulted cases evaluated. */
  readonly cases: number;
  readonly fixtures: number;
  readonly misses: readonly PsaMiss[];
  readonly ruleComparisons: number;
  readonly disagreements: readonly Disagreement[];
}

export const PSA_SHAPES = ['Pod', 'Deployment', 'CronJob'] as const;

/**
 * The official PSA v1.28 fixtures through the `pss-baseline` or `pss-restricted` policies, each
 * as a Pod, a Deployment and a CronJob, raw and API-defaulted: the pack's verdict (any policy
 * denies) must be PSA's, no expression may error on these well-formed pods, and every rule must
 * agree with its twin. `only` keeps a subset of fixture files (for the quick run in `npm test`).
 */
export function runPsaAgreement(root: string, wrap: (pod: KubeObject, kind: 'Deployment' | 'CronJob') => KubeObject, only?: (file: string) => boolean): PsaAgreementReport {
  const expectations = (JSON.parse(fs.readFileSync(path.join(root, 'expected.json'), 'utf8')) as PsaExpectation[])
    .filter((expectation) => !only || only(expectation.file));
  const packs = { baseline: policiesOf('pss-baseline'), restricted: policiesOf('pss-restricted') };
  const misses: PsaMiss[] = [];
  const disagreements: Disagreement[] = [];
  let cases = 0;
  let ruleComparisons = 0;
  for (const expectation of expectations) {
    const policies = packs[expectation.level];
    for (const pod of fixtureObjects(path.join(root, expectation.file))) {
      for (const kind of PSA_SHAPES) {
        const object = kind === 'Pod' ? pod : wrap(pod, kind);
        for (const shape of SHAPES) {
          cases++;
          const inShape = shaped(object, shape);
          const context = new ManifestIndex([inShape]);
          const label = `${expectation.level} ${expectation.file} as ${kind} (${shape})`;
          let denied = false;
          const errors: string[] = [];
          for (const [ruleId, policy] of policies) {
            const rule = ruleById(ruleId)!;
            const decision = twinDecision(rule, policy, inShape);
            if (decision && !decision.admitted) denied = true;
            errors.push(...(decision?.errors ?? []).map((error) => `${ruleId}: ${error}`));
            ruleComparisons++;
            const found = compare(rule, policy, inShape, context, label);
            if (found) disagreements.push(found);
          }
          const twin = denied ? 'fail' : 'pass';
          if (twin !== expectation.result || errors.length > 0) misses.push({ label, expected: expectation.result, twin, errors });
        }
      }
    }
  }
  return { cases, fixtures: expectations.length, misses, ruleComparisons, disagreements };
}

/** the ValidatingAdmissionPolicies committed in `dist/`, keyed by rule id. */
export function distPolicies(dist = path.join(__dirname, '..', '..', 'dist')): Map<string, KubeObject> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('js-yaml') as typeof import('js-yaml');
  const objects = fs.readdirSync(dist).sort().flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(dist, file), 'utf8')) as KubeObject[]);
  const policies = objects.filter((object) => object?.kind === 'ValidatingAdmissionPolicy');
  const ruleIdOf = (policy: KubeObject) => String((policy.metadata as { annotations: Record<string, string> }).annotations[RULE_ID_ANNOTATION]);
  return new Map(policies.map((policy) => [ruleIdOf(policy), policy]));
}

/**
 * The restricted-level PSA fixtures through the PSS policies committed in `dist/`: each shape's
 * verdict must be PSA's. Returns the labels that miss.
 */
export function runDistPsaAgreement(
  root: string, wrap: (pod: KubeObject, kind: 'Deployment' | 'CronJob') => KubeObject, only?: (file: string) => boolean,
): { cases: number; misses: string[] } {
  const policies = [...distPolicies()].filter(([ruleId]) => ruleById(ruleId)?.references.pss?.level !== undefined);
  const expectations = (JSON.parse(fs.readFileSync(path.join(root, 'expected.json'), 'utf8')) as PsaExpectation[])
    .filter((expectation) => expectation.level === 'restricted' && (!only || only(expectation.file)));
  const misses: string[] = [];
  let cases = 0;
  for (const expectation of expectations) {
    for (const pod of fixtureObjects(path.join(root, expectation.file))) {
      for (const kind of PSA_SHAPES) {
        for (const shape of SHAPES) {
          cases++;
          const object = shaped(kind === 'Pod' ? pod : wrap(pod, kind), shape);
          const denied = policies.some(([, policy]) => !decide(policy, object).admitted);
          if ((denied ? 'fail' : 'pass') !== expectation.result) misses.push(`${expectation.file} as ${kind} (${shape})`);
        }
      }
    }
  }
  return { cases, misses };
}
