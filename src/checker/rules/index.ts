import type { Rule } from '../types';
import { HARDENED_EXTRA_RULES } from './hardened-rules';
import { PSS_BASELINE_RULES, PSS_RESTRICTED_RULES, PSS_RULES } from './pss';

/** keeps the first rule of each id, in order. */
function uniqueById(rules: readonly Rule[]): readonly Rule[] {
  const byId = new Map<string, Rule>();
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  return [...byId.values()];
}

/** every rule of every pack, each once: the PSS rules, then the hardened pack's extra rules. */
export const ALL_RULES: readonly Rule[] = uniqueById([
  ...PSS_RULES, ...PSS_BASELINE_RULES, ...PSS_RESTRICTED_RULES, ...HARDENED_EXTRA_RULES,
]);

const RULES_BY_ID = new Map<string, Rule>(ALL_RULES.map((rule) => [rule.id, rule]));

/** a rule by id, or undefined (meta ids such as `rule-error` have no rule). */
export function ruleById(id: string): Rule | undefined {
  return RULES_BY_ID.get(id);
}
