import { Chart, Testing } from 'cdk8s';
import { Labels } from '../../src/model/labels';
import { HardenedNamespace } from '../../src/namespace/hardened-namespace';
import {
  CidrEgressFlow, DnsProfile, FlowPort, InternetEgressFlow, METADATA_ENDPOINTS, MetadataAccess, MetadataOptIn,
  NamespaceIngressFlow, WorkloadFlow,
} from '../../src/network';
import { EvalPod, NetworkPolicyEvaluator } from '../../src/semantics/network-policy-evaluator';
import { probePorts, reachable, reachesOn } from '../../src/semantics/reachability';
import { FlowEndpointDouble } from '../support/flow-endpoint-double';

// a three-workload app: web and api in `shop`, worker in `batch`; ingress-nginx and
// kube-system are managed elsewhere
function buildApp(dns?: DnsProfile): any[] {
  const chart = new Chart(Testing.app(), 'platform');
  new HardenedNamespace(chart, 'Shop', { name: 'shop', dns });
  const batch = new HardenedNamespace(chart, 'Batch', { name: 'batch', dns });
  const web = new FlowEndpointDouble(chart, 'Web', { appName: 'web', namespaceName: 'shop' });
  const api = new FlowEndpointDouble(chart, 'Api', { appName: 'api', namespaceName: 'shop' });
  const worker = new FlowEndpointDouble(chart, 'Worker', { appName: 'worker', namespaceName: 'batch' });
  new NamespaceIngressFlow(chart, 'IngressToWeb', { from: 'ingress-nginx', to: web, ports: [FlowPort.tcp(8080)] });
  new WorkloadFlow(chart, 'WebToApi', { from: web, to: api, ports: [FlowPort.tcp(8080)] });
  new WorkloadFlow(chart, 'WorkerToApi', { from: worker, to: api, ports: [FlowPort.tcp(8080)] });
  new InternetEgressFlow(chart, 'WorkerToInternet', { from: worker });
  new CidrEgressFlow(chart, 'ApiToDatabase', { from: api, cidrs: ['10.20.0.0/16'], ports: [FlowPort.tcp(5432)], destinationName: 'database' });
  new MetadataAccess(chart, 'WorkerPodIdentity', { from: worker, optIn: MetadataOptIn.eksPodIdentity({ reason: 'the worker reads its AWS role through EKS Pod Identity' }) });
  void batch;
  return Testing.synth(chart);
}

const namespaces = [{ name: 'shop' }, { name: 'batch' }, { name: 'ingress-nginx' }, { name: 'kube-system' }];
const pod = (name: string, namespace: string, labels: Record<string, string>, ip: string): EvalPod => ({ name, namespace, labels, ip });
const web = pod('web-1', 'shop', { [Labels.NAME]: 'web' }, '10.244.0.10');
const api = pod('api-1', 'shop', { [Labels.NAME]: 'api' }, '10.244.0.11');
const worker = pod('worker-1', 'batch', { [Labels.NAME]: 'worker' }, '10.244.1.10');
const ingressController = pod('controller-1', 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }, '10.244.2.10');
const kubeDns = pod('coredns-1', 'kube-system', { 'k8s-app': 'kube-dns' }, '10.244.3.10');
const lateShop = pod('late-1', 'shop', { app: 'unknown' }, '10.244.0.99');
const lateBatch = pod('late-2', 'batch', {}, '10.244.1.99');
const quarantinedApi = pod('api-2', 'shop', { [Labels.NAME]: 'api', [Labels.QUARANTINE]: 'incident-42' }, '10.244.0.12');
const quarantinedWorker = pod('worker-2', 'batch', { [Labels.NAME]: 'worker', [Labels.QUARANTINE]: '' }, '10.244.1.11');

const managedPods = [web, api, worker, lateShop, lateBatch, quarantinedApi, quarantinedWorker];
const allPods = [...managedPods, ingressController, kubeDns];
const outsideIps = ['203.0.113.7', '10.20.5.5', '1.1.1.1', '2606:4700::1111', ...METADATA_ENDPOINTS.map(e => e.address)];
describe('isolation of a three-workload app', () => {
  const objects = buildApp();
  const evaluator = new NetworkPolicyEvaluator(objects, namespaces);
  const ports = probePorts(objects);

  test('every declared flow is allowed in both directions', () => {
    expect(evaluator.allowed(ingressController, web, 8080)).toBe(true);
    expect(evaluator.allowed(web, api, 8080)).toBe(true);
    expect(evaluator.allowed(worker, api, 8080)).toBe(true);
    expect(evaluator.allowed(worker, '1.1.1.1', 443)).toBe(true);
    expect(evaluator.allowed(worker, '2606:4700::1111', 443)).toBe(true);
    expect(evaluator.allowed(api, '10.20.5.5', 5432)).toBe(true);
    expect(evaluator.allowed(worker, '169.254.170.23', 80)).toBe(true);
    expect(evaluator.allowed(worker, 'fd00:ec2::23', 80)).toBe(true);
  });

  test('dns over udp and tcp works for every pod that is not quarantined', () => {
    for (const src of [web, api, worker, lateShop, lateBatch]) {
      expect([src.name, evaluator.allowed(src, kubeDns, 53, 'UDP'), evaluator.allowed(src, kubeDns, 53, 'TCP')]).toEqual([src.name, true, true]);
    }
  });

  test('nothing but the declared flows reaches a managed pod', () => {
    const reached: string[] = [];
    for (const src of [...allPods, '203.0.113.7', '10.20.5.5']) {
      for (const entry of reachable(evaluator, src, managedPods, ports)) {
        reached.push(`${typeof src === 'string' ? src : src.name} -> ${entry}`);
      }
    }
    expect(reached.sort()).toEqual([
      'controller-1 -> web-1:8080/TCP',
      'web-1 -> api-1:8080/TCP',
      'worker-1 -> api-1:8080/TCP',
    ]);
  });

  test('no pod reaches a catalogue metadata address on any port except the reasoned opt-in', () => {
    const reached: string[] = [];
    for (const src of managedPods) {
      for (const entry of reachable(evaluator, src, METADATA_ENDPOINTS.map(e => e.address), ports)) reached.push(`${src.name} -> ${entry}`);
    }
    expect(reached.sort()).toEqual([
      'worker-1 -> 169.254.170.23:80/TCP',
      'worker-1 -> fd00:ec2::23:80/TCP',
    ]);
  });

  test('a pod added later with unknown labels reaches only dns and is reached by nothing', () => {
    for (const late of [lateShop, lateBatch]) {
      expect(reachable(evaluator, late, [...allPods, ...outsideIps], ports)).toEqual(['coredns-1:53/TCP', 'coredns-1:53/UDP']);
      const reachedBy = [...allPods, ...outsideIps].filter(src => src !== late && reachesOn(evaluator, src, late, ports));
      expect(reachedBy).toEqual([]);
    }
  });

  test('a quarantined pod reaches nothing, dns included, and is reached by nothing', () => {
    for (const quarantined of [quarantinedApi, quarantinedWorker]) {
      expect(reachable(evaluator, quarantined, [...allPods, ...outsideIps], ports)).toEqual([]);
      const reachedBy = [...allPods, ...outsideIps].filter(src => src !== quarantined && reachesOn(evaluator, src, quarantined, ports));
      expect(reachedBy).toEqual([]);
    }
  });

  test('removing the quarantine label restores the declared flows', () => {
    const { [Labels.QUARANTINE]: _removed, ...labels } = quarantinedWorker.labels;
    const released = { ...quarantinedWorker, labels };
    expect(evaluator.allowed(released, api, 8080)).toBe(true);
    expect(evaluator.allowed(released, kubeDns, 53, 'UDP')).toBe(true);
    expect(evaluator.allowed(released, '1.1.1.1', 443)).toBe(true);
  });
});

describe('isolation with GKE Cloud DNS', () => {
  const objects = buildApp(DnsProfile.gkeCloudDns());
  const evaluator = new NetworkPolicyEvaluator(objects, namespaces);
  const ports = probePorts(objects);

  test('the metadata server address is reachable on port 53 only, udp and tcp', () => {
    expect(reachable(evaluator, web, ['169.254.169.254'], ports)).toEqual(['169.254.169.254:53/TCP', '169.254.169.254:53/UDP']);
    expect(reachable(evaluator, quarantinedApi, ['169.254.169.254'], ports)).toEqual([]);
  });
});
