import { KUBE_APISERVER_PROBE_PATCH_FILE, KubeadmConfiguration } from '../cluster-config/kubeadm-configuration';

/** the Kubernetes release the reference platform's control plane runs (CIS 1.8 covers 1.27/1.28; PSA is pinned to v1.28). */
export const REFERENCE_KUBERNETES_VERSION = 'v1.28.15';

/** one file of the node-files folder: its path there and its text. */
export interface NodeFile {
  readonly name: string;
  readonly text: string;
}

/**
 * The reference platform's control plane and nodes, as files: the kubeadm configuration (with the
 * kubelet configuration), the encryption configuration (KMS v2), the audit policy, the standalone
 * kubelet configuration, and the kubeadm patch that keeps the API server's probes working with
 * anonymous access off. File names match the node paths the kubeadm flags name, so
 * `cdk8s-hardened cis node-files/` finds them.
 */
export function buildControlPlaneNodeFiles(): { readonly kubeadm: KubeadmConfiguration; readonly files: readonly NodeFile[] } {
  const kubeadm = new KubeadmConfiguration({ kubernetesVersion: REFERENCE_KUBERNETES_VERSION });
  const files: NodeFile[] = [
    { name: 'kubeadm-config.yaml', text: kubeadm.toYaml() },
    { name: 'encryption-configuration.yaml', text: kubeadm.encryption.toYaml() },
    { name: 'audit-policy.yaml', text: kubeadm.auditPolicy.toYaml() },
    { name: 'kubelet-config.yaml', text: kubeadm.kubelet.toYaml() },
  ];
  const patch = kubeadm.probePatchYaml();
  if (patch !== undefined) files.push({ name: `kubeadm-patches/${KUBE_APISERVER_PROBE_PATCH_FILE}`, text: patch });
  if (kubeadm.authentication !== undefined) files.push({ name: 'authentication-configuration.yaml', text: kubeadm.authentication.toYaml() });
  return { kubeadm, files };
}
