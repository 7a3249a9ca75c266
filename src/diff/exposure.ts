import { compareText, ObjectRef, refKey, refOf } from './object-ref';
import { asArray, asRecord } from '../checker/pod-spec';
import type { KubeObject } from '../checker/types';
import { canonicalJson } from '../semantics/flows';

/** how an object makes workloads reachable from outside the cluster. */
export interface ExposureEntry {
  readonly object: ObjectRef;
  /** `LoadBalancer 443/TCP`, `Ingress shop.example.com/ → web:80`. */
  readonly summary: string;
  /** the fields that decide the exposure, as written. */
  readonly detail: Record<string, unknown>;
}

export interface ExposureChange {
  readonly object: ObjectRef;
  readonly before: ExposureEntry;
  readonly after: ExposureEntry;
}

export interface ExposureDiff {
  readonly added: ExposureEntry[];
  readonly removed: ExposureEntry[];
  readonly changed: ExposureChange[];
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io/';

function pick(record: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (record?.[key] !== undefined) out[key] = record[key];
  return out;
}

function servicePorts(spec: Record<string, unknown> | undefined): string {
  return asArray(spec?.ports).map((item) => {
    const port = asRecord(item);
    const nodePort = port?.nodePort !== undefined ? ` (node ${String(port.nodePort)})` : '';
    return `${String(port?.port ?? '?')}/${String(port?.protocol ?? 'TCP')}${nodePort}`;
  }).join(', ');
}

function ingressRoutes(spec: Record<string, unknown> | undefined): string {
  const routes: string[] = [];
  const backend = (value: unknown) => {
    const service = asRecord(asRecord(value)?.service);
    const port = asRecord(service?.port);
    return service ? `${String(service.name)}:${String(port?.number ?? port?.name ?? '?')}` : 'resource';
  };
  if (spec?.defaultBackend) routes.push(`* → ${backend(spec.defaultBackend)}`);
  for (const item of asArray(spec?.rules)) {
    const rule = asRecord(item);
    for (const pathItem of asArray(asRecord(rule?.http)?.paths)) {
      const route = asRecord(pathItem);
      routes.push(`${String(rule?.host ?? '*')}${String(route?.path ?? '/')} → ${backend(route?.backend)}`);
    }
  }
  return routes.join(', ');
}

/** the exposure an object creates, or undefined when it exposes nothing outside the cluster. */
export function exposureOf(object: KubeObject): ExposureEntry | undefined {
  const spec = asRecord(object.spec);
  const ref = refOf(object);
  if (object.kind === 'Service' && object.apiVersion === 'v1') {
    const type = typeof spec?.type === 'string' ? spec.type : 'ClusterIP';
    const externalIPs = asArray(spec?.externalIPs);
    if (type !== 'LoadBalancer' && type !== 'NodePort' && externalIPs.length === 0) return undefined;
    const detail = pick(spec, ['type', 'ports', 'externalIPs', 'loadBalancerSourceRanges', 'loadBalancerClass', 'externalTrafficPolicy', 'ipFamilies', 'selector']);
    const annotations = asRecord(asRecord(object.metadata)?.annotations) ?? {};
    // cloud load balancer annotations decide internal vs internet-facing.
    const balancer = Object.fromEntries(Object.entries(annotations).filter(([key]) => /load-balancer|loadbalancer/i.test(key)));
    if (Object.keys(balancer).length > 0) detail.annotations = balancer;
    const sources = asArray(spec?.loadBalancerSourceRanges).map(String).join(', ');
    const ips = externalIPs.length > 0 ? ` externalIPs ${externalIPs.map(String).join(', ')}` : '';
    return { object: ref, summary: `${type} ${servicePorts(spec)}${ips}${type === 'LoadBalancer' ? ` from ${sources || 'anywhere'}` : ''}`, detail };
  }
  if (object.kind === 'Ingress' && object.apiVersion === 'networking.k8s.io/v1') {
    const detail = pick(spec, ['ingressClassName', 'defaultBackend', 'rules', 'tls']);
    const annotations = asRecord(asRecord(object.metadata)?.annotations) ?? {};
    const controller = Object.fromEntries(Object.entries(annotations).filter(([key]) => /ingress|whitelist|allowlist|auth/i.test(key)));
    if (Object.keys(controller).length > 0) detail.annotations = controller;
    const tls = asArray(spec?.tls).length > 0 ? 'TLS' : 'no TLS';
    return { object: ref, summary: `Ingress ${ingressRoutes(spec) || '(no routes)'} (${tls})`, detail };
  }
  if (object.kind === 'Gateway' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith(GATEWAY_GROUP)) {
    const listeners = asArray(spec?.listeners).map((item) => {
      const listener = asRecord(item);
      return `${String(listener?.protocol ?? '?')} ${String(listener?.hostname ?? '*')}:${String(listener?.port ?? '?')}`;
    });
    return { object: ref, summary: `Gateway ${listeners.join(', ')}`, detail: pick(spec, ['gatewayClassName', 'listeners', 'addresses']) };
  }
  return undefined;
}

function exposuresOf(objects: readonly KubeObject[]): Map<string, ExposureEntry> {
  const found = new Map<string, ExposureEntry>();
  for (const object of objects) {
    const exposure = exposureOf(object);
    if (exposure && !found.has(refKey(exposure.object))) found.set(refKey(exposure.object), exposure);
  }
  return found;
}

/** Services (LoadBalancer, NodePort, externalIPs), Ingresses and Gateways added, removed or changed. */
export function compareExposure(base: readonly KubeObject[], head: readonly KubeObject[]): ExposureDiff {
  const before = exposuresOf(base);
  const after = exposuresOf(head);
  const result: ExposureDiff = { added: [], removed: [], changed: [] };
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort(compareText)) {
    const was = before.get(key);
    const is = after.get(key);
    if (!was && is) result.added.push(is);
    else if (was && !is) result.removed.push(was);
    else if (was && is && canonicalJson(was.detail) !== canonicalJson(is.detail)) result.changed.push({ object: is.object, before: was, after: is });
  }
  return result;
}
