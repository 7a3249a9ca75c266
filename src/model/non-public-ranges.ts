/**
 * Address ranges that are never "the internet": RFC 1918 private, RFC 6598 shared (CGNAT, where
 * Alibaba's metadata lives), loopback and link-local (the cloud metadata addresses) for IPv4;
 * unique-local (where AWS's IPv6 metadata lives) and link-local for IPv6. The cluster's own
 * networks (nodes and their kubelets, pods, services, the API server, internal load balancers)
 * live in them. Shared by the egress flows and the checker.
 */
export const NON_PUBLIC_RANGES: Readonly<Record<'ipv4' | 'ipv6', readonly string[]>> = {
  ipv4: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
  ipv6: ['fc00::/7', 'fe80::/10'],
};
