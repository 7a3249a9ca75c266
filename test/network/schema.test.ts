import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { HardenedNamespace } from '../../src/namespace/hardened-namespace';
import {
  CidrEgressFlow, DnsProfile, FlowPort, InternetEgressFlow, MetadataAccess, MetadataOptIn, NamespaceIngressFlow, WorkloadFlow,
} from '../../src/network';
import { FlowEndpointDouble } from '../support/flow-endpoint-double';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  NetworkPolicy, Namespace, ServiceAccount, ResourceQuota, LimitRange,
};

test('every object the network constructs emit validates against the Kubernetes 1.28 schema', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'leaky' });
  const shop = new HardenedNamespace(chart, 'Shop', {
    name: 'shop',
    dns: DnsProfile.nodeLocalDnsCache(),
    resourceQuota: { hard: { pods: kplus.k8s.Quantity.fromString('10') } },
    limitRange: { limits: [{ type: 'Container', default: { memory: kplus.k8s.Quantity.fromString('128Mi') } }] },
  });
  new HardenedNamespace(chart, 'Gke', { name: 'gke', dns: DnsProfile.gkeCloudDns() });
  const web = new FlowEndpointDouble(chart, 'Web', { appName: 'web', namespaceName: 'shop' });
  const api = new FlowEndpointDouble(chart, 'Api', { appName: 'api', namespaceName: 'gke' });
  new WorkloadFlow(chart, 'WebToApi', { from: web, to: api, ports: [FlowPort.tcpRange(8000, 8080)] });
  new NamespaceIngressFlow(chart, 'FromShop', { from: shop, to: api, ports: [FlowPort.udp(5000)] });
  new InternetEgressFlow(chart, 'Internet', { from: web });
  new CidrEgressFlow(chart, 'Cidr', { from: web, cidrs: [{ cidr: '10.0.0.0/12', except: ['10.1.0.0/16'] }], ports: [FlowPort.tcp(5432)] });
  new MetadataAccess(chart, 'Meta', { from: api, optIn: MetadataOptIn.gkeWorkloadIdentity({ reason: 'metrics agent reads its Google identity' }) });

  const objects = Testing.synth(chart);
  expect(objects.length).toBeGreaterThan(10);
  for (const object of objects) {
    const Model = MODELS[object.kind];
    expect(Model).toBeDefined();
    expect(() => new Model(object).validate()).not.toThrow();
  }
  const names = objects.map(o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  expect(new Set(names).size).toBe(names.length);
});
