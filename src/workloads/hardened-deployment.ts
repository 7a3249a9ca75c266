import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedWorkload, HardenedWorkloadExceptions, HardenedWorkloadProps } from './hardened-workload';
import { SecurityDefaults } from '../model/security-defaults';

/** reasoned exceptions to a `HardenedDeployment`'s secure defaults (the shared workload exceptions). */
export interface HardenedDeploymentExceptions extends HardenedWorkloadExceptions {}

/**
 * Props for `HardenedDeployment`.
 */
export interface HardenedDeploymentProps extends HardenedWorkloadProps {
  /**
   * Number of pods.
   *
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Reasoned exceptions to the secure defaults.
   *
   * @default - none: the pods pass Pod Security `restricted`
   */
  readonly exceptions?: HardenedDeploymentExceptions;
}

/**
 * A cdk8s-plus Deployment on the hardened pod core: with no options its pods pass Pod Security
 * `restricted` (v1.28) and the `hardened` pack, and synth fails when anything weakens them
 * without a reasoned exception.
 */
export class HardenedDeployment extends HardenedWorkload {
  /** the underlying cdk8s-plus Deployment. */
  declare public readonly resource: kplus.Deployment;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    const replicas = props?.replicas ?? SecurityDefaults.REPLICAS;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new Error(`replicas is ${replicas}: use a whole number of pods, 0 or more`);
    }
    super(scope, id, props, {
      kind: 'Deployment',
      podTemplatePath: '/spec/template',
      create: (self, settings) => new kplus.Deployment(self, 'Resource', { ...settings, replicas }),
    });
  }
}
