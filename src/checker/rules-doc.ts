import { META_RULES } from './meta-rules';
import { PACK_NAMES, packOf } from './packs';
import type { Rule, RuleReferences } from './types';
import { renderAdmissionTwinsSection } from '../admission/twins-doc';
import { MIN_REASON_LENGTH, SUPPRESSION_ANNOTATION_PREFIX, SUPPRESSION_EXPIRY_ANNOTATION_PREFIX } from '../model/exceptions';

function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function references(refs: RuleReferences): string {
  const parts: string[] = [];
  if (refs.pss) parts.push(`PSS ${refs.pss.level} \`${refs.pss.check}\``);
  if (refs.cis?.length) parts.push(`CIS 1.8 ${refs.cis.join(', ')}`);
  if (refs.nsa?.length) parts.push(`NSA/CISA ${refs.nsa.join(', ')}`);
  if (refs.cves?.length) parts.push(refs.cves.join(', '));
  for (const link of refs.links ?? []) parts.push(`<${link}>`);
  return parts.join('; ');
}

/** `<a id>` for a rule's first row: SARIF `helpUri`s link to `RULES.md#<rule-id>`. */
function anchor(id: string, anchored: Set<string>): string {
  if (anchored.has(id)) return '';
  anchored.add(id);
  return `<a id="${id}"></a>`;
}

function ruleRow(rule: Rule, severity: string, anchored: Set<string>): string {
  const title = `${anchor(rule.id, anchored)}**${cell(rule.title)}.**`;
  return `| \`${rule.id}\` | ${severity} | ${title} ${cell(rule.description)} | ${cell(rule.remediation)} | ${cell(references(rule.references))} |`;
}

const HEADER = '| Rule | Severity | Description | Remediation | References |\n|---|---|---|---|---|';

/** `docs/RULES.md`, rendered from the rule registry and the packs. */
export function renderRulesDoc(): string {
  const out: string[] = [
    '<!-- Generated from the rule registry by `npm run docgen:rules` (projenrc/gen-rules-doc.ts). Do not edit: a test fails when this file is stale. -->',
    '# Rules',
    '',
    'Each pack runs its rules over every object of the kinds they examine. Severities are the pack\'s (packs may raise or lower a rule\'s default severity in one place, `src/checker/packs.ts`); `--fail-on` compares against them. See [checker.md](checker.md) for the CLI, the guard, the cdk8s plugin and the jest matcher.',
    '',
    `Suppress a finding with the annotation \`${SUPPRESSION_ANNOTATION_PREFIX}<rule-id>: "<reason>"\` (at least ${MIN_REASON_LENGTH} visible characters: letters, digits, punctuation) on the object or, for controllers, on its pod template, optionally with \`${SUPPRESSION_EXPIRY_ANNOTATION_PREFIX}<rule-id>: "YYYY-MM-DD"\`.`,
    '',
  ];
  const anchored = new Set<string>();
  for (const name of PACK_NAMES) {
    const pack = packOf(name);
    out.push(`## \`${name}\``, '', pack.description, '', `${pack.rules.length} rules.`, '', HEADER);
    for (const rule of pack.rules) out.push(ruleRow(rule, pack.severityOf(rule.id), anchored));
    out.push('');
  }
  out.push(...renderAdmissionTwinsSection());
  out.push(
    '## Engine findings',
    '',
    'Reported by the checker itself in every pack, at the severity below; they have no rule file and cannot be suppressed.',
    '',
    '| Id | Severity | Description | Remediation |',
    '|---|---|---|---|',
    ...META_RULES.map((meta) => `| \`${meta.id}\` | ${packOf(PACK_NAMES[0]).severityOf(meta.id)} | ${anchor(meta.id, anchored)}**${cell(meta.title)}.** ${cell(meta.description)} | ${cell(meta.remediation)} |`),
    '',
  );
  return out.join('\n');
}
