import { createHash } from 'crypto';
import { CANARY_CHECKS, ProbeCategory } from './probe-report';
import { asArray, asRecord, containersOf, podSpecOf } from '../checker/pod-spec';
import type { KubeObject } from '../checker/types';
import { Labels } from '../model/labels';
import { METADATA_ENDPOINTS } from '../model/metadata-catalogue';
import type { ProbeExpectation } from '../model/probe-verdicts';
import { EvalPod, namespacesFromManifests, NetworkPolicyEvaluator } from '../semantics/network-policy-evaluator';

/** one connection attempt of a probe Job. */
export interface ProbeCheck {
  /** stable id within the source's Job. */
  readonly check: string;
  readonly category: ProbeCategory;
  /** `host:port`; IPv6 as `[addr]:port`. */
  readonly target: string;
  readonly expected: ProbeExpectation;
}

/** a flow the plan could not probe, with the reason. */
export interface SkippedProbe {
  readonly what: string;
  readonly reason: string;
}

/** the probe Job of one source workload. */
export interface SourceProbePlan {
  readonly namespace: string;
  /** the workload's name. */
  readonly name: string;
  readonly kind: string;
  /** the labels the probe pod carries: the source's pod-template labels plus the probe label. */
  readonly podLabels: Record<string, string>;
  /** canaries first, then declared, undeclared and metadata checks, each group sorted. */
  readonly checks: ProbeCheck[];
  readonly skipped: SkippedProbe[];
}

/** where the canary pair listens. */
export interface ProbeCanaryTargets {
  readonly namespace: string;
  /** Service of the open canary (listens on `port`, nothing on `closedPort`). */
  readonly openService: string;
  /** Service of the closed canary (listens on `port`, no policy lets anyone in). */
  readonly closedService: string;
  readonly port: number;
  /** the open canary's allowed port where nothing listens. */
  readonly listenerlessPort: number;
}

/** options of `planNetworkProbes`. */
export interface ProbePlanOptions {
  readonly canary: ProbeCanaryTargets;
  /**
   * Undeclared flows probed per source, picked deterministically (lowest SHA-256 of source and target).
   *
   * @default 3
   */
  readonly undeclaredSamples?: number;
  /** @default 'cluster.local' */
  readonly clusterDomain?: string;
  /** @default 80 */
  readonly metadataPort?: number;
}

/** labels a probe pod never copies: they make admission webhooks mutate the pod. */
const WEBHOOK_TRIGGER_LABELS = ['azure.workload.identity/use'];
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

interface Workload {
  readonly object: KubeObject;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly pod: EvalPod;
  readonly hostNetwork: boolean;
  /** TCP container ports by number, and named ports to numbers. */
  readonly tcpPorts: number[];
  readonly namedPorts: Map<string, number>;
}

interface ServicePortTarget {
  readonly service: string;
  readonly namespace: string;
  readonly targetPort: number;
  /** the port the probe dials: the Service port, or the target port for a headless Service. */
  readonly dialPort: number;
}

function stringLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(asRecord(value) ?? {})) if (typeof label === 'string') labels[key] = label;
  return labels;
}

function sorted<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function workloadsOf(objects: readonly KubeObject[], defaultNamespace: string): Workload[] {
  const workloads: Workload[] = [];
  for (const object of objects) {
    if (!WORKLOAD_KINDS.includes(String(object.kind))) continue;
    const location = podSpecOf(object);
    if (!location) continue;
    const metadata = asRecord(object.metadata) ?? {};
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : defaultNamespace;
    const name = String(metadata.name ?? '');
    const labels = stringLabels(location.metadata.labels);
    const tcpPorts: number[] = [];
    const namedPorts = new Map<string, number>();
    for (const { container } of containersOf(location.spec)) {
      for (const port of asArray(container.ports)) {
        const record = asRecord(port);
        if (typeof record?.containerPort !== 'number' || (record.protocol ?? 'TCP') !== 'TCP') continue;
        tcpPorts.push(record.containerPort);
        if (typeof record.name === 'string') namedPorts.set(record.name, record.containerPort);
      }
    }
    workloads.push({
      object,
      kind: String(object.kind),
      name,
      namespace,
      labels,
      pod: { name: `${object.kind}/${name}`, namespace, labels },
      hostNetwork: location.spec.hostNetwork === true,
      tcpPorts: [...new Set(tcpPorts)].sort((a, b) => a - b),
      namedPorts,
    });
  }
  return sorted(workloads, (w) => `${w.namespace}/${w.name}/${w.kind}`);
}

/** the Service ports that reach a workload's pods over TCP. */
function serviceTargetsOf(objects: readonly KubeObject[], workload: Workload, defaultNamespace: string): ServicePortTarget[] {
  const targets: ServicePortTarget[] = [];
  for (const object of objects) {
    if (object.kind !== 'Service') continue;
    const metadata = asRecord(object.metadata) ?? {};
    if ((typeof metadata.namespace === 'string' ? metadata.namespace : defaultNamespace) !== workload.namespace) continue;
    const spec = asRecord(object.spec) ?? {};
    const selector = stringLabels(spec.selector);
    if (Object.keys(selector).length === 0 || !Object.entries(selector).every(([key, value]) => workload.labels[key] === value)) continue;
    const headless = spec.clusterIP === 'None';
    for (const entry of asArray(spec.ports)) {
      const port = asRecord(entry);
      if (!port || (port.protocol ?? 'TCP') !== 'TCP' || typeof port.port !== 'number') continue;
      const raw = port.targetPort ?? port.port;
      const targetPort = typeof raw === 'number' ? raw : typeof raw === 'string' ? workload.namedPorts.get(raw) ?? (/^\d+$/.test(raw) ? Number(raw) : undefined) : undefined;
      if (targetPort === undefined) continue;
      targets.push({ service: String(metadata.name), namespace: workload.namespace, targetPort, dialPort: headless ? targetPort : port.port });
    }
  }
  return targets;
}

function sampleKey(source: Workload, target: string): string {
  return createHash('sha256').update(`${source.namespace}/${source.name}|${target}`).digest('hex');
}

/**
 * Plans the probe Jobs for a set of manifests, from what their NetworkPolicies declare
 * (`NetworkPolicyEvaluator`): per workload that is the source of at least one declared flow
 * to another workload, a probe pod carrying the source's pod-template labels (so the source's
 * policies select it) checks
 * - every declared flow that a Service reaches (`connect`); declared flows to pods no Service
 *   selects are listed in `skipped`, since the probe has no name to dial;
 * - a deterministic sample of undeclared Service ports (`blocked`);
 * - every catalogue metadata address, IPv4 and IPv6, on the metadata port (`unreachable`),
 *   unless a policy opts the source in;
 * - the canary trio (see `ProbeCanaryTargets`).
 * Sources on the host network are skipped: NetworkPolicy does not apply to them. Pure and
 * deterministic: the same manifests give the same plan.
 */
export function planNetworkProbes(objects: readonly KubeObject[], options: ProbePlanOptions, defaultNamespace = 'default'): SourceProbePlan[] {
  const samples = options.undeclaredSamples ?? 3;
  if (!Number.isInteger(samples) || samples < 0) throw new Error(`undeclaredSamples is ${samples}: use a whole number, 0 or more`);
  const domain = options.clusterDomain ?? 'cluster.local';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)) {
    throw new Error(`clusterDomain is ${JSON.stringify(domain)}: use a DNS name such as "cluster.local"`);
  }
  const metadataPort = options.metadataPort ?? 80;
  const evaluator = new NetworkPolicyEvaluator(objects, namespacesFromManifests(objects), { strict: false, defaultNamespace });
  const workloads = workloadsOf(objects, defaultNamespace);
  const hostOf = (namespace: string, service: string, port: number) => `${service}.${namespace}.svc.${domain}:${port}`;
  const canary = options.canary;
  const plans: SourceProbePlan[] = [];

  for (const source of workloads) {
    const podLabels: Record<string, string> = {};
    for (const [key, value] of Object.entries(source.labels)) if (!WEBHOOK_TRIGGER_LABELS.includes(key)) podLabels[key] = value;
    podLabels[Labels.NETPOL_PROBE] = source.name;
    const probePod: EvalPod = { name: `netpol-probe/${source.name}`, namespace: source.namespace, labels: podLabels };
    const declared: ProbeCheck[] = [];
    const undeclared: ProbeCheck[] = [];
    const skipped: SkippedProbe[] = [];
    let declaresAFlow = false;
    for (const destination of workloads) {
      if (destination === source) continue;
      const services = serviceTargetsOf(objects, destination, defaultNamespace);
      const ports = [...new Set([...destination.tcpPorts, ...services.map((s) => s.targetPort)])].sort((a, b) => a - b);
      for (const port of ports) {
        const allowed = evaluator.allowed(probePod, destination.pod, port, 'TCP');
        const dialable = services.filter((s) => s.targetPort === port);
        const what = `${source.namespace}/${source.name} -> ${destination.namespace}/${destination.name} ${port}/TCP`;
        if (allowed) declaresAFlow = true;
        if (dialable.length === 0) {
          if (allowed) skipped.push({ what, reason: 'no Service selects the destination on this port, so the probe has no stable name to dial' });
          continue;
        }
        const via = dialable[0];
        const target = hostOf(via.namespace, via.service, via.dialPort);
        if (allowed) declared.push({ check: `declared:${via.namespace}/${via.service}:${via.dialPort}`, category: 'declared', target, expected: 'connect' });
        else undeclared.push({ check: `undeclared:${via.namespace}/${via.service}:${via.dialPort}`, category: 'undeclared', target, expected: 'blocked' });
      }
    }
    if (!declaresAFlow) continue;
    if (source.hostNetwork) {
      plans.push({ namespace: source.namespace, name: source.name, kind: source.kind, podLabels, checks: [], skipped: [{ what: `${source.namespace}/${source.name}`, reason: 'runs on the host network, where NetworkPolicy does not apply' }] });
      continue;
    }
    const metadata: ProbeCheck[] = [];
    for (const endpoint of METADATA_ENDPOINTS) {
      const target = endpoint.family === 'ipv6' ? `[${endpoint.address}]:${metadataPort}` : `${endpoint.address}:${metadataPort}`;
      if (evaluator.allowed(probePod, endpoint.address, metadataPort, 'TCP')) {
        skipped.push({ what: `${source.namespace}/${source.name} -> ${target}`, reason: 'a policy opts the source in to this metadata address' });
        continue;
      }
      metadata.push({ check: `metadata:${target}`, category: 'metadata', target, expected: 'unreachable' });
    }
    const dedupe = (checks: ProbeCheck[]) => sorted([...new Map(checks.map((c) => [c.check, c])).values()], (c) => c.check);
    const sample = dedupe(undeclared)
      .map((check) => ({ check, key: sampleKey(source, check.target) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, samples)
      .map(({ check }) => check);
    const canaries: ProbeCheck[] = [
      { check: CANARY_CHECKS.OPEN, category: 'canary', target: hostOf(canary.namespace, canary.openService, canary.port), expected: 'connect' },
      { check: CANARY_CHECKS.LISTENER, category: 'canary', target: hostOf(canary.namespace, canary.openService, canary.listenerlessPort), expected: 'refused' },
      { check: CANARY_CHECKS.CLOSED, category: 'canary', target: hostOf(canary.namespace, canary.closedService, canary.port), expected: 'blocked' },
    ];
    plans.push({
      namespace: source.namespace,
      name: source.name,
      kind: source.kind,
      podLabels,
      checks: [...canaries, ...dedupe(declared), ...sorted(sample, (c) => c.check), ...metadata],
      skipped: sorted(skipped, (s) => s.what),
    });
  }
  return plans;
}
