import { Cron } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet, HardenedWorkload, HardenedWorkloadProps,
} from '../../src';

/** a digest-pinned test image. */
export const IMAGE = `registry.example.com/shop/app@sha256:${'a'.repeat(64)}`;

/** one hardened workload kind, built the same way in every shared test. */
export interface WorkloadKind {
  /** the Kubernetes kind. */
  readonly kind: string;
  /** builds the construct with the kind's required props added to `props`. */
  build(scope: Construct, id: string, props: Partial<HardenedWorkloadProps>): HardenedWorkload;
}

const base = (props: Partial<HardenedWorkloadProps>) => ({ containers: [{ image: IMAGE, portNumber: 8080 }], ...props });

/** every kind on the hardened pod core. */
export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { kind: 'Deployment', build: (scope, id, props) => new HardenedDeployment(scope, id, base(props)) },
  // a fixed service port, so containers without ports still get their headless Service.
  { kind: 'StatefulSet', build: (scope, id, props) => new HardenedStatefulSet(scope, id, { servicePorts: [{ name: 'http', port: 8080, targetPort: 8080 }], ...base(props) }) },
  { kind: 'Job', build: (scope, id, props) => new HardenedJob(scope, id, base(props)) },
  { kind: 'CronJob', build: (scope, id, props) => new HardenedCronJob(scope, id, { schedule: Cron.daily(), ...base(props) }) },
  { kind: 'DaemonSet', build: (scope, id, props) => new HardenedDaemonSet(scope, id, base(props)) },
];

/** the pod spec of a rendered workload object of any kind. */
export function podSpecIn(object: any): any {
  return object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
}

/** the pod template metadata of a rendered workload object of any kind. */
export function podMetadataIn(object: any): any {
  return object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.metadata : object.spec.template.metadata;
}

/** the JSON pointer of the pod spec of a kind, for patches. */
export function podSpecPointer(kind: string): string {
  return kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec' : '/spec/template/spec';
}
