/**
 * The secure values the constructs emit by default, in one place, so constructs, docs and
 * tests read the same numbers.
 */
export const SecurityDefaults = {
  /** non-root UID for every container (matches common distroless and Chainguard images' nonroot users above 10000). */
  USER: 10001,
  /** non-root GID for every container. */
  GROUP: 10001,
  /** group that owns mounted volumes. */
  FS_GROUP: 10001,
  /** the only capability a restricted pod may add. */
  NET_BIND_SERVICE: 'NET_BIND_SERVICE',
  /** default CPU request, in millicores: small, explicit, schedulable. */
  CPU_REQUEST_MILLIS: 50,
  /** default memory request, in MiB. */
  MEMORY_REQUEST_MIB: 64,
  /** default memory limit, in MiB; no CPU limit by default (throttling hurts latency more than it protects). */
  MEMORY_LIMIT_MIB: 256,
  /** default writable path under a read-only root. */
  TMP_PATH: '/tmp',
  /** size limit of the default /tmp emptyDir, in MiB. */
  TMP_SIZE_LIMIT_MIB: 64,
  /** default replica count. */
  REPLICAS: 2,
} as const;

/** capabilities Pod Security `baseline` allows to be added (PSS v1.28, case-sensitive). */
export const BASELINE_ALLOWED_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];
