/**
 * What the API server does to an object before validating admission sees it, for the fields the
 * rules read (pkg/apis/core/v1/defaults.go, the ServiceAccount admission plugin, registry system
 * fields). Decoding drops `null` fields in both shapes; `defaulted` then applies:
 * - every pod spec: `securityContext: {}`, `restartPolicy: Always` (Pods and pod-creating
 *   controllers other than Jobs), a source-less volume becomes `emptyDir: {}`, with `hostNetwork:
 *   true` every container port's `hostPort` defaults to its `containerPort`, resource requests
 *   default to the limits, and `serviceAccountName`/`serviceAccount` mirror each other;
 * - Pods: `serviceAccountName: default` when unset (ServiceAccount admission);
 * - NetworkPolicies: `policyTypes` from the rules present; Services: `type: ClusterIP`;
 * - Namespaces: the `kubernetes.io/metadata.name` label.
 * Every object gets `metadata.creationTimestamp` (the server stamps it before validating a CREATE).
 */
import { podSpecOf } from '../../src/checker/pod-spec';
import type { KubeObject } from '../../src/checker/types';

/** drops `null` values as decoding into typed structs does; never modifies the input. */
export function decoded(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decoded);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== null);
    return Object.fromEntries(entries.map(([key, item]) => [key, decoded(item)]));
  }
  return value;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

function withCreationTimestamp(object: KubeObject, now: Date): KubeObject {
  const metadata = record(object.metadata);
  if (!metadata || metadata.creationTimestamp !== undefined) return object;
  return { ...object, metadata: { ...metadata, creationTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z') } };
}

/** the object as the API server decodes it, with system fields, but without defaulting. */
export function rawShape(object: KubeObject, now: Date): KubeObject {
  return withCreationTimestamp(decoded(object) as KubeObject, now);
}

function defaultPodSpec(spec: Record<string, unknown>, kind: string): void {
  if (spec.securityContext === undefined) spec.securityContext = {};
  if (spec.restartPolicy === undefined && kind !== 'Job' && kind !== 'CronJob') spec.restartPolicy = 'Always';
  if (Array.isArray(spec.volumes)) {
    for (const volume of spec.volumes) {
      const entry = record(volume);
      if (entry && Object.keys(entry).every((key) => key === 'name')) entry.emptyDir = {};
    }
  }
  const account = [spec.serviceAccountName, spec.serviceAccount].find((name) => typeof name === 'string' && name !== '')
    ?? (kind === 'Pod' ? 'default' : undefined);
  if (account !== undefined) {
    spec.serviceAccountName = account;
    spec.serviceAccount = account;
  }
  for (const list of ['containers', 'initContainers']) {
    if (!Array.isArray(spec[list])) continue;
    for (const item of spec[list] as unknown[]) {
      const container = record(item);
      if (!container) continue;
      if (spec.hostNetwork === true && Array.isArray(container.ports)) {
        for (const port of container.ports) {
          const entry = record(port);
          if (entry && (entry.hostPort === undefined || entry.hostPort === 0)) entry.hostPort = entry.containerPort;
        }
      }
      const resources = record(container.resources);
      const limits = record(resources?.limits);
      if (resources && limits) {
        const requests = record(resources.requests) ?? {};
        for (const [name, quantity] of Object.entries(limits)) if (requests[name] === undefined) requests[name] = quantity;
        resources.requests = requests;
      }
    }
  }
}

/** the object after API defaulting and the mutating plugins that touch what the rules read. */
export function defaultedShape(object: KubeObject, now: Date): KubeObject {
  const copy = rawShape(object, now) as KubeObject;
  const kind = String(copy.kind);
  const pod = podSpecOf(copy);
  if (pod) defaultPodSpec(pod.spec, kind);
  const spec = record(copy.spec);
  if (kind === 'NetworkPolicy' && spec && (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0)) {
    spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  if (kind === 'Service' && spec && spec.type === undefined) spec.type = 'ClusterIP';
  const metadata = record(copy.metadata);
  if (kind === 'Namespace' && metadata && typeof metadata.name === 'string') {
    metadata.labels = { ...record(metadata.labels), 'kubernetes.io/metadata.name': metadata.name };
  }
  return copy;
}

/** a Pod's metadata and spec as a Deployment or a CronJob template. */
export function asController(pod: KubeObject, kind: 'Deployment' | 'CronJob'): KubeObject {
  const metadata = record(pod.metadata) ?? {};
  const template = { metadata: { labels: { app: 'fixture' }, ...(metadata.annotations ? { annotations: metadata.annotations } : {}) }, spec: pod.spec };
  const outer = { name: metadata.name, namespace: metadata.namespace ?? 'default' };
  if (kind === 'Deployment') {
    return { apiVersion: 'apps/v1', kind, metadata: outer, spec: { selector: { matchLabels: { app: 'fixture' } }, template } };
  }
  return { apiVersion: 'batch/v1', kind, metadata: outer, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } } };
}
