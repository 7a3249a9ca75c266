import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { catalogueCidrs, keepClusterScoped, validateDnsLabel } from './policy-helpers';

/**
 * Props of `CalicoMetadataDeny`.
 */
export interface CalicoMetadataDenyProps {
  /**
   * The catalogue metadata addresses to deny. Leave out the addresses a `MetadataAccess`
   * opt-in needs: this tier is evaluated before Kubernetes NetworkPolicies.
   *
   * @default - every catalogue address
   */
  readonly addresses?: string[];
  /**
   * The name of the Calico tier holding the deny.
   *
   * @default 'cdk8s-hardened'
   */
  readonly tierName?: string;
  /**
   * The tier's order; lower is evaluated first. Kubernetes NetworkPolicies live in the
   * `default` tier (order 1000000).
   *
   * @default 100
   */
  readonly tierOrder?: number;
}

/**
 * A cluster-wide hard deny of the cloud metadata addresses as raw Calico objects
 * (projectcalico.org/v3): a `Tier` evaluated before the `default` tier, and a
 * `GlobalNetworkPolicy` in it that denies egress to the addresses and passes everything else
 * on to the Kubernetes NetworkPolicies. It selects pods only (`namespaceSelector: all()`), never
 * host endpoints. Needs Calico with the Tier resource; `Pass` in the
 * default tier would skip the Kubernetes policies, hence the separate tier.
 */
export class CalicoMetadataDeny extends Construct {
  /** the Tier. */
  public readonly tier: ApiObject;
  /** the GlobalNetworkPolicy. */
  public readonly policy: ApiObject;

  constructor(scope: Construct, id: string, props: CalicoMetadataDenyProps = {}) {
    super(scope, id);
    const tierName = validateDnsLabel(props.tierName ?? 'cdk8s-hardened', 'tierName');
    const tierOrder = props.tierOrder ?? 100;
    if (!Number.isFinite(tierOrder) || tierOrder < 0 || tierOrder >= 1000000) {
      throw new Error(`tierOrder is ${tierOrder}: give a number from 0 to below 1000000 so the tier runs before the default tier`);
    }
    const nets = catalogueCidrs(props.addresses, 'addresses');
    // calico's crds are not in the k8s schema, so the objects are raw
    this.tier = new ApiObject(this, 'Tier', {
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: tierName },
      spec: { order: tierOrder },
    });
    this.policy = new ApiObject(this, 'Resource', {
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      // calico names a tiered policy `<tier>.<name>`
      metadata: { name: `${tierName}.deny-cloud-metadata` },
      spec: {
        tier: tierName,
        order: 0,
        // pods only: an empty namespaceSelector in a global policy also selects host
        // endpoints, and nodes need the metadata service
        namespaceSelector: 'all()',
        selector: 'all()',
        types: ['Egress'],
        egress: [
          { action: 'Deny', destination: { nets } },
          { action: 'Pass' },
        ],
      },
    });
    this.policy.node.addDependency(this.tier);
    keepClusterScoped(this.tier);
    keepClusterScoped(this.policy);
  }
}
