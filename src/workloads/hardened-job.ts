import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedWorkload, HardenedWorkloadExceptions, HardenedWorkloadProps } from './hardened-workload';
import { SecurityDefaults } from '../model/security-defaults';

/** reasoned exceptions to a `HardenedJob`'s secure defaults (the shared workload exceptions). */
export interface HardenedJobExceptions extends HardenedWorkloadExceptions {}

/** how long a Job may run, retry and stay around; shared by `HardenedJob` and `HardenedCronJob`. */
export interface JobLimits {
  /**
   * Failed pods retried before the Job fails.
   *
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * The longest a Job may run before it is stopped, retries included.
   *
   * @default Duration.hours(1)
   */
  readonly activeDeadline?: Duration;
}

/** props of `HardenedJob`. */
export interface HardenedJobProps extends HardenedWorkloadProps, JobLimits {
  /**
   * How long a finished Job (and its pods) stays before it is deleted.
   *
   * @default Duration.days(1)
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * Reasoned exceptions to the secure defaults.
   *
   * @default - none: the pods pass Pod Security `restricted`
   */
  readonly exceptions?: HardenedJobExceptions;
}

/**
 * A batch Job on the hardened pod core, with limits that keep a failing or hung run from
 * holding resources: 2 retries, a one-hour deadline, and deletion a day after it finishes.
 */
export class HardenedJob extends HardenedWorkload {
  /** the underlying cdk8s-plus Job. */
  declare public readonly resource: kplus.Job;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    const limits = jobLimitsOf(props ?? {});
    const ttl = props?.ttlAfterFinished ?? Duration.seconds(SecurityDefaults.JOB_TTL_SECONDS_AFTER_FINISHED);
    if (ttl.toSeconds() < 0) throw new Error(`ttlAfterFinished is ${ttl.toSeconds()}s: use 0 or more`);
    super(scope, id, props, {
      kind: 'Job',
      podTemplatePath: '/spec/template',
      create: (self, settings) => new kplus.Job(self, 'Resource', { ...settings, ...limits, ttlAfterFinished: ttl }),
    });
  }
}

/** validated Job limits with their defaults. */
export function jobLimitsOf(limits: JobLimits): Required<JobLimits> {
  const backoffLimit = limits.backoffLimit ?? SecurityDefaults.JOB_BACKOFF_LIMIT;
  if (!Number.isInteger(backoffLimit) || backoffLimit < 0) {
    throw new Error(`backoffLimit is ${backoffLimit}: use a whole number of retries, 0 or more`);
  }
  const activeDeadline = limits.activeDeadline ?? Duration.seconds(SecurityDefaults.JOB_ACTIVE_DEADLINE_SECONDS);
  if (activeDeadline.toSeconds() <= 0) throw new Error(`activeDeadline is ${activeDeadline.toSeconds()}s: use a positive duration`);
  return { backoffLimit, activeDeadline };
}
