import type { Rule } from '../types';
import { containerMemoryLimitRule } from './hygiene/container-memory-limit';
import { containerProbesRule } from './hygiene/container-probes';
import { containerRequestsRule } from './hygiene/container-requests';
import { containerRootGroupRule } from './hygiene/container-root-group';
import { containerWritableRootRule } from './hygiene/container-writable-root';
import { hostPathCriSocketRule } from './hygiene/host-path-cri-socket';
import { serviceExternalIpsRule } from './hygiene/service-external-ips';
import { serviceNodePortRule } from './hygiene/service-node-port';
import { workloadDefaultServiceAccountRule } from './identity/workload-default-service-account';
import { workloadTokenAutomountRule } from './identity/workload-token-automount';
import { namespaceDefaultDenyEgressRule } from './namespace/namespace-default-deny-egress';
import { namespaceDefaultDenyIngressRule } from './namespace/namespace-default-deny-ingress';
import { namespaceDefaultServiceAccountAutomountRule } from './namespace/namespace-default-service-account-automount';
import { namespacePsaLabelsRule } from './namespace/namespace-psa-labels';
import { netpolDnsAnyDestinationRule } from './network/netpol-dns-any-destination';
import { netpolEgressNoDestinationRule } from './network/netpol-egress-no-destination';
import { netpolMetadataReachableRule } from './network/netpol-metadata-reachable';
import { rbacClusterAdminBindingRule } from './rbac/rbac-cluster-admin-binding';
import { rbacCreatePodsRule } from './rbac/rbac-create-pods';
import { rbacEscalationVerbsRule } from './rbac/rbac-escalation-verbs';
import { rbacPodsExecRule } from './rbac/rbac-pods-exec';
import { rbacReadSecretsRule } from './rbac/rbac-read-secrets';
import { rbacWildcardRule } from './rbac/rbac-wildcard';
import { imageDigestMissingRule } from './supply-chain/image-digest-missing';
import { imageTagLatestRule } from './supply-chain/image-tag-latest';

/**
 * The `hardened` pack's rules beyond PSS restricted: namespace posture, network, identity,
 * RBAC, supply chain and hygiene, in the order of `RuleIds`.
 */
export const HARDENED_EXTRA_RULES: Rule[] = [
  namespacePsaLabelsRule,
  namespaceDefaultDenyIngressRule,
  namespaceDefaultDenyEgressRule,
  namespaceDefaultServiceAccountAutomountRule,
  netpolMetadataReachableRule,
  netpolEgressNoDestinationRule,
  netpolDnsAnyDestinationRule,
  workloadTokenAutomountRule,
  workloadDefaultServiceAccountRule,
  rbacClusterAdminBindingRule,
  rbacWildcardRule,
  rbacEscalationVerbsRule,
  rbacCreatePodsRule,
  rbacReadSecretsRule,
  rbacPodsExecRule,
  imageDigestMissingRule,
  imageTagLatestRule,
  containerWritableRootRule,
  containerRootGroupRule,
  containerMemoryLimitRule,
  containerRequestsRule,
  containerProbesRule,
  hostPathCriSocketRule,
  serviceNodePortRule,
  serviceExternalIpsRule,
];
