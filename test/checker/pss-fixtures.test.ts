/**
 * PSS fixtures, object by object, on top of the file-level driver (`rules.test.ts`): every
 * `fire-*` object must be reported and every `dont-fire-*` object must not, `pass.*` files hold
 * only `dont-fire-*` objects and `fail.*` files at least one `fire-*`, and every object is of a kind
 * the rule looks at. Files are read exactly as the driver reads them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, fixtureFiles } from './fixture-files';
import { ManifestIndex } from '../../src/checker/context';
import { expandLists } from '../../src/checker/engine';
import { decodeText, parseManifests } from '../../src/checker/input';
import { PSS_RULES } from '../../src/checker/rules/pss';
import type { KubeObject } from '../../src/checker/types';

const nameOf = (object: KubeObject) => String((object.metadata as { name?: unknown }).name);

describe.each(PSS_RULES.map((rule) => [rule.id, rule] as const))('%s fixtures', (ruleId, rule) => {
  const files = fixtureFiles(ruleId);

  test('has at least one pass and one fail fixture with a variant name', () => {
    expect(files.some((file) => /^pass\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
    expect(files.some((file) => /^fail\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
    expect(fs.readdirSync(path.join(FIXTURES, ruleId)).every((file) => /^(pass|fail)\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
  });

  test.each(files)('%s: fire-* objects are reported, dont-fire-* objects are not', (file) => {
    const fullPath = path.join(FIXTURES, ruleId, file);
    const objects = expandLists(parseManifests(decodeText(fs.readFileSync(fullPath), fullPath), fullPath)).map((entry) => entry.object);
    const context = new ManifestIndex(objects);
    const outcome = objects.map((object) => ({ name: nameOf(object), kind: object.kind, reported: rule.check(object, context).length > 0 }));
    for (const { name, kind, reported } of outcome) {
      expect(rule.kinds).toContain(kind);
      expect(name).toMatch(/^(fire|dont-fire)-[a-z0-9-]+$/);
      expect({ name, reported }).toEqual({ name, reported: name.startsWith('fire-') });
    }
    if (file.startsWith('pass.')) {
      expect(outcome.every(({ name }) => name.startsWith('dont-fire-'))).toBe(true);
    } else {
      expect(outcome.some(({ name }) => name.startsWith('fire-'))).toBe(true);
    }
  });
});
