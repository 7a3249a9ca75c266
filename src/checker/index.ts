// the checker's public API; the jest matcher stays out (import 'cdk8s-hardened/lib/checker/jest-setup')
// so that importing the package never needs @types/jest.
export * from './types';
export { POD_SPEC_KINDS, podSpecOf, containersOf } from './pod-spec';
export { checkManifests, failingFindings } from './engine';
export type { CheckOptions, CheckReport, CheckSummary, SkippedFile } from './engine';
export { PACK_NAMES, DEFAULT_PACK, packOf, isPackName } from './packs';
export type { Pack, PackName } from './packs';
export { loadInputs, parseManifests, InputError } from './input';
export { Guard, manifestsOf } from './guard';
export type { GuardOptions } from './guard';
export { HardenedValidation } from './validation-plugin';
export type { HardenedValidationProps } from './validation-plugin';
export { ALL_RULES, ruleById } from './rules';
