import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DnsProfile } from './dns-profile';
import { FlowPort } from './flow-port';
import { newNetworkPolicy, notQuarantined, recordMetadataException } from './policy-helpers';

/**
 * Props of `DnsEgressPolicy`.
 */
export interface DnsEgressPolicyProps {
  /**
   * Where pods resolve names.
   *
   * @default DnsProfile.kubeDns()
   */
  readonly profile?: DnsProfile;
  /**
   * The namespace of the policy.
   *
   * @default - the chart's namespace
   */
  readonly namespaceName?: string;
  /**
   * The policy's name.
   *
   * @default 'allow-dns'
   */
  readonly name?: string;
}

/**
 * Lets every pod of a namespace that is not quarantined query the profile's resolvers over
 * UDP and TCP, and nothing else.
 */
export class DnsEgressPolicy extends Construct {
  /** the DNS profile the policy allows. */
  public readonly profile: DnsProfile;
  /** the emitted NetworkPolicy. */
  public readonly policy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: DnsEgressPolicyProps = {}) {
    super(scope, id);
    this.profile = props.profile ?? DnsProfile.kubeDns();
    this.policy = newNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name ?? 'allow-dns', namespace: props.namespaceName },
      selector: kplus.Pods.select(this, 'Selector', { expressions: [notQuarantined()] }),
    });
    this.profile.resolvers.forEach((resolver, index) => {
      const ports = [FlowPort.udp(resolver.port), FlowPort.tcp(resolver.port)].map(port => port.toNetworkPolicyPort());
      if (resolver.address !== undefined) {
        const peer = resolverAddressPeer(this, `Resolver${index}`, resolver.address);
        this.policy.addEgressRule(peer, ports);
        if (resolver.metadataException !== undefined) {
          recordMetadataException(this.policy, `profile.resolvers[${index}].metadataException`, resolver.metadataException);
        }
      } else {
        // one peer, namespace AND pod labels; the resolver pods live outside managed namespaces,
        // so no quarantine expression on them
        const resolverPods = kplus.Pods.select(this, `Resolver${index}`, {
          labels: { ...resolver.podLabels! },
          namespaces: kplus.Namespaces.select(this, `Resolver${index}Namespace`, { names: [resolver.namespace!] }),
        });
        this.policy.addEgressRule(resolverPods, ports);
      }
    });
  }
}

// resolver addresses are host cidrs validated by the profile, which already demanded a
// reasoned exception for a metadata address, so no catalogue except applies here
function resolverAddressPeer(scope: Construct, id: string, cidr: string): kplus.NetworkPolicyIpBlock {
  return cidr.includes(':')
    ? kplus.NetworkPolicyIpBlock.ipv6(scope, id, cidr)
    : kplus.NetworkPolicyIpBlock.ipv4(scope, id, cidr);
}
