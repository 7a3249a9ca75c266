import { Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { jobLimitsOf, JobLimits } from './hardened-job';
import { HardenedWorkload, HardenedWorkloadExceptions, HardenedWorkloadProps } from './hardened-workload';
import { SecurityDefaults } from '../model/security-defaults';

/** reasoned exceptions to a `HardenedCronJob`'s secure defaults (the shared workload exceptions). */
export interface HardenedCronJobExceptions extends HardenedWorkloadExceptions {}

/** props of `HardenedCronJob`. */
export interface HardenedCronJobProps extends HardenedWorkloadProps, JobLimits {
  /** when the job runs, e.g. `Cron.daily()` or `Cron.schedule({ minute: '0', hour: '3' })`. */
  readonly schedule: Cron;
  /**
   * The IANA time zone the schedule is read in.
   *
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the previous one still runs.
   *
   * @default kplus.ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;
  /**
   * A run that cannot start within this time of its schedule is skipped (at least 10 seconds).
   *
   * @default Duration.minutes(5)
   */
  readonly startingDeadline?: Duration;
  /**
   * Successful runs kept for inspection.
   *
   * @default 3
   */
  readonly successfulJobsRetained?: number;
  /**
   * Failed runs kept for inspection.
   *
   * @default 1
   */
  readonly failedJobsRetained?: number;
  /**
   * Reasoned exceptions to the secure defaults.
   *
   * @default - none: the pods pass Pod Security `restricted`
   */
  readonly exceptions?: HardenedCronJobExceptions;
}

const TIME_ZONE = /^(Etc\/UTC|UTC|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/;

/**
 * A CronJob on the hardened pod core: runs never overlap (`concurrencyPolicy: Forbid`), a
 * missed run is skipped after five minutes, three successful and one failed run are kept, the
 * schedule is read in UTC unless told otherwise, and each run has the `HardenedJob` limits.
 */
export class HardenedCronJob extends HardenedWorkload {
  /** the underlying cdk8s-plus CronJob. */
  declare public readonly resource: kplus.CronJob;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    if (!props?.schedule || typeof props.schedule.expressionString !== 'string') {
      throw new Error('schedule is missing: pass a cdk8s Cron, e.g. Cron.daily() or Cron.schedule({ minute: "0", hour: "3" })');
    }
    const limits = jobLimitsOf(props);
    const timeZone = props.timeZone ?? SecurityDefaults.CRON_JOB_TIME_ZONE;
    if (!TIME_ZONE.test(timeZone)) throw new Error(`timeZone is ${JSON.stringify(timeZone)}: use an IANA zone name such as "Etc/UTC" or "Europe/Berlin"`);
    const startingDeadline = props.startingDeadline ?? Duration.seconds(SecurityDefaults.CRON_JOB_STARTING_DEADLINE_SECONDS);
    if (startingDeadline.toSeconds() < 10) {
      throw new Error(`startingDeadline is ${startingDeadline.toSeconds()}s: the CronJob controller looks every 10 seconds, so use 10 seconds or more`);
    }
    const successfulJobsRetained = historyOf('successfulJobsRetained', props.successfulJobsRetained, SecurityDefaults.CRON_JOB_SUCCESSFUL_HISTORY);
    const failedJobsRetained = historyOf('failedJobsRetained', props.failedJobsRetained, SecurityDefaults.CRON_JOB_FAILED_HISTORY);
    super(scope, id, props, {
      kind: 'CronJob',
      podTemplatePath: '/spec/jobTemplate/spec/template',
      create: (self, settings) => new kplus.CronJob(self, 'Resource', {
        ...settings,
        ...limits,
        schedule: props.schedule,
        timeZone,
        concurrencyPolicy: props.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID,
        startingDeadline,
        successfulJobsRetained,
        failedJobsRetained,
      }),
    });
  }
}

function historyOf(prop: string, value: number | undefined, fallback: number): number {
  const count = value ?? fallback;
  if (!Number.isInteger(count) || count < 0) throw new Error(`${prop} is ${count}: use a whole number of runs, 0 or more`);
  return count;
}
