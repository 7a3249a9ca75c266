import { MIN_REASON_LENGTH, SUPPRESSION_ANNOTATION_PREFIX, SUPPRESSION_EXPIRY_ANNOTATION_PREFIX } from '../model/exceptions';
import { RuleId, RuleIds } from '../model/rule-ids';

/** what the docs and reports say about a finding the engine reports itself. */
export interface MetaRuleDoc {
  readonly id: RuleId;
  readonly title: string;
  readonly description: string;
  readonly remediation: string;
}

/** the engine's own findings: a rule that failed, and suppressions that cannot apply. */
export const META_RULES: readonly MetaRuleDoc[] = [
  {
    id: RuleIds.RULE_ERROR,
    title: 'Rule failed',
    description: 'Indicates that a rule threw or returned something other than a list of violations on this object, so the object was not checked by that rule (a rule error never counts as a pass).',
    remediation: 'Report the message as a checker bug; until it is fixed, review the object by hand for what the rule checks.',
  },
  {
    id: RuleIds.SUPPRESSION_INVALID,
    title: 'Invalid suppression',
    description: `Indicates a suppression annotation that cannot apply: a \`${SUPPRESSION_ANNOTATION_PREFIX}<rule-id>\` reason with fewer than ${MIN_REASON_LENGTH} visible characters (letters, digits, punctuation; zero-width and format characters do not count) or not a string, an unknown rule id, a \`${SUPPRESSION_EXPIRY_ANNOTATION_PREFIX}<rule-id>\` that is not a YYYY-MM-DD date or has no reason beside it. The finding it meant to suppress is reported as usual.`,
    remediation: `Give the suppression a reason of at least ${MIN_REASON_LENGTH} visible characters that says why the rule cannot hold, a real rule id and an expiry written as YYYY-MM-DD, or remove the annotation.`,
  },
  {
    id: RuleIds.SUPPRESSION_EXPIRED,
    title: 'Expired suppression',
    description: 'Indicates a suppression whose expiry date has passed; it no longer suppresses anything, so the finding it covered is reported again.',
    remediation: 'Fix what the suppressed rule reports and remove both annotations, or renew the expiry date after a fresh review.',
  },
  {
    id: RuleIds.SUPPRESSION_UNUSED,
    title: 'Unused suppression',
    description: 'Indicates a valid suppression of a rule that the pack runs on this object but that found nothing to suppress, so the exception it records no longer matches the manifest (reported as info; suppressions of rules outside the pack are not judged).',
    remediation: 'Remove the suppression annotation (and its expiry), or keep it only if the weakening it records is still intended.',
  },
  {
    id: RuleIds.POD_SPEC_UNCHECKED,
    title: 'Pod spec not checked',
    description: 'Indicates an object of a kind no rule examines that holds something shaped like a pod spec (a `containers` list of mappings with an `image`), such as a custom resource that creates pods, or an Argo Workflows `podSpecPatch` that cannot be read; the pods it creates were not checked (reported as info).',
    remediation: 'Declare where the kind keeps its pod spec with `--pod-spec-path <Kind>=<dotted.path>` (or `group/Kind=...`) so every pod rule checks it, or check the pods it creates.',
  },
];

const BY_ID = new Map<string, MetaRuleDoc>(META_RULES.map((doc) => [doc.id, doc]));

/** the doc of a meta id, or undefined for a rule id. */
export function metaRuleDoc(id: string): MetaRuleDoc | undefined {
  return BY_ID.get(id);
}
