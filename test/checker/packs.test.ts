import { DEFAULT_PACK, isPackName, PACK_NAMES, packOf } from '../../src/checker/packs';
import type { Severity } from '../../src/checker/types';

const BASELINE = [
  'pss-app-armor-profile', 'pss-capabilities-baseline', 'pss-host-namespaces', 'pss-host-path-volumes', 'pss-host-ports',
  'pss-privileged', 'pss-proc-mount', 'pss-se-linux-options', 'pss-seccomp-profile-baseline', 'pss-sysctls', 'pss-windows-host-process',
];
// restricted's overrides: restrictedVolumes replaces hostPathVolumes, seccompProfile_restricted
// replaces seccompProfile_baseline, capabilities_restricted replaces capabilities_baseline.
const RESTRICTED = [
  'pss-allow-privilege-escalation', 'pss-app-armor-profile', 'pss-capabilities-restricted', 'pss-host-namespaces', 'pss-host-ports',
  'pss-privileged', 'pss-proc-mount', 'pss-restricted-volumes', 'pss-run-as-non-root', 'pss-run-as-user', 'pss-se-linux-options',
  'pss-seccomp-profile-restricted', 'pss-sysctls', 'pss-windows-host-process',
];
const HARDENED_SEVERITIES: Record<string, Severity> = {
  ...Object.fromEntries(RESTRICTED.map((id) => [id, 'error'])),
  'namespace-psa-labels': 'error',
  'namespace-default-deny-ingress': 'error',
  'namespace-default-deny-egress': 'error',
  'namespace-default-service-account-automount': 'error',
  'default-namespace': 'warning',
  'netpol-metadata-reachable': 'error',
  'netpol-egress-no-destination': 'error',
  'netpol-dns-any-destination': 'error',
  'netpol-allow-all-ingress': 'error',
  'netpol-ingress-from-anywhere': 'error',
  'netpol-egress-all-pods': 'error',
  'netpol-egress-non-public-ranges': 'error',
  'workload-token-automount': 'error',
  'workload-default-service-account': 'error',
  'rbac-cluster-admin-binding': 'error',
  'rbac-wildcard': 'error',
  'rbac-escalation-verbs': 'error',
  'rbac-create-pods': 'warning',
  'rbac-read-secrets': 'error',
  'rbac-pods-exec': 'error',
  'rbac-nodes-proxy': 'error',
  'rbac-token-request': 'error',
  'rbac-ephemeral-containers': 'error',
  'rbac-port-forward': 'error',
  'rbac-workload-rewrite': 'error',
  'rbac-csr-approval': 'error',
  'rbac-admission-config-write': 'error',
  'rbac-service-status': 'error',
  'rbac-create-persistent-volumes': 'error',
  'rbac-aggregate-to-built-in': 'error',
  'rbac-binding-escalation': 'error',
  'rbac-system-group-binding': 'error',
  'rbac-default-service-account-binding': 'error',
  'service-load-balancer': 'warning',
  'ingress-tls-missing': 'error',
  'ingress-nginx-snippet': 'error',
  'pv-host-path': 'error',
  'secret-in-env': 'warning',
  'secret-committed-data': 'error',
  'secret-literal-in-env': 'error',
  'secret-literal-in-config-map': 'error',
  'secret-store-static-credentials': 'error',
  'cluster-secret-store-unrestricted': 'error',
  'image-digest-missing': 'error',
  'image-tag-latest': 'warning',
  'image-registry-not-allowed': 'error',
  'container-writable-root': 'warning',
  'container-root-group': 'warning',
  'container-memory-limit': 'warning',
  'container-requests': 'warning',
  'container-probes': 'info',
  'host-path-cri-socket': 'error',
  'service-node-port': 'warning',
  'service-external-ips': 'error',
  'kubelet-config-insecure': 'error',
  'kubelet-config-weak': 'warning',
  'kubeadm-control-plane-insecure': 'error',
  'encryption-config-weak': 'error',
  'audit-policy-gaps': 'error',
  'authentication-anonymous-unrestricted': 'error',
};

function idsOf(name: typeof PACK_NAMES[number]): string[] {
  return packOf(name).rules.map((rule) => rule.id).sort();
}

test('pss-baseline is exactly the 11 baseline checks', () => {
  expect(idsOf('pss-baseline')).toEqual(BASELINE);
});

test('pss-restricted is exactly the 14 restricted checks after overrides', () => {
  expect(idsOf('pss-restricted')).toEqual(RESTRICTED);
});

test('hardened is pss-restricted plus the hardened rules, with these severities', () => {
  const pack = packOf('hardened');
  expect(idsOf('hardened')).toEqual(Object.keys(HARDENED_SEVERITIES).sort());
  expect(Object.fromEntries(pack.rules.map((rule) => [rule.id, pack.severityOf(rule.id)]))).toEqual(HARDENED_SEVERITIES);
});

test('every PSS violation is an error in its pack, and the meta ids are errors everywhere', () => {
  for (const name of PACK_NAMES) {
    const pack = packOf(name);
    for (const rule of pack.rules.filter((r) => r.references.pss)) expect([rule.id, pack.severityOf(rule.id)]).toEqual([rule.id, 'error']);
    for (const id of ['rule-error', 'suppression-invalid', 'suppression-expired'] as const) expect(pack.severityOf(id)).toBe('error');
  }
});

test('the default pack is hardened; unknown names are refused', () => {
  expect(DEFAULT_PACK).toBe('hardened');
  expect(packOf().name).toBe('hardened');
  expect(isPackName('pss-restricted')).toBe(true);
  expect(isPackName('restricted')).toBe(false);
  expect(() => packOf('restricted' as never)).toThrow(/unknown pack "restricted": use one of pss-baseline, pss-restricted, hardened/);
});
