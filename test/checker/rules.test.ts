/**
 * The fixture driver (Polaris style): for every rule, every `fixtures/<rule-id>/{pass,fail}.<variant>.yaml`
 * is parsed, the context is built from all of the file's documents, and that rule alone runs on
 * each object of its kinds. `fail.*` must yield at least one violation (snapshotted as
 * `{message, path}[]`), `pass.*` none. Objects are deep-frozen, so a rule that mutates its input
 * throws. `RULE=<id>` runs one rule's fixtures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, fixtureConfig, fixtureFiles } from './fixture-files';
import { ManifestIndex } from '../../src/checker/context';
import { expandLists } from '../../src/checker/engine';
import { decodeText, parseManifests } from '../../src/checker/input';
import { ALL_RULES } from '../../src/checker/rules';
import type { KubeObject, Rule } from '../../src/checker/types';


function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const child of Object.values(value)) deepFreeze(child, seen);
    Object.freeze(value);
  }
  return value;
}

function violationsIn(rule: Rule, file: string) {
  const entries = parseManifests(decodeText(fs.readFileSync(file), file), file);
  const objects: KubeObject[] = expandLists(entries).map((entry) => deepFreeze(entry.object));
  const context = new ManifestIndex(objects, fixtureConfig(rule.id).imagePolicy);
  return objects
    .filter((object) => rule.kinds.includes(String(object.kind)))
    .flatMap((object) => rule.check(object, context).map(({ message, path: field }) => ({ message, path: field })));
}

const selected = ALL_RULES.filter((rule) => process.env.RULE === undefined || rule.id === process.env.RULE);

test('RULE selects a known rule', () => {
  expect(selected.length).toBeGreaterThan(0);
});

describe.each(selected.map((rule) => [rule.id, rule] as const))('%s', (ruleId, rule) => {
  const files = fixtureFiles(ruleId);
  const cases = files.length > 0 ? files : ['(no fixtures)'];

  test.each(cases)('%s', (file) => {
    expect(files).not.toHaveLength(0);
    const violations = violationsIn(rule, path.join(FIXTURES, ruleId, file));
    if (file.startsWith('fail.')) {
      expect(violations.length).toBeGreaterThan(0);
      expect(violations).toMatchSnapshot();
    } else {
      expect(violations).toEqual([]);
    }
  });
});
