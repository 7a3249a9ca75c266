import { RuleIds } from '../../../model/rule-ids';
import { podSpecUnderCheck, POD_SPEC_KINDS } from '../../pod-spec';
import type { Rule } from '../../types';
import { namespaceOf } from '../rule-helpers';
import { podServiceAccount } from './service-account-helpers';

/**
 * Flags a workload whose pods get a ServiceAccount token mounted.
 *
 * The effective value follows Kubernetes: the pod's `automountServiceAccountToken` wins when set;
 * else the ServiceAccount's (looked up in the input, same namespace); else Kubernetes mounts it.
 */
export const workloadTokenAutomountRule: Rule = {
  id: RuleIds.WORKLOAD_TOKEN_AUTOMOUNT,
  title: 'ServiceAccount token automounted',
  description: 'Indicates when a workload\'s pods get a ServiceAccount API token mounted: the pod sets automountServiceAccountToken: true, or leaves it unset while its ServiceAccount does not set false (or is not in the input).',
  severity: 'error',
  remediation: 'Set automountServiceAccountToken: false in the pod spec, and mount a projected token volume only in workloads that call the Kubernetes API.',
  references: {
    cis: ['5.1.6'],
    nsa: ['C-0034'],
    links: ['https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting'],
  },
  kinds: POD_SPEC_KINDS,
  check(object, context) {
    const pod = podSpecUnderCheck(object);
    if (!pod) return [];
    const path = `${pod.path}.automountServiceAccountToken`;
    const podValue = pod.spec.automountServiceAccountToken;
    if (podValue === false) return [];
    if (podValue === true) {
      return [{ message: 'the pod spec sets automountServiceAccountToken: true, which overrides its ServiceAccount', path }];
    }
    // a non-boolean (such as the string "false") is not a valid setting, so the ServiceAccount decides.
    const podSetting = podValue === undefined || podValue === null ? 'automountServiceAccountToken is unset' : `automountServiceAccountToken is ${JSON.stringify(podValue)}, not a boolean,`;
    const account = podServiceAccount(pod);
    const namespace = namespaceOf(object);
    const found = context.find('ServiceAccount', namespace, account.name);
    if (found?.automountServiceAccountToken === false) return [];
    const where = namespace === undefined ? 'the same namespace' : `namespace ${JSON.stringify(namespace)}`;
    return [{
      message: found
        ? `${podSetting} and ServiceAccount ${JSON.stringify(account.name)} in ${where} does not set it to false, so the token is mounted`
        : `${podSetting} and ServiceAccount ${JSON.stringify(account.name)} is not in the input for ${where}, so Kubernetes mounts the token`,
      path,
    }];
  },
};
