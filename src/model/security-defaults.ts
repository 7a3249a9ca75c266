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
  /** default replica count of a Deployment. */
  REPLICAS: 2,
  /** default replica count of a StatefulSet: one, because adding members of a stateful system is a decision. */
  STATEFUL_SET_REPLICAS: 1,
  /** default size of each StatefulSet volume claim, in GiB. */
  VOLUME_CLAIM_SIZE_GIB: 1,
  /** retries of a failed Job pod before the Job fails. */
  JOB_BACKOFF_LIMIT: 2,
  /** a Job that runs longer than this (seconds) is stopped: a hung batch run must not hold resources forever. */
  JOB_ACTIVE_DEADLINE_SECONDS: 3600,
  /** a finished Job (and its pods and logs) is deleted after this many seconds. */
  JOB_TTL_SECONDS_AFTER_FINISHED: 86400,
  /** a CronJob run that cannot start within this many seconds of its schedule is skipped. */
  CRON_JOB_STARTING_DEADLINE_SECONDS: 300,
  /** successful CronJob runs kept for inspection. */
  CRON_JOB_SUCCESSFUL_HISTORY: 3,
  /** failed CronJob runs kept for inspection. */
  CRON_JOB_FAILED_HISTORY: 1,
  /** the time zone CronJob schedules are read in, so a schedule does not move with the controller's clock. */
  CRON_JOB_TIME_ZONE: 'Etc/UTC',
} as const;

/** capabilities Pod Security `baseline` allows to be added (PSS v1.28, case-sensitive). */
export const BASELINE_ALLOWED_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/**
 * Namespaces Kubernetes itself creates: a workload there runs next to cluster components or in
 * the catch-all `default`, without a `HardenedNamespace`'s isolation, so it needs an exception.
 */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
