import * as fc from 'fast-check';
import { clone, entries, privilegedPod, restrictedPod } from './manifests';
import { ManifestIndex } from '../../src/checker/context';
import { atLeast, checkManifests, expandLists, failingFindings } from '../../src/checker/engine';
import { packOf } from '../../src/checker/packs';
import { ruleById } from '../../src/checker/rules';
import type { KubeObject } from '../../src/checker/types';

describe('checkManifests', () => {
  test('reports each violation as a finding naming the object, field and PSS check', () => {
    const report = checkManifests(entries([privilegedPod()], 'pods.yaml'), { pack: 'pss-baseline' });
    expect(report.findings).toEqual([{
      ruleId: 'pss-privileged',
      severity: 'error',
      kind: 'Pod',
      apiVersion: 'v1',
      namespace: 'shop',
      name: 'bad',
      file: 'pods.yaml',
      line: undefined,
      constructPath: undefined,
      path: 'spec.containers[0].securityContext.privileged',
      message: 'container "app" sets privileged: true',
      remediation: ruleById('pss-privileged')!.remediation,
      pss: { level: 'baseline', check: 'privileged' },
      suppressed: false,
    }]);
    expect(report.summary).toEqual({
      pack: 'pss-baseline', objects: 1, checked: 1, skipped: {}, findings: 1, suppressed: 0, bySeverity: { error: 1, warning: 0, info: 0 },
    });
  });

  test('uses the hardened pack by default', () => {
    expect(checkManifests([]).summary.pack).toBe('hardened');
  });

  test('asks `locate` for the line of each finding and falls back to the source line', () => {
    const locate = jest.fn((_source, path: string) => (path.includes('privileged') ? 12 : undefined));
    const report = checkManifests([{ object: privilegedPod(), source: { file: 'a.yaml', documentIndex: 0, line: 3 } }], { pack: 'pss-baseline', locate });
    expect(report.findings.map((finding) => finding.line)).toEqual([12]);
    expect(locate).toHaveBeenCalledWith({ file: 'a.yaml', documentIndex: 0, line: 3 }, 'spec.containers[0].securityContext.privileged');
    const unlocated = checkManifests([{ object: privilegedPod(), source: { file: 'a.yaml', line: 3 } }], { pack: 'pss-baseline' });
    expect(unlocated.findings[0].line).toBe(3);
  });

  test('expands the items of List and *List kinds, recursively, and never checks the list itself', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [privilegedPod('a'), { apiVersion: 'v1', kind: 'PodList', items: [privilegedPod('b')] }] };
    const report = checkManifests(entries([list], 'list.yaml'), { pack: 'pss-baseline' });
    expect(report.findings.map((finding) => finding.name)).toEqual(['a', 'b']);
    expect(report.summary.objects).toBe(2);
    expect(expandLists(entries([list])).map((entry) => entry.source.itemPath)).toEqual(['items[0]', 'items[1].items[0]']);
  });

  test('skips objects no rule of the pack examines and counts them by kind', () => {
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      { apiVersion: 'v1', metadata: { name: 'no-kind' } },
      restrictedPod(),
    ];
    const report = checkManifests(entries([...objects, { apiVersion: 'v1', kind: 'List', items: ['x'] }]), { pack: 'pss-restricted' });
    expect(report.summary.skipped).toEqual({ '(no kind)': 1, '(not a mapping)': 1, 'ConfigMap': 2, 'Widget': 1 });
    expect(report.summary.checked).toBe(1);
    expect(report.findings).toEqual([]);
  });

  test('turns a rule that throws into a rule-error finding, never a crash or a pass', () => {
    const rule = ruleById('pss-privileged')!;
    const spy = jest.spyOn(rule, 'check').mockImplementation(() => {
      throw new TypeError('boom');
    });
    try {
      const report = checkManifests(entries([restrictedPod()]), { pack: 'pss-baseline' });
      expect(report.findings).toEqual([expect.objectContaining({
        ruleId: 'rule-error', severity: 'error', name: 'web', path: '', message: 'rule pss-privileged threw TypeError: boom', suppressed: false,
      })]);
      expect(failingFindings(report)).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('turns a rule that returns something other than violations into a rule-error finding', () => {
    const rule = ruleById('pss-privileged')!;
    for (const returned of [undefined, {}, [{ message: 1, path: 'x' }]]) {
      const spy = jest.spyOn(rule, 'check').mockReturnValue(returned as never);
      try {
        const report = checkManifests(entries([restrictedPod()]), { pack: 'pss-baseline' });
        expect(report.findings.map((finding) => finding.ruleId)).toEqual(['rule-error']);
        expect(report.findings[0].message).toMatch(/^rule pss-privileged returned /);
      } finally {
        spy.mockRestore();
      }
    }
  });

  test('sorts findings the same way whatever the input order', () => {
    const objects = [privilegedPod('b', 'y'), privilegedPod('a', 'y'), privilegedPod('c', null), privilegedPod('a', 'x')];
    const files = ['z.yaml', 'a.yaml'];
    const all = files.flatMap((file) => entries(objects, file));
    const expected = checkManifests(all, { pack: 'pss-restricted' }).findings;
    fc.assert(fc.property(fc.shuffledSubarray(all, { minLength: all.length }), (shuffled) => {
      expect(checkManifests(shuffled.map((entry) => ({ ...entry, object: clone(entry.object) })), { pack: 'pss-restricted' }).findings).toEqual(expected);
    }), { numRuns: 25 });
    // by file, then document (input position in the file), then object
    const objectsInOrder = expected.map((finding) => `${finding.file} ${finding.namespace ?? '-'}/${finding.name}`).filter((key, i, keys) => keys.indexOf(key) === i);
    expect(objectsInOrder).toEqual(['a.yaml y/b', 'a.yaml y/a', 'a.yaml -/c', 'a.yaml x/a', 'z.yaml y/b', 'z.yaml y/a', 'z.yaml -/c', 'z.yaml x/a']);
  });

  test('never modifies its input', () => {
    const objects = [privilegedPod(), restrictedPod(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }];
    const before = JSON.stringify(objects);
    const frozen = objects.map((object) => deepFreeze(clone(object)));
    const report = checkManifests(entries(frozen));
    expect(report.findings.filter((finding) => finding.ruleId === 'rule-error')).toEqual([]);
    expect(JSON.stringify(objects)).toBe(before);
  });

  test.each([
    ['containers: "x"', { containers: 'x' }],
    ['securityContext: []', { securityContext: [], containers: [{ name: 'a', image: 'a:1', securityContext: [] }] }],
    ['ports: 7', { containers: [{ name: 'a', image: 'a:1', ports: 7 }] }],
    ['spec: null', null],
    ['volumes: {}', { volumes: {}, containers: [] }],
  ])('wrong-typed fields (%s) become findings or nothing, never crashes', (_name, spec) => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'odd', namespace: 'shop' }, spec };
    const report = checkManifests(entries([pod]));
    expect(report.findings.filter((finding) => finding.ruleId === 'rule-error')).toEqual([]);
  });

  test('survives any value at any field of a workload (property)', () => {
    const base = clone(restrictedPod());
    const json = fc.jsonValue({ maxDepth: 3 });
    const paths: string[][] = [
      ['spec'], ['spec', 'containers'], ['spec', 'containers', '0'], ['spec', 'containers', '0', 'securityContext'],
      ['spec', 'containers', '0', 'securityContext', 'capabilities'], ['spec', 'containers', '0', 'ports'], ['spec', 'securityContext'],
      ['spec', 'volumes'], ['spec', 'initContainers'], ['metadata'], ['metadata', 'annotations'], ['metadata', 'namespace'], ['spec', 'os'],
      ['spec', 'containers', '0', 'image'], ['spec', 'containers', '0', 'resources'], ['spec', 'hostNetwork'],
    ];
    const kinds = ['Pod', 'Deployment', 'CronJob', 'Namespace', 'NetworkPolicy', 'Role', 'RoleBinding', 'Service', 'ServiceAccount'];
    fc.assert(fc.property(fc.constantFrom(...paths), json, fc.constantFrom(...kinds), (path, value, kind) => {
      const object = clone(base) as Record<string, unknown>;
      object.kind = kind;
      if (kind !== 'Pod') object.spec = kind === 'Deployment' ? { template: { spec: object.spec } } : object.spec;
      let target: Record<string, unknown> = object;
      for (const key of path.slice(0, -1)) {
        if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
        target = target[key] as Record<string, unknown>;
      }
      target[path[path.length - 1]] = value;
      const report = checkManifests(entries([object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]));
      expect(report.findings.filter((finding) => finding.ruleId === 'rule-error').map((finding) => finding.message)).toEqual([]);
    }), { numRuns: 300 });
  });
});

describe('ManifestIndex', () => {
  const objects: KubeObject[] = [
    { kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'x' } },
    { kind: 'NetworkPolicy', metadata: { name: 'b', namespace: 'x' } },
    { kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'y' } },
    { kind: 'ClusterRole', metadata: { name: 'admin' } },
    { kind: 'Namespace', metadata: { name: 'z' } },
    { kind: 'Pod', metadata: { name: 7, namespace: ['odd'] } },
  ];
  const index = new ManifestIndex(objects);

  test('finds objects by kind and namespace, and by name', () => {
    expect(index.objectsOf('NetworkPolicy', 'x')).toEqual([objects[0], objects[1]]);
    expect(index.objectsOf('NetworkPolicy', 'nope')).toEqual([]);
    expect(index.objectsOf('ClusterRole', undefined)).toEqual([objects[3]]);
    expect(index.find('NetworkPolicy', 'y', 'a')).toBe(objects[2]);
    expect(index.find('ClusterRole', undefined, 'admin')).toBe(objects[3]);
    expect(index.find('ClusterRole', 'x', 'admin')).toBeUndefined();
  });

  test('lists declared and referenced namespaces, sorted', () => {
    expect(index.namespaces()).toEqual(['x', 'y', 'z']);
  });

  test('files wrong-typed names and namespaces without crashing', () => {
    expect(index.objectsOf('Pod', undefined)).toEqual([objects[5]]);
  });
});

test('atLeast orders severities info < warning < error', () => {
  expect(atLeast('error', 'warning')).toBe(true);
  expect(atLeast('warning', 'warning')).toBe(true);
  expect(atLeast('info', 'warning')).toBe(false);
  expect(packOf('hardened').severityOf('container-probes')).toBe('info');
  expect(packOf('hardened').severityOf('image-digest-missing')).toBe('error');
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
