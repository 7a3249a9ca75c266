import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { newNetworkPolicy } from './policy-helpers';
import { Labels } from '../model/labels';

/**
 * Props of `QuarantinePolicy`.
 */
export interface QuarantinePolicyProps {
  /**
   * The namespace of the policy.
   *
   * @default - the chart's namespace
   */
  readonly namespaceName?: string;
  /**
   * The policy's name.
   *
   * @default 'quarantine-deny-all'
   */
  readonly name?: string;
}

/**
 * Isolates quarantined pods in both directions. On its own this changes nothing, because
 * policies add up; it works because every allow policy the library emits also excludes pods
 * carrying the quarantine label.
 */
export class QuarantinePolicy extends Construct {
  /** the emitted NetworkPolicy. */
  public readonly policy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: QuarantinePolicyProps = {}) {
    super(scope, id);
    this.policy = newNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name ?? 'quarantine-deny-all', namespace: props.namespaceName },
      selector: kplus.Pods.select(this, 'Selector', { expressions: [kplus.LabelExpression.exists(Labels.QUARANTINE)] }),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
  }
}
