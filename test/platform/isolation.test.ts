import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Labels, METADATA_ENDPOINTS } from '../../src';
import { podSpecOf } from '../../src/checker/pod-spec';
import { EvalPod, Endpoint, NetworkPolicyEvaluator } from '../../src/semantics/network-policy-evaluator';
import { endpointName, probePorts, reachable } from '../../src/semantics/reachability';

// NetworkPolicy semantics evaluated over the committed dist/, as a cluster would apply it.
const DIST = path.join(__dirname, '..', '..', 'dist');
const objects: any[] = fs.readdirSync(DIST).sort()
  .flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(DIST, file), 'utf8')) as any[]);

const namespaces = [
  ...objects.filter((o) => o.kind === 'Namespace').map((o) => ({ name: o.metadata.name, labels: o.metadata.labels })),
  { name: 'ingress-nginx' }, { name: 'kube-system' }, { name: 'default' },
];

let nextIp = 10;
function podOf(name: string, namespace: string, labels: Record<string, string>): EvalPod {
  return { name, namespace, labels, ip: `10.244.0.${nextIp++}` };
}
// one pod per workload of any kind, with exactly the labels its pod template carries
const workloadPods = objects.filter((o) => podSpecOf(o))
  .map((w) => podOf(w.metadata.name, w.metadata.namespace, podSpecOf(w)!.metadata.labels as Record<string, string>));
const byName = (name: string) => workloadPods.find((p) => p.name === name)!;
const web = byName('web');
const api = byName('api');
const db = byName('db');
const worker = byName('worker');
const nightlyReport = byName('nightly-report');
const logShipper = byName('log-shipper');
const ingressController = podOf('ingress-controller', 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
const kubeDns = podOf('coredns', 'kube-system', { 'k8s-app': 'kube-dns' });
const stranger = podOf('stranger', 'default', { app: 'stranger' });
const lateShop = podOf('late-shop', 'shop', { app: 'added-later' });
const lateJobs = podOf('late-jobs', 'jobs', {});
const lateLogging = podOf('late-logging', 'logging', {});
const quarantined = workloadPods.map((p) => ({ ...p, name: `${p.name}-quarantined`, labels: { ...p.labels, [Labels.QUARANTINE]: 'incident-1' }, ip: `10.244.1.${nextIp++}` }));

const clusterPods = [...workloadPods, lateShop, lateJobs, lateLogging, ...quarantined];
const allPods = [...clusterPods, ingressController, kubeDns, stranger];
const outsideIps = ['203.0.113.7', '1.1.1.1', '10.20.5.5', '2606:4700::1111', ...METADATA_ENDPOINTS.map((e) => e.address)];
const evaluator = new NetworkPolicyEvaluator(objects, namespaces);
const ports = probePorts(objects);

/** what `src` reaches among `destinations`, as `src -> dst:port/PROTOCOL`. */
function reachableFrom(src: Endpoint, destinations: Endpoint[]): string[] {
  return reachable(evaluator, src, destinations, ports).map((entry) => `${endpointName(src)} -> ${entry}`);
}

describe('reference platform isolation (dist/) |', () => {
  test('every declared flow is allowed in both directions', () => {
    expect(evaluator.allowed(ingressController, web, 8080)).toBe(true);
    expect(evaluator.allowed(web, api, 8080)).toBe(true);
    expect(evaluator.allowed(worker, api, 8080)).toBe(true);
    expect(evaluator.allowed(api, db, 5432)).toBe(true);
    expect(evaluator.allowed(nightlyReport, api, 8080)).toBe(true);
    expect(evaluator.allowed(worker, '203.0.113.7', 443)).toBe(true);
    expect(evaluator.allowed(logShipper, '203.0.113.7', 443)).toBe(true);
    expect(evaluator.allowed(worker, '2606:4700::1111', 443)).toBe(true);
  });

  test('dns over udp and tcp works for every pod that is not quarantined', () => {
    for (const pod of [...workloadPods, lateShop, lateJobs, lateLogging]) {
      expect([pod.name, evaluator.allowed(pod, kubeDns, 53, 'UDP'), evaluator.allowed(pod, kubeDns, 53, 'TCP')]).toEqual([pod.name, true, true]);
    }
  });

  test('nothing but the declared flows reaches a pod of the platform', () => {
    const reached = [...allPods, ...outsideIps].flatMap((src) => reachableFrom(src, clusterPods));
    expect(reached.sort()).toEqual([
      'api -> db:5432/TCP',
      'ingress-controller -> web:8080/TCP',
      'nightly-report -> api:8080/TCP',
      'web -> api:8080/TCP',
      'worker -> api:8080/TCP',
    ]);
  });

  test('the database is reached by the API alone', () => {
    expect([...allPods, ...outsideIps].flatMap((src) => reachableFrom(src, [db]))).toEqual(['api -> db:5432/TCP']);
  });

  test('the only egress beyond the cluster is the worker and the log shipper on 443 to public addresses, in both families', () => {
    const privateAddresses = ['10.20.5.5', '172.16.0.1', '192.168.1.1', '100.64.0.1', 'fd12:3456::1'];
    const external = [...workloadPods, lateShop, lateJobs, lateLogging].flatMap((src) => reachableFrom(src, ['203.0.113.7', '2606:4700::1111', ...privateAddresses]));
    expect(external.sort()).toEqual([
      'log-shipper -> 203.0.113.7:443/TCP',
      'log-shipper -> 2606:4700::1111:443/TCP',
      'worker -> 203.0.113.7:443/TCP',
      'worker -> 2606:4700::1111:443/TCP',
    ]);
  });

  test('no pod reaches any catalogue metadata address on any port', () => {
    const metadata = METADATA_ENDPOINTS.map((e) => e.address);
    expect(clusterPods.flatMap((src) => reachableFrom(src, metadata))).toEqual([]);
  });

  test('a pod added later with unknown labels reaches only dns and is reached by nothing', () => {
    for (const late of [lateShop, lateJobs, lateLogging]) {
      expect(reachableFrom(late, [...allPods, ...outsideIps]).sort()).toEqual([
        `${late.name} -> coredns:53/TCP`, `${late.name} -> coredns:53/UDP`,
      ]);
      expect([...allPods, ...outsideIps].flatMap((src) => reachableFrom(src, [late]))).toEqual([]);
    }
  });

  test('a quarantined pod reaches nothing, dns included, and is reached by nothing', () => {
    for (const pod of quarantined) {
      expect(reachableFrom(pod, [...allPods, ...outsideIps])).toEqual([]);
      expect([...allPods, ...outsideIps].flatMap((src) => reachableFrom(src, [pod]))).toEqual([]);
    }
  });
});
