import { Endpoint, NetworkPolicyEvaluator } from './network-policy-evaluator';

/** the protocols NetworkPolicy ports can name. */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/**
 * Every port where the answer can change: policies are piecewise constant between the ports
 * they name, so probing each named port, its neighbours and the ends covers all 65535.
 */
export function probePorts(objects: readonly any[]): number[] {
  const ports = new Set<number>([1, 65535]);
  for (const o of objects.filter(x => x.kind === 'NetworkPolicy')) {
    for (const rule of [...o.spec.ingress ?? [], ...o.spec.egress ?? []]) {
      for (const p of rule.ports ?? []) {
        for (const edge of [p.port, p.endPort].filter((x: unknown) => typeof x === 'number')) {
          for (const candidate of [edge - 1, edge, edge + 1]) if (candidate >= 1 && candidate <= 65535) ports.add(candidate);
        }
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** the name of an endpoint in reports: the pod's name or the address. */
export function endpointName(endpoint: Endpoint): string {
  return typeof endpoint === 'string' ? endpoint : endpoint.name;
}

/** every (destination, port, protocol) a source may reach, as sorted `dst:port/PROTOCOL` strings. */
export function reachable(evaluator: NetworkPolicyEvaluator, src: Endpoint, destinations: readonly Endpoint[], ports: readonly number[]): string[] {
  const out: string[] = [];
  for (const dst of destinations) {
    if (dst === src) continue;
    for (const port of ports) {
      for (const protocol of PROTOCOLS) {
        if (evaluator.allowed(src, dst, port, protocol)) out.push(`${endpointName(dst)}:${port}/${protocol}`);
      }
    }
  }
  return out.sort();
}

/** true when `src` reaches `dst` on any probed port and protocol. */
export function reachesOn(evaluator: NetworkPolicyEvaluator, src: Endpoint, dst: Endpoint, ports: readonly number[]): boolean {
  return ports.some(port => PROTOCOLS.some(protocol => evaluator.allowed(src, dst, port, protocol)));
}
