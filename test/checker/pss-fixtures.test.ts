/**
 * PSS fixtures, object by object: every `fire-*` object must be reported and every `dont-fire-*`
 * object must not, which is stricter than the file-level pass/fail driver. The violations of each
 * fixture file are snapshotted so messages and paths are reviewed.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { PSS_RULES } from '../../src/checker/rules/pss';
import type { CheckContext, KubeObject } from '../../src/checker/types';

const FIXTURES = path.join(__dirname, 'fixtures');

function contextOf(objects: readonly KubeObject[]): CheckContext {
  const namespaceOf = (object: KubeObject) => (object.metadata as { namespace?: string } | undefined)?.namespace;
  const nameOf = (object: KubeObject) => (object.metadata as { name?: string } | undefined)?.name;
  return {
    objectsOf: (kind, namespace) => objects.filter((object) => object.kind === kind && namespaceOf(object) === namespace),
    find: (kind, namespace, name) => objects.find((object) => object.kind === kind && namespaceOf(object) === namespace && nameOf(object) === name),
    namespaces: () => [...new Set(objects.map(namespaceOf).filter((namespace): namespace is string => !!namespace))].sort(),
  };
}

describe.each(PSS_RULES.map((rule) => [rule.id, rule] as const))('%s fixtures', (ruleId, rule) => {
  const directory = path.join(FIXTURES, ruleId);
  const files = fs.existsSync(directory) ? fs.readdirSync(directory).filter((file) => file.endsWith('.yaml')).sort() : [];

  test('has at least one pass and one fail fixture with a variant name', () => {
    expect(files.some((file) => /^pass\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
    expect(files.some((file) => /^fail\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
    expect(files.every((file) => /^(pass|fail)\.[a-z0-9-]+\.yaml$/.test(file))).toBe(true);
  });

  test.each(files)('%s: fire-* objects are reported, dont-fire-* objects are not', (file) => {
    const documents = yaml.loadAll(fs.readFileSync(path.join(directory, file), 'utf8')) as KubeObject[];
    const context = contextOf(documents);
    const byObject: Record<string, unknown> = {};
    for (const object of documents) {
      const name = String((object.metadata as { name?: string }).name);
      expect(rule.kinds).toContain(object.kind);
      const before = JSON.stringify(object);
      const violations = rule.check(object, context);
      expect(JSON.stringify(object)).toBe(before);
      if (name.startsWith('fire-')) {
        expect(violations.length).toBeGreaterThan(0);
      } else {
        expect(name.startsWith('dont-fire-')).toBe(true);
        expect({ name, violations }).toEqual({ name, violations: [] });
      }
      byObject[`${object.kind}/${name}`] = violations;
    }
    const fired = documents.some((object) => String((object.metadata as { name?: string }).name).startsWith('fire-'));
    expect(fired).toBe(file.startsWith('fail.'));
    if (file.startsWith('pass.')) {
      expect(documents.every((object) => String((object.metadata as { name?: string }).name).startsWith('dont-fire-'))).toBe(true);
    }
    expect(byObject).toMatchSnapshot();
  });
});
