import { Chart, Testing } from 'cdk8s';
import { Labels } from '../../src/model/labels';
import { HardenedNamespace } from '../../src/namespace/hardened-namespace';
import { FlowPort, NamespaceIngressFlow, WorkloadFlow } from '../../src/network';
import { EvalPod, NetworkPolicyEvaluator, namespacesFromManifests, podsFromManifests } from '../../src/semantics/network-policy-evaluator';
import { HardenedDeployment } from '../../src/workloads/hardened-deployment';

const IMAGE = `registry.example.com/app@sha256:${'a'.repeat(64)}`;

// the same checks as isolation.test.ts, on real HardenedDeployments: their selectorLabels
// must select the pods their templates create
describe('flows between HardenedDeployments', () => {
  const chart = new Chart(Testing.app(), 'platform');
  new HardenedNamespace(chart, 'Shop', { name: 'shop' });
  const web = new HardenedDeployment(chart, 'Web', { name: 'web', namespace: 'shop', containers: [{ image: IMAGE, portNumber: 8080 }] });
  const api = new HardenedDeployment(chart, 'Api', { name: 'api', namespace: 'shop', containers: [{ image: IMAGE, portNumber: 8080 }] });
  new HardenedDeployment(chart, 'Cron', { name: 'cron', namespace: 'shop', containers: [{ image: IMAGE }] });
  new WorkloadFlow(chart, 'WebToApi', { from: web, to: api, ports: [FlowPort.tcp(8080)] });
  new NamespaceIngressFlow(chart, 'IngressToWeb', { from: 'ingress-nginx', to: web, ports: [FlowPort.tcp(8080)] });
  const objects = Testing.synth(chart);

  const pods = podsFromManifests(objects);
  const podNamed = (name: string): EvalPod => pods.find(p => p.name === `Deployment/${name}`)!;
  const controller: EvalPod = { name: 'controller', namespace: 'ingress-nginx', labels: { [Labels.NAME]: 'ingress-nginx' } };
  const kubeDns: EvalPod = { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
  const evaluator = new NetworkPolicyEvaluator(objects, [...namespacesFromManifests(objects), { name: 'ingress-nginx' }, { name: 'kube-system' }]);

  test('the deployments run in the hardened namespace', () => {
    expect(pods.map(p => `${p.namespace}/${p.name}`).sort()).toEqual(['shop/Deployment/api', 'shop/Deployment/cron', 'shop/Deployment/web']);
  });

  test('declared flows are allowed both ways, and only on their port', () => {
    expect(evaluator.allowed(podNamed('web'), podNamed('api'), 8080)).toBe(true);
    expect(evaluator.allowed(controller, podNamed('web'), 8080)).toBe(true);
    expect(evaluator.allowed(podNamed('web'), podNamed('api'), 8081)).toBe(false);
    expect(evaluator.allowed(podNamed('api'), podNamed('web'), 8080)).toBe(false);
    expect(evaluator.allowed(controller, podNamed('api'), 8080)).toBe(false);
  });

  test('a deployment without flows reaches only dns and is reached by nothing', () => {
    const cron = podNamed('cron');
    expect(evaluator.allowed(cron, kubeDns, 53, 'UDP')).toBe(true);
    expect(evaluator.allowed(cron, kubeDns, 53, 'TCP')).toBe(true);
    expect(evaluator.allowed(cron, podNamed('api'), 8080)).toBe(false);
    expect(evaluator.allowed(cron, '1.1.1.1', 443)).toBe(false);
    expect(evaluator.allowed(podNamed('web'), cron, 8080)).toBe(false);
  });

  test('a quarantined replica is cut off, dns included', () => {
    const quarantined = { ...podNamed('api'), labels: { ...podNamed('api').labels, [Labels.QUARANTINE]: 'incident-7' } };
    expect(evaluator.allowed(podNamed('web'), quarantined, 8080)).toBe(false);
    expect(evaluator.allowed(quarantined, kubeDns, 53, 'UDP')).toBe(false);
  });
});
