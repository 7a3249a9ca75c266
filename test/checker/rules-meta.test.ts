import * as fs from 'fs';
import * as path from 'path';
import { fixtureFiles } from './fixture-files';
import { META_RULES } from '../../src/checker/meta-rules';
import { PACK_NAMES, packOf } from '../../src/checker/packs';
import { ALL_RULES } from '../../src/checker/rules';
import { PSS_RULES } from '../../src/checker/rules/pss';
import type { Rule } from '../../src/checker/types';
import { META_RULE_IDS, RuleIds } from '../../src/model/rule-ids';

const RULES_DIR = path.join(__dirname, '..', '..', 'src', 'checker', 'rules');

function isRule(value: unknown): value is Rule {
  const candidate = value as Partial<Rule> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.id === 'string' && typeof candidate.check === 'function';
}

/** every Rule exported by a file under src/checker/rules/<area>/, with the file's base name. */
function exportedRules(): { file: string; rule: Rule }[] {
  const found: { file: string; rule: Rule }[] = [];
  for (const area of fs.readdirSync(RULES_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of fs.readdirSync(path.join(RULES_DIR, area.name)).filter((name) => name.endsWith('.ts') && name !== 'index.ts')) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(path.join(RULES_DIR, area.name, file)) as Record<string, unknown>;
      for (const value of Object.values(module)) if (isRule(value)) found.push({ file: path.basename(file, '.ts'), rule: value });
    }
  }
  return found;
}

describe('rule registry', () => {
  const ids = ALL_RULES.map((rule) => rule.id);

  test('rule ids are unique', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('each rule is exported from src/checker/rules/<area>/<rule-id>.ts, one rule per file', () => {
    const exported = exportedRules();
    for (const { file, rule } of exported) expect({ file, id: rule.id }).toEqual({ file, id: file });
    expect(exported.map(({ rule }) => rule.id).sort()).toEqual([...ids].sort());
  });

  test('every id in RuleIds has a rule, except the engine\'s meta ids', () => {
    const expected = Object.values(RuleIds).filter((id) => !META_RULE_IDS.includes(id));
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  test('every meta id is documented and none has a rule', () => {
    expect(META_RULES.map((meta) => meta.id).sort()).toEqual([...META_RULE_IDS].sort());
    for (const id of META_RULE_IDS) expect(ids).not.toContain(id);
    for (const meta of META_RULES) expect(meta.remediation).toMatch(/\S\.$/);
  });
});

describe.each(ALL_RULES.map((rule) => [rule.id, rule] as const))('%s', (ruleId, rule) => {
  test('has at least one pass and one fail fixture', () => {
    const files = fixtureFiles(ruleId);
    expect(files.filter((file) => file.startsWith('pass.')).length).toBeGreaterThan(0);
    expect(files.filter((file) => file.startsWith('fail.')).length).toBeGreaterThan(0);
  });

  test('has a title, a description, kinds and a remediation ending with a period', () => {
    expect(rule.title.trim()).not.toBe('');
    expect(rule.description.trim()).not.toBe('');
    expect(rule.kinds.length).toBeGreaterThan(0);
    expect(['error', 'warning', 'info']).toContain(rule.severity);
    expect(rule.remediation.trim()).toMatch(/\S\.$/);
  });

  test('is in at least one pack', () => {
    expect(PACK_NAMES.filter((name) => packOf(name).rules.includes(rule))).not.toHaveLength(0);
  });
});

test('PSS rules carry references.pss, and only they do', () => {
  for (const rule of ALL_RULES) {
    expect({ id: rule.id, pss: rule.references.pss !== undefined }).toEqual({ id: rule.id, pss: PSS_RULES.includes(rule) });
  }
  expect(new Set(PSS_RULES.map((rule) => rule.references.pss!.check)).size).toBe(17);
});
