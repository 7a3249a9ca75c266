import { META_RULE_IDS, RuleId, RuleIds } from '../model/rule-ids';
import { HARDENED_EXTRA_RULES } from './rules/hardened-rules';
import { PSS_BASELINE_RULES, PSS_RESTRICTED_RULES } from './rules/pss';
import type { Rule, Severity } from './types';

/** the packs, in the order the docs list them. */
export const PACK_NAMES = ['pss-baseline', 'pss-restricted', 'hardened'] as const;

/** a rule pack's name. */
export type PackName = typeof PACK_NAMES[number];

/** the pack every entry point uses when none is named. */
export const DEFAULT_PACK: PackName = 'hardened';

/** a named set of rules with its severities. */
export interface Pack {
  readonly name: PackName;
  /** one sentence for the docs and `--help`. */
  readonly description: string;
  /** the pack's rules, in a stable order. */
  readonly rules: readonly Rule[];
  /** the severity of a rule's (or a meta id's) findings in this pack. */
  severityOf(ruleId: RuleId): Severity;
}

type SeverityOverrides = Partial<Record<RuleId, Severity>>;

/** every Pod Security Standards violation is an error in any pack that runs it. */
function pssAsErrors(rules: readonly Rule[]): SeverityOverrides {
  return Object.fromEntries(rules.map((rule) => [rule.id, 'error' as const]));
}

/**
 * The one place where packs raise or lower severities. Anything not listed keeps the rule's own
 * severity; the meta ids are errors, except `suppression-unused`, which is info.
 */
const SEVERITY_OVERRIDES: Record<PackName, SeverityOverrides> = {
  'pss-baseline': pssAsErrors(PSS_BASELINE_RULES),
  'pss-restricted': pssAsErrors(PSS_RESTRICTED_RULES),
  // the constructs refuse an unpinned image unless excepted with a reason, so the pack holds manifests to the same bar.
  'hardened': { ...pssAsErrors(PSS_RESTRICTED_RULES), [RuleIds.IMAGE_DIGEST_MISSING]: 'error' },
};

const DESCRIPTIONS: Record<PackName, string> = {
  'pss-baseline': 'Pod Security Standards v1.28 baseline, exactly as Pod Security Admission evaluates `level: baseline`.',
  'pss-restricted': 'Pod Security Standards v1.28 restricted (baseline plus the restricted checks, with restricted\'s overrides), exactly as Pod Security Admission evaluates `level: restricted`.',
  'hardened': 'The default: `pss-restricted` plus namespace posture, network, identity and RBAC, supply chain and hygiene rules.',
};

const MEMBERS: Record<PackName, readonly Rule[]> = {
  'pss-baseline': PSS_BASELINE_RULES,
  'pss-restricted': PSS_RESTRICTED_RULES,
  'hardened': [...PSS_RESTRICTED_RULES, ...HARDENED_EXTRA_RULES],
};

function makePack(name: PackName): Pack {
  const overrides = SEVERITY_OVERRIDES[name];
  const rules = MEMBERS[name];
  const defaults = new Map<string, Severity>(rules.map((rule) => [rule.id, rule.severity]));
  for (const id of META_RULE_IDS) defaults.set(id, id === RuleIds.SUPPRESSION_UNUSED || id === RuleIds.POD_SPEC_UNCHECKED ? 'info' : 'error');
  return {
    name,
    description: DESCRIPTIONS[name],
    rules,
    severityOf: (ruleId) => overrides[ruleId] ?? defaults.get(ruleId) ?? 'error',
  };
}

const PACKS: Record<PackName, Pack> = {
  'pss-baseline': makePack('pss-baseline'),
  'pss-restricted': makePack('pss-restricted'),
  'hardened': makePack('hardened'),
};

/** true for the name of a pack. */
export function isPackName(value: unknown): value is PackName {
  return typeof value === 'string' && (PACK_NAMES as readonly string[]).includes(value);
}

/** a pack by name. */
export function packOf(name: PackName = DEFAULT_PACK): Pack {
  const pack = isPackName(name) ? PACKS[name] : undefined;
  if (!pack) throw new Error(`unknown pack ${JSON.stringify(name)}: use one of ${PACK_NAMES.join(', ')}`);
  return pack;
}
