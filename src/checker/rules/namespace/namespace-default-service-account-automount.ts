import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';
import { nameOf } from '../rule-helpers';

/** flags a Namespace whose `default` ServiceAccount is missing from the input or automounts its token. */
export const namespaceDefaultServiceAccountAutomountRule: Rule = {
  id: RuleIds.NAMESPACE_DEFAULT_SERVICE_ACCOUNT_AUTOMOUNT,
  title: 'Default ServiceAccount automounts its token',
  description: 'Indicates when the default ServiceAccount of a Namespace is not in the input with automountServiceAccountToken: false, so every pod that names no ServiceAccount gets an API token.',
  severity: 'error',
  remediation: 'Declare the ServiceAccount named default in the Namespace with automountServiceAccountToken: false.',
  references: {
    cis: ['5.1.5', '5.1.6'],
    nsa: ['C-0034'],
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
  },
  kinds: ['Namespace'],
  check(object, context) {
    const name = nameOf(object);
    if (!name) return [];
    const account = context.find('ServiceAccount', name, 'default');
    if (!account) {
      return [{
        message: `namespace ${JSON.stringify(name)} has no ServiceAccount "default" in the input, so Kubernetes creates one that automounts its token`,
        path: 'metadata.name',
      }];
    }
    if (account.automountServiceAccountToken === false) return [];
    return [{
      message: account.automountServiceAccountToken === undefined
        ? `ServiceAccount "default" in namespace ${JSON.stringify(name)} leaves automountServiceAccountToken unset, so Kubernetes mounts its token; set it to false`
        : `ServiceAccount "default" in namespace ${JSON.stringify(name)} has automountServiceAccountToken ${JSON.stringify(account.automountServiceAccountToken)}; set it to false`,
      path: 'metadata.name',
    }];
  },
};
