import * as fs from 'fs';
import * as path from 'path';
import { PACK_NAMES, packOf } from '../../src/checker/packs';
import { renderRulesDoc } from '../../src/checker/rules-doc';

const COMMITTED = path.join(__dirname, '..', '..', 'docs', 'RULES.md');

test('docs/RULES.md is up to date (run `npm run docgen:rules`)', () => {
  expect(fs.existsSync(COMMITTED)).toBe(true);
  expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(renderRulesDoc());
});

test('lists every rule of every pack with its severity in that pack', () => {
  const doc = renderRulesDoc();
  for (const name of PACK_NAMES) {
    const pack = packOf(name);
    const section = doc.split(`## \`${name}\``)[1].split('\n## ')[0];
    for (const rule of pack.rules) expect(section).toContain(`| \`${rule.id}\` | ${pack.severityOf(rule.id)} |`);
  }
  for (const id of ['rule-error', 'suppression-invalid', 'suppression-expired']) expect(doc).toContain(`| \`${id}\` | error |`);
});
