import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { catalogueCidrs, keepClusterScoped, validateDnsLabel } from './policy-helpers';

/**
 * Props of `CiliumMetadataDeny`.
 */
export interface CiliumMetadataDenyProps {
  /**
   * The catalogue metadata addresses to deny. Leave out the addresses a `MetadataAccess`
   * opt-in needs: a Cilium deny wins over every allow.
   *
   * @default - every catalogue address
   */
  readonly addresses?: string[];
  /**
   * The policy's name.
   *
   * @default 'deny-cloud-metadata'
   */
  readonly name?: string;
}

/**
 * A cluster-wide hard deny of the cloud metadata addresses for every Cilium-managed pod, as
 * a raw `CiliumClusterwideNetworkPolicy` (cilium.io/v2); deny rules win over any allow.
 * Needs Cilium 1.16 or later: `enableDefaultDeny: false` keeps this deny-only policy from
 * putting every pod into egress default-deny; older versions drop the field, so there it would
 * cut all other pod egress.
 */
export class CiliumMetadataDeny extends Construct {
  /** the emitted object. */
  public readonly policy: ApiObject;

  constructor(scope: Construct, id: string, props: CiliumMetadataDenyProps = {}) {
    super(scope, id);
    // cilium's crds are not in the k8s schema, so the object is raw
    this.policy = new ApiObject(this, 'Resource', {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: validateDnsLabel(props.name ?? 'deny-cloud-metadata', 'name') },
      spec: {
        description: 'cdk8s-hardened: deny pod egress to cloud metadata and credential endpoints',
        endpointSelector: {},
        enableDefaultDeny: { egress: false, ingress: false },
        egressDeny: [{ toCIDR: catalogueCidrs(props.addresses, 'addresses') }],
      },
    });
    keepClusterScoped(this.policy);
  }
}
