import type { Rule } from '../types';
import { ingressNginxSnippetRule } from './exposure/ingress-nginx-snippet';
import { ingressTlsMissingRule } from './exposure/ingress-tls-missing';
import { serviceLoadBalancerRule } from './exposure/service-load-balancer';
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
import { defaultNamespaceRule } from './namespace/default-namespace';
import { namespaceDefaultDenyEgressRule } from './namespace/namespace-default-deny-egress';
import { namespaceDefaultDenyIngressRule } from './namespace/namespace-default-deny-ingress';
import { namespaceDefaultServiceAccountAutomountRule } from './namespace/namespace-default-service-account-automount';
import { namespacePsaLabelsRule } from './namespace/namespace-psa-labels';
import { netpolAllowAllIngressRule } from './network/netpol-allow-all-ingress';
import { netpolDnsAnyDestinationRule } from './network/netpol-dns-any-destination';
import { netpolEgressAllPodsRule } from './network/netpol-egress-all-pods';
import { netpolEgressNoDestinationRule } from './network/netpol-egress-no-destination';
import { netpolEgressNonPublicRangesRule } from './network/netpol-egress-non-public-ranges';
import { netpolIngressFromAnywhereRule } from './network/netpol-ingress-from-anywhere';
import { netpolMetadataReachableRule } from './network/netpol-metadata-reachable';
import { auditPolicyGapsRule } from './node-config/audit-policy-gaps';
import { authenticationAnonymousUnrestrictedRule } from './node-config/authentication-anonymous-unrestricted';
import { encryptionConfigWeakRule } from './node-config/encryption-config-weak';
import { kubeadmControlPlaneInsecureRule } from './node-config/kubeadm-control-plane-insecure';
import { kubeletConfigInsecureRule } from './node-config/kubelet-config-insecure';
import { kubeletConfigWeakRule } from './node-config/kubelet-config-weak';
import { rbacAdmissionConfigWriteRule } from './rbac/rbac-admission-config-write';
import { rbacAggregateToBuiltInRule } from './rbac/rbac-aggregate-to-built-in';
import { rbacBindingEscalationRule } from './rbac/rbac-binding-escalation';
import { rbacClusterAdminBindingRule } from './rbac/rbac-cluster-admin-binding';
import { rbacCreatePersistentVolumesRule } from './rbac/rbac-create-persistent-volumes';
import { rbacCreatePodsRule } from './rbac/rbac-create-pods';
import { rbacCsrApprovalRule } from './rbac/rbac-csr-approval';
import { rbacDefaultServiceAccountBindingRule } from './rbac/rbac-default-service-account-binding';
import { rbacEphemeralContainersRule } from './rbac/rbac-ephemeral-containers';
import { rbacEscalationVerbsRule } from './rbac/rbac-escalation-verbs';
import { rbacNodesProxyRule } from './rbac/rbac-nodes-proxy';
import { rbacPodsExecRule } from './rbac/rbac-pods-exec';
import { rbacPortForwardRule } from './rbac/rbac-port-forward';
import { rbacReadSecretsRule } from './rbac/rbac-read-secrets';
import { rbacServiceStatusRule } from './rbac/rbac-service-status';
import { rbacSystemGroupBindingRule } from './rbac/rbac-system-group-binding';
import { rbacTokenRequestRule } from './rbac/rbac-token-request';
import { rbacWildcardRule } from './rbac/rbac-wildcard';
import { rbacWorkloadRewriteRule } from './rbac/rbac-workload-rewrite';
import { clusterSecretStoreUnrestrictedRule } from './storage/cluster-secret-store-unrestricted';
import { pvHostPathRule } from './storage/pv-host-path';
import { secretCommittedDataRule } from './storage/secret-committed-data';
import { secretInEnvRule } from './storage/secret-in-env';
import { secretLiteralInConfigMapRule } from './storage/secret-literal-in-config-map';
import { secretLiteralInEnvRule } from './storage/secret-literal-in-env';
import { secretStoreStaticCredentialsRule } from './storage/secret-store-static-credentials';
import { imageDigestMissingRule } from './supply-chain/image-digest-missing';
import { imageRegistryNotAllowedRule } from './supply-chain/image-registry-not-allowed';
import { imageTagLatestRule } from './supply-chain/image-tag-latest';

/**
 * The `hardened` pack's rules beyond PSS restricted: namespace posture, network, identity,
 * RBAC, supply chain, hygiene and node configuration files, in the order of `RuleIds`.
 */
export const HARDENED_EXTRA_RULES: Rule[] = [
  namespacePsaLabelsRule,
  namespaceDefaultDenyIngressRule,
  namespaceDefaultDenyEgressRule,
  namespaceDefaultServiceAccountAutomountRule,
  defaultNamespaceRule,
  netpolMetadataReachableRule,
  netpolEgressNoDestinationRule,
  netpolDnsAnyDestinationRule,
  netpolAllowAllIngressRule,
  netpolIngressFromAnywhereRule,
  netpolEgressAllPodsRule,
  netpolEgressNonPublicRangesRule,
  workloadTokenAutomountRule,
  workloadDefaultServiceAccountRule,
  rbacClusterAdminBindingRule,
  rbacWildcardRule,
  rbacEscalationVerbsRule,
  rbacCreatePodsRule,
  rbacReadSecretsRule,
  rbacPodsExecRule,
  rbacNodesProxyRule,
  rbacTokenRequestRule,
  rbacEphemeralContainersRule,
  rbacPortForwardRule,
  rbacWorkloadRewriteRule,
  rbacCsrApprovalRule,
  rbacAdmissionConfigWriteRule,
  rbacServiceStatusRule,
  rbacCreatePersistentVolumesRule,
  rbacAggregateToBuiltInRule,
  rbacBindingEscalationRule,
  rbacSystemGroupBindingRule,
  rbacDefaultServiceAccountBindingRule,
  serviceLoadBalancerRule,
  ingressTlsMissingRule,
  ingressNginxSnippetRule,
  pvHostPathRule,
  secretInEnvRule,
  secretCommittedDataRule,
  secretLiteralInEnvRule,
  secretLiteralInConfigMapRule,
  secretStoreStaticCredentialsRule,
  clusterSecretStoreUnrestrictedRule,
  imageDigestMissingRule,
  imageTagLatestRule,
  imageRegistryNotAllowedRule,
  containerWritableRootRule,
  containerRootGroupRule,
  containerMemoryLimitRule,
  containerRequestsRule,
  containerProbesRule,
  hostPathCriSocketRule,
  serviceNodePortRule,
  serviceExternalIpsRule,
  kubeletConfigInsecureRule,
  kubeletConfigWeakRule,
  kubeadmControlPlaneInsecureRule,
  encryptionConfigWeakRule,
  auditPolicyGapsRule,
  authenticationAnonymousUnrestrictedRule,
];
