// writes docs/RULES.md from the rule registry (`npm run docgen:rules`); test/checker/rules-doc.test.ts fails when it is stale.
import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../src/checker/rules-doc';

const target = path.join(__dirname, '..', 'docs', 'RULES.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderRulesDoc());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
