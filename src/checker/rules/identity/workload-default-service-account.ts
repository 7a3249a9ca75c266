import { podServiceAccount } from './service-account-helpers';
import { RuleIds } from '../../../model/rule-ids';
import { podSpecUnderCheck, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule } from '../../types';

/** flags a workload that runs as its namespace's `default` ServiceAccount. */
export const workloadDefaultServiceAccountRule: Rule = {
  id: RuleIds.WORKLOAD_DEFAULT_SERVICE_ACCOUNT,
  title: 'Workload uses the default ServiceAccount',
  description: 'Indicates when a workload names no ServiceAccount (serviceAccountName, or the deprecated serviceAccount) or names default, so it shares an identity and its permissions with every other such workload in the namespace.',
  severity: 'error',
  remediation: 'Create a ServiceAccount for the workload with automountServiceAccountToken: false and set serviceAccountName to it.',
  references: {
    cis: ['5.1.5'],
    links: ['https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts'],
  },
  kinds: POD_SPEC_KINDS,
  check(object) {
    const pod = podSpecUnderCheck(object);
    if (!pod) return [];
    const account = podServiceAccount(pod);
    if (account.name !== 'default') return [];
    return [{
      message: account.explicit
        ? `${account.field} is "default"; give the workload its own ServiceAccount`
        : 'no serviceAccountName is set, so the pods run as the namespace\'s "default" ServiceAccount',
      path: `${pod.path}.${account.field}`,
    }];
  },
};
