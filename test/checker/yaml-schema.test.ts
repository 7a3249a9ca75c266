import { load } from 'js-yaml';
import { KUBERNETES_YAML_SCHEMA } from '../../src/checker/yaml-schema';

const read = (text: string) => load(text, { schema: KUBERNETES_YAML_SCHEMA });

describe('YAML 1.1 scalars as Kubernetes reads them |', () => {
  test('booleans, nulls and numbers', () => {
    expect(read('[yes, on, No, off, ~, null, 010, 0x1F, 1_000, -2.5e3, .inf, -.Inf, .NaN]')).toEqual([
      true, true, false, false, null, null, 8, 31, 1000, -2500, Infinity, -Infinity, NaN,
    ]);
  });

  test('names of Object.prototype members stay strings', () => {
    expect(read('[constructor, toString, valueOf, hasOwnProperty, __proto__x]')).toEqual([
      'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__x',
    ]);
  });

  test('strings that only look numeric in part stay strings', () => {
    expect(read('[v1.28, 1.2.3, 1e, "0755", _1, abc_1]')).toEqual(['v1.28', '1.2.3', '1e', '0755', '_1', 'abc_1']);
  });
});
