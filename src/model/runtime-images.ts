/**
 * Images the library itself puts into generated Jobs, pinned by digest.
 *
 * Digests cannot be looked up offline: each one is recorded with where it was read. Verify
 * before relying on it (`crane digest <repo>:<tag>` or `docker buildx imagetools inspect`), and
 * pass your own mirror's reference through the constructs' `image` prop.
 */
export const RuntimeImages = {
  /**
   * The upstream network-policy test image; `agnhost connect` reports TIMEOUT / REFUSED / DNS /
   * OTHER (test/images/agnhost/connect in kubernetes/kubernetes). The 2.53 index digest as
   * published for registry.k8s.io and used by several public e2e setups.
   */
  AGNHOST: 'registry.k8s.io/e2e-test-images/agnhost:2.53@sha256:99c6b4bb4a1e1df3f0b3752168c89358794d02258ebebc26bf21c29399011a85',
  /**
   * kube-bench v0.15.6 (aquasecurity/kube-bench), the digest as recorded by a public deployment
   * descriptor; verify it against the registry before use.
   */
  KUBE_BENCH: 'docker.io/aquasec/kube-bench:v0.15.6@sha256:861900910eec45b54a97e4a2af81b16fae7203d768f7f8e7de3b7456807870f5',
} as const;
