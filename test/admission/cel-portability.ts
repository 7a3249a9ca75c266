/**
 * The portability lint: parses every expression of a generated policy and fails when it calls a
 * function a server of the target version cannot compile in a new expression, uses a list or map
 * literal whose elements differ in type (the API server rejects those), uses a `matches`/`find`
 * pattern that RE2 rejects, or nests comprehensions deeper than the cost bound allows. Optional
 * syntax (`?.`) does not parse here at all, which is also a failure.
 */
import { parse } from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';
import { CEL_FUNCTION_FLOOR } from '../../src/admission/cel-versions';
import type { KubeObject } from '../../src/checker/types';

/** nested comprehensions beyond this risk the per-expression cost limit on large objects. */
export const MAX_COMPREHENSION_DEPTH = 3;

const NAMESPACES = ['sets', 'strings', 'optional', 'lists', 'ip', 'math', 'base64'];

type Node = { exprKind: { case: string; value: any } };

/** the problems of one expression for a target minor version; empty when it is portable. */
export function lintExpression(expression: string, minor: number): string[] {
  let root: Node;
  try {
    root = parse(expression).expr as unknown as Node;
  } catch (error) {
    return [`does not parse as 1.${minor} CEL: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const visit = (node: Node | undefined, depth: number): void => {
    if (!node?.exprKind) return;
    const { case: kind, value } = node.exprKind;
    if (kind === 'callExpr') {
      // namespaced functions (sets.contains, strings.quote, optional.of) parse as calls on an identifier
      const target = value.target?.exprKind;
      const namespace = target?.case === 'identExpr' && NAMESPACES.includes(target.value.name) ? `${target.value.name}.` : '';
      const name: string = namespace + value.function;
      const floor = CEL_FUNCTION_FLOOR[name];
      if (floor === undefined) problems.push(`calls ${name}, which no Kubernetes CEL library provides`);
      else if (floor > minor) problems.push(`calls ${name}, which a 1.${minor} API server accepts in new expressions only from 1.${floor}`);
      if (['matches', 'find', 'findAll'].includes(name)) {
        const pattern = value.args[value.args.length - 1]?.exprKind;
        if (pattern?.case === 'constExpr' && pattern.value.constantKind.case === 'stringValue') {
          try {
            RE2JS.compile(pattern.value.constantKind.value);
          } catch (error) {
            problems.push(`${name}() pattern ${JSON.stringify(pattern.value.constantKind.value)} is not RE2: ${(error as Error).message}`);
          }
        }
      }
      if (!namespace) visit(value.target, depth);
      for (const arg of value.args) visit(arg, depth);
    } else if (kind === 'selectExpr') {
      visit(value.operand, depth);
    } else if (kind === 'listExpr') {
      const kinds = new Set(value.elements.filter((element: Node) => element.exprKind.case === 'constExpr').map((element: Node) => element.exprKind.value.constantKind.case));
      if (kinds.size > 1) problems.push(`list literal mixes ${[...kinds].join(' and ')} (the API server requires homogeneous literals)`);
      if (value.optionalIndices?.length) problems.push('list literal uses optional elements, usable only from 1.29');
      for (const element of value.elements) visit(element, depth);
    } else if (kind === 'structExpr') {
      for (const entry of value.entries) {
        if (entry.optionalEntry) problems.push('map literal uses an optional entry, usable only from 1.29');
        visit(entry.keyKind?.value, depth);
        visit(entry.value, depth);
      }
    } else if (kind === 'comprehensionExpr') {
      if (value.iterVar2) problems.push('uses a two-variable comprehension, usable only from 1.33');
      if (depth + 1 > MAX_COMPREHENSION_DEPTH) problems.push(`nests comprehensions ${depth + 1} deep (at most ${MAX_COMPREHENSION_DEPTH})`);
      visit(value.iterRange, depth);
      visit(value.accuInit, depth);
      visit(value.loopCondition, depth + 1);
      visit(value.loopStep, depth + 1);
      visit(value.result, depth);
    }
  };
  visit(root, 0);
  return [...new Set(problems)];
}

/** every CEL expression of a policy, with where it sits. */
export function expressionsOf(policy: KubeObject): { where: string; expression: string }[] {
  const spec = policy.spec as Record<string, { name?: string; expression?: string; messageExpression?: string }[] | undefined>;
  const name = String((policy.metadata as { name?: string }).name);
  const found: { where: string; expression: string }[] = [];
  for (const section of ['matchConditions', 'variables', 'validations'] as const) {
    (spec[section] ?? []).forEach((entry, index) => {
      if (entry.expression) found.push({ where: `${name} ${section}[${index}]${entry.name ? ` (${entry.name})` : ''}`, expression: entry.expression });
      if (entry.messageExpression) found.push({ where: `${name} ${section}[${index}].messageExpression`, expression: entry.messageExpression });
    });
  }
  return found;
}

/** the lint over a set of policies: one line per problem, empty when all are portable to `minor`. */
export function lintPolicies(policies: readonly KubeObject[], minor: number): string[] {
  return policies.flatMap((policy) => expressionsOf(policy).flatMap(({ where, expression }) =>
    lintExpression(expression, minor).map((problem) => `${where}: ${problem}`)));
}
