import { Chart, Cron, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HardenedCronJob, HardenedCronJobProps, HardenedJob, HardenedJobProps } from '../../src';
import { appWithNamespaces, TEST_NAMESPACE } from '../support/hardened-app';
import { validateAgainstSchema } from '../support/schema';
import { IMAGE } from '../support/workload-kinds';

function synthJob(props: Partial<HardenedJobProps> = {}) {
  const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
  new HardenedJob(chart, 'migrate', { containers: [{ image: IMAGE }], ...props });
  const objects = Testing.synth(chart);
  validateAgainstSchema(objects);
  return objects.find((o: any) => o.kind === 'Job');
}

function synthCronJob(props: Partial<HardenedCronJobProps> = {}) {
  const chart = new Chart(appWithNamespaces(), 'test', { namespace: TEST_NAMESPACE });
  new HardenedCronJob(chart, 'nightly', { schedule: Cron.schedule({ minute: '0', hour: '3' }), containers: [{ image: IMAGE }], ...props });
  const objects = Testing.synth(chart);
  validateAgainstSchema(objects);
  return objects.find((o: any) => o.kind === 'CronJob');
}

describe('HardenedJob |', () => {
  test('defaults: 2 retries, a one-hour deadline, deleted a day after it finishes, never restarted in place', () => {
    const job = synthJob();
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.selector).toBeUndefined();
  });

  test('limits can be set', () => {
    const job = synthJob({ backoffLimit: 0, activeDeadline: Duration.minutes(10), ttlAfterFinished: Duration.minutes(5) });
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 300 });
  });

  test.each([
    ['a negative backoffLimit', { backoffLimit: -1 }, /backoffLimit is -1: use a whole number of retries/],
    ['a fractional backoffLimit', { backoffLimit: 1.5 }, /backoffLimit is 1\.5/],
    ['a zero deadline', { activeDeadline: Duration.seconds(0) }, /activeDeadline is 0s: use a positive duration/],
  ])('fails on %s', (_case, props, message) => {
    expect(() => synthJob(props)).toThrow(message);
  });
});

describe('HardenedCronJob |', () => {
  test('defaults: Forbid, history 3/1, a five-minute starting deadline, UTC, the job limits', () => {
    const cron = synthCronJob();
    expect(cron.spec).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      suspend: false,
    });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expect(cron).toMatchSnapshot();
  });

  test('options', () => {
    const cron = synthCronJob({
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: kplus.ConcurrencyPolicy.REPLACE,
      startingDeadline: Duration.minutes(1),
      successfulJobsRetained: 0,
      failedJobsRetained: 5,
      backoffLimit: 4,
      activeDeadline: Duration.hours(2),
    });
    expect(cron.spec).toMatchObject({ timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 60, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 });
    expect(cron.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 4, activeDeadlineSeconds: 7200 });
  });

  test.each([
    ['no schedule', { schedule: undefined }, /schedule is missing: pass a cdk8s Cron/],
    ['a time zone that is no IANA name', { timeZone: 'CET+1' }, /timeZone is "CET\+1": use an IANA zone name/],
    ['a starting deadline under 10 seconds', { startingDeadline: Duration.seconds(5) }, /startingDeadline is 5s: the CronJob controller looks every 10 seconds/],
    ['a negative history', { failedJobsRetained: -1 }, /failedJobsRetained is -1/],
  ])('fails on %s', (_case, props, message) => {
    expect(() => synthCronJob(props as Partial<HardenedCronJobProps>)).toThrow(message);
  });
});
