import type { Rule } from '../types';

/**
 * The `hardened` pack's rules beyond PSS restricted: namespace posture, network, identity,
 * RBAC, supply chain and hygiene, in a stable order.
 */
export const HARDENED_EXTRA_RULES: Rule[] = [];
