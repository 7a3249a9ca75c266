import { Chart, Testing } from 'cdk8s';
import { checkManifests } from '../../src/checker/engine';
import { manifestsOf } from '../../src/checker/guard';
import { HardenedNamespace } from '../../src/namespace/hardened-namespace';
import {
  CalicoMetadataDeny, CidrEgressFlow, CiliumMetadataDeny, DnsProfile, FlowPort, InternetEgressFlow, MetadataAccess, MetadataOptIn,
  NamespaceIngressFlow, WorkloadFlow,
} from '../../src/network';
import { FlowEndpointDouble } from '../support/flow-endpoint-double';

// what the network constructs emit must pass the hardened pack; the only findings are the
// reasoned metadata opt-ins, and those are suppressed
test('the hardened pack finds nothing unsuppressed in what the network constructs emit', () => {
  const chart = new Chart(Testing.app(), 'platform', { namespace: 'leaky' });
  const shop = new HardenedNamespace(chart, 'Shop', { name: 'shop' });
  new HardenedNamespace(chart, 'Gke', { name: 'gke', dns: DnsProfile.gkeCloudDns() });
  new HardenedNamespace(chart, 'NodeLocal', { name: 'node-local', dns: DnsProfile.nodeLocalDnsCache() });
  new HardenedNamespace(chart, 'OpenShift', { name: 'openshift', dns: DnsProfile.openShift() });
  const web = new FlowEndpointDouble(chart, 'Web', { appName: 'web', namespaceName: 'shop' });
  const api = new FlowEndpointDouble(chart, 'Api', { appName: 'api', namespaceName: 'gke' });
  new WorkloadFlow(chart, 'WebToApi', { from: web, to: api, ports: [FlowPort.tcp(8080)] });
  new NamespaceIngressFlow(chart, 'ShopToApi', { from: shop, to: api, ports: [FlowPort.tcp(9090)] });
  new InternetEgressFlow(chart, 'Internet', { from: api });
  new CidrEgressFlow(chart, 'Ranges', { from: api, cidrs: ['169.254.0.0/16', '100.64.0.0/10', 'fd00::/8'], ports: [FlowPort.tcp(8443)], nonPublicRanges: { reason: 'the partner gateways answer anywhere in these ranges' } });
  new MetadataAccess(chart, 'PodIdentity', { from: api, optIn: MetadataOptIn.eksPodIdentity({ reason: 'the agent assumes its IAM role' }) });
  new MetadataAccess(chart, 'WorkloadIdentity', { from: web, optIn: MetadataOptIn.gkeWorkloadIdentity({ reason: 'the agent reads its Google identity' }) });
  new CiliumMetadataDeny(chart, 'Cilium');
  new CalicoMetadataDeny(chart, 'Calico');

  const report = checkManifests(manifestsOf(chart), { pack: 'hardened', now: new Date('2026-01-01T00:00:00Z') });
  const unsuppressed = report.findings.filter(f => !f.suppressed);
  expect(unsuppressed).toEqual([]);
  const suppressed = report.findings.filter(f => f.suppressed).map(f => `${f.ruleId} ${f.name}`);
  expect([...new Set(suppressed)].sort()).toEqual([
    // gke cloud dns: port 53 on 169.254.169.254, opened by the typed dns profile with its reason
    'netpol-egress-non-public-ranges egress-api-to-169-254-0-0-16-100-64-0-0-10-fd00-8',
    'netpol-metadata-reachable allow-dns',
    'netpol-metadata-reachable egress-api-to-eks-pod-identity',
    'netpol-metadata-reachable egress-web-to-gke-metadata',
  ]);
});
