/**
 * Evaluates generated ValidatingAdmissionPolicies the way the API server does, with @bufbuild/cel
 * (a conformant CEL with RE2 and cel-go's error semantics): matchConditions first (false skips the
 * policy, an error fails under failurePolicy Fail), then every validation (false or an error
 * denies). Variables are inlined into the expressions that read them, which keeps the API
 * server's lazy semantics: an erroring variable fails only an expression that needs its value.
 */
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { KubeObject } from '../../src/checker/types';

const ENV = celEnv({ funcs: strings });
type Program = (bindings: Record<string, unknown>) => unknown;
const PROGRAMS = new Map<string, Program>();

/** a compiled expression; compile errors throw (a policy that does not parse is a bug, not a verdict). */
function programOf(expression: string): Program {
  let program = PROGRAMS.get(expression);
  if (!program) {
    program = plan(ENV, parse(expression)) as Program;
    PROGRAMS.set(expression, program);
  }
  return program;
}

/** JSON to CEL values: integers become CEL ints (bigint), other numbers doubles. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, toCel(item)]));
  }
  return value;
}

/** the outcome of one expression: a value, or the error message. */
export type CelOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

export function evaluate(expression: string, bindings: Record<string, unknown>): CelOutcome {
  const result = programOf(expression)(bindings);
  return isCelError(result) ? { ok: false, error: (result as { message: string }).message } : { ok: true, value: result };
}

interface Variable { readonly name: string; readonly expression: string }

/** replaces `variables.<name>` with the variable's (already inlined) expression. */
export function inlineVariables(expression: string, variables: readonly Variable[]): string {
  const inlined = new Map<string, string>();
  const substitute = (text: string) => text.replace(/\bvariables\.([A-Za-z_][A-Za-z0-9_]*)/g, (match, name: string) => {
    const value = inlined.get(name);
    if (value === undefined) throw new Error(`expression reads ${match}, which is not defined before it`);
    return `(${value})`;
  });
  for (const variable of variables) inlined.set(variable.name, substitute(variable.expression));
  return substitute(expression);
}

/** what one policy decides about one request. */
export interface PolicyDecision {
  /** false when a matchCondition was false: the policy does not apply. */
  readonly matched: boolean;
  readonly admitted: boolean;
  /** messages of the validations that failed, and errors. */
  readonly reasons: readonly string[];
  /** evaluation errors (each also denies, under failurePolicy Fail). */
  readonly errors: readonly string[];
}

/** the request fields the policies read. */
export interface AdmissionRequestShape {
  readonly operation?: string;
  readonly subResource?: string;
  /** the object before an UPDATE. */
  readonly oldObject?: KubeObject;
  readonly userInfo?: { readonly username: string; readonly groups?: readonly string[] };
}

export const DEFAULT_REQUEST: AdmissionRequestShape = { operation: 'CREATE', userInfo: { username: 'jane@example.com', groups: ['system:authenticated'] } };

/** evaluates one policy over one object, as admission would (the object must be of a kind the policy matches). */
export function decide(policy: KubeObject, object: KubeObject, request: AdmissionRequestShape = DEFAULT_REQUEST): PolicyDecision {
  const spec = policy.spec as {
    failurePolicy?: string;
    matchConditions?: Variable[];
    variables?: Variable[];
    validations: { expression: string; message?: string; messageExpression?: string }[];
  };
  if (spec.failurePolicy !== 'Fail') throw new Error('the generator must emit failurePolicy: Fail');
  const { oldObject, ...requestFields } = request;
  const bindings = {
    object: toCel(object),
    oldObject: oldObject ? toCel(oldObject) : null,
    request: toCel({ ...requestFields, kind: { kind: object.kind } }),
  };
  const errors: string[] = [];
  for (const condition of spec.matchConditions ?? []) {
    const outcome = evaluate(condition.expression, bindings);
    if (!outcome.ok) errors.push(`matchCondition ${condition.name}: ${outcome.error}`);
    else if (outcome.value === false) return { matched: false, admitted: true, reasons: [], errors: [] };
    else if (outcome.value !== true) errors.push(`matchCondition ${condition.name} returned ${String(outcome.value)}`);
  }
  if (errors.length > 0) return { matched: true, admitted: false, reasons: errors, errors };
  const reasons: string[] = [];
  for (const validation of spec.validations) {
    const outcome = evaluate(inlineVariables(validation.expression, spec.variables ?? []), bindings);
    if (!outcome.ok) {
      errors.push(outcome.error);
      reasons.push(`error: ${outcome.error}`);
    } else if (outcome.value !== true) {
      let message = validation.message ?? validation.expression;
      if (validation.messageExpression) {
        const text = evaluate(inlineVariables(validation.messageExpression, spec.variables ?? []), bindings);
        if (text.ok && typeof text.value === 'string' && text.value.trim() !== '') message = text.value;
      }
      reasons.push(message);
    }
  }
  return { matched: true, admitted: reasons.length === 0, reasons, errors };
}
