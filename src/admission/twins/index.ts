import { HARDENED_TWINS } from './hardened-twins';
import { PSS_TWINS } from './pss-twins';
import { SUPPLY_CHAIN_TWINS } from './supply-chain-twins';
import type { AdmissionTwin, TwinDeclarations } from '../twin';

/**
 * Every rule's admission twin declaration, keyed by rule id: a CEL twin, or `{ twin: 'none',
 * reason }`. A test fails for any rule of the registry that is missing here.
 */
export const ADMISSION_TWINS: TwinDeclarations = { ...PSS_TWINS, ...HARDENED_TWINS, ...SUPPLY_CHAIN_TWINS };

/** the twin declaration of a rule, or undefined when the rule declares none (a test keeps that from happening). */
export function admissionTwinOf(ruleId: string): AdmissionTwin | undefined {
  return (ADMISSION_TWINS as Record<string, AdmissionTwin | undefined>)[ruleId];
}
