import { pathSegments, SourceLines } from '../../src/checker/source-lines';

const TEXT = [
  '# leading comment', //                                 1
  'apiVersion: v1', //                                    2
  'kind: Pod', //                                         3
  'metadata:', //                                         4
  '  name: web', //                                       5
  '  annotations:', //                                    6
  '    ignore-check.cdk8s-hardened.io/x: "a reason"', //  7
  'spec:', //                                             8
  '  containers:', //                                     9
  '    - name: app', //                                   10
  '      securityContext:', //                            11
  '        privileged: true', //                          12
  '---', //                                               13
  'apiVersion: v1', //                                    14
  'kind: List', //                                        15
  'items:', //                                            16
  '  - apiVersion: v1', //                                17
  '    kind: Pod', //                                     18
  '    metadata: {name: a}', //                           19
  '    spec:', //                                         20
  '      hostNetwork: true', //                           21
].join('\n');

const lines = new SourceLines(new Map([['m.yaml', TEXT]]));
const at = (documentIndex: number, path: string, itemPath?: string) => lines.lineOf({ file: 'm.yaml', documentIndex, itemPath }, path);

test('finds the line of a field by its path, at the key', () => {
  expect(at(0, 'spec.containers[0].securityContext.privileged')).toBe(12);
  expect(at(0, 'spec.containers[0]')).toBe(10);
  expect(at(0, 'metadata.annotations["ignore-check.cdk8s-hardened.io/x"]')).toBe(7);
});

test('the object itself is its first line', () => {
  expect(at(0, '')).toBe(2);
  expect(at(1, '')).toBe(14);
});

test('a missing field resolves to its deepest existing ancestor', () => {
  expect(at(0, 'spec.containers[0].securityContext.seccompProfile.type')).toBe(11);
  expect(at(0, 'spec.containers[3].image')).toBe(9);
});

test('List items are found under their item path', () => {
  expect(at(1, 'spec.hostNetwork', 'items[0]')).toBe(21);
  expect(at(1, '', 'items[0]')).toBe(17);
});

test('unknown files and documents fall back to the source line', () => {
  expect(lines.lineOf({ file: 'other.yaml', documentIndex: 0, line: 4 }, 'spec')).toBe(4);
  expect(lines.lineOf({ file: 'm.yaml', documentIndex: 9 }, 'spec')).toBeUndefined();
  expect(lines.lineOf({ constructPath: 'a/b' }, 'spec')).toBeUndefined();
});

test('pathSegments reads dotted names, indexes and quoted keys', () => {
  expect(pathSegments('spec.containers[0]["a.b/c"].x')).toEqual(['spec', 'containers', 0, 'a.b/c', 'x']);
  expect(pathSegments('["k\\"q"]')).toEqual(['k"q']);
  expect(pathSegments('')).toEqual([]);
});
