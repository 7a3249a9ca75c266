import { lintExpression, lintPolicies } from './cel-portability';
import { generateAdmissionPolicies } from '../../src/admission/admission-policies';
import { MIN_KUBERNETES_MINOR } from '../../src/admission/cel-versions';

describe('portability lint', () => {
  test('every expression of every generated policy compiles on a 1.28 API server, so on every later one', () => {
    const { policies } = generateAdmissionPolicies({ pack: 'hardened', validationActions: ['Deny'], minSeverity: 'info' });
    expect(policies.length).toBeGreaterThan(30);
    expect(lintPolicies(policies, MIN_KUBERNETES_MINOR)).toEqual([]);
  });

  test.each([
    ['object.spec.?securityContext.orValue({})', 'does not parse'],
    ['quantity(object.spec.x).isLessThan(quantity(\'1Gi\'))', 'only from 1.29'],
    ['sets.contains([1], [1])', 'only from 1.30'],
    ['math.greatest(1, 2)', 'no Kubernetes CEL library'],
    ['cidr(\'10.0.0.0/8\').containsIP(ip(\'10.0.0.1\'))', 'only from 1.31'],
    ['[1, \'a\'].size() == 2', 'list literal mixes'],
    ['\'abc\'.matches(\'(?=a)abc\')', 'is not RE2'],
    ['a.all(x, b.all(y, c.all(z, d.all(w, true))))', 'nests comprehensions 4 deep'],
    ['myFunction(1)', 'no Kubernetes CEL library'],
  ])('flags %s', (expression, problem) => {
    expect(lintExpression(expression, MIN_KUBERNETES_MINOR).join('\n')).toContain(problem);
  });

  test('accepts a function at the version that may use it', () => {
    expect(lintExpression('quantity(\'1Gi\').isLessThan(quantity(\'2Gi\'))', 29)).toEqual([]);
    expect(lintExpression('cidr(\'10.0.0.0/8\').containsIP(\'10.0.0.1\')', 31)).toEqual([]);
  });
});
