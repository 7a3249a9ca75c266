// Uses every exported construct the way an app would, and passes a MinimalServiceAccount
// explicitly; `tsc` with skipLibCheck off must compile it against the packed .d.ts.
import { App, Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  CalicoMetadataDeny, CidrEgressFlow, CiliumMetadataDeny, DnsProfile, FlowEndpoint, FlowPort, Guard, HardenedCronJob, HardenedDaemonSet,
  HardenedDeployment, HardenedJob, HardenedNamespace, HardenedStatefulSet, HardenedWorkload,
  HardenedValidation, InternetEgressFlow, MetadataAccess, MetadataOptIn, MinimalServiceAccount, NamespaceIngressFlow,
  LoadBalancerTls, Platform, QuarantinePolicy, WorkloadExposure, WorkloadFlow, WorkloadIdentity, checkManifests, manifestsOf,
} from 'cdk8s-hardened';

const IMAGE = `ghcr.io/example/app:1.0.0@sha256:${'c'.repeat(64)}`;
const REASON = 'documented in the platform runbook';

export function buildEverything(app: App): Chart {
  const chart = new Chart(app, 'everything', { namespace: 'apps' });
  new HardenedNamespace(chart, 'apps', { name: 'apps', dns: DnsProfile.kubeDns() });
  new HardenedNamespace(chart, 'partners', { name: 'partners' });

  const account = new MinimalServiceAccount(chart, 'reader', {
    name: 'reader',
    grants: [{ resource: 'configmaps', verbs: ['get'], resourceNames: ['reader-config'] }],
    projectedToken: { audience: 'vault' },
    workloadIdentity: WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/reader' }),
  });
  const probes = { readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }), liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }) };
  const reader = new HardenedDeployment(chart, 'reader-app', {
    containers: [{ image: IMAGE, portNumber: 8080, ...probes }],
    serviceAccount: account,
    platform: Platform.KUBERNETES,
  });
  const writer = new HardenedDeployment(chart, 'writer', { containers: [{ image: IMAGE, portNumber: 8080, ...probes }] });
  writer.expose({ ports: [{ port: 8080 }] });

  // an account is an RBAC subject too: bind it to a cdk8s-plus Role.
  const role = new kplus.Role(chart, 'extra-role', { metadata: { name: 'extra' } });
  role.allow(['get'], kplus.ApiResource.custom({ apiGroup: '', resourceType: 'configmaps' }));
  role.bind(account);

  new WorkloadFlow(chart, 'reader-to-writer', { from: reader, to: writer, ports: [FlowPort.tcp(8080)] });
  new NamespaceIngressFlow(chart, 'ingress', { from: 'ingress-nginx', to: writer, ports: [FlowPort.tcp(8080)] });
  new InternetEgressFlow(chart, 'writer-out', { from: writer, ports: [FlowPort.tcp(443)] });
  new CidrEgressFlow(chart, 'writer-db', { from: writer, cidrs: ['10.20.0.0/16'], ports: [FlowPort.tcp(5432)], destinationName: 'database' });
  new MetadataAccess(chart, 'reader-identity', { from: reader, optIn: MetadataOptIn.eksPodIdentity({ reason: REASON }) });
  new WorkloadExposure(chart, 'reader-public', {
    to: reader,
    targetPort: 8080,
    reason: { reason: REASON },
    ingress: { host: 'reader.example.com', tlsSecretName: 'reader-tls', ingressClassName: 'nginx', controllerNamespace: 'ingress-nginx' },
  });
  new WorkloadExposure(chart, 'writer-partners', {
    to: writer,
    targetPort: 8080,
    reason: { reason: REASON },
    loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD, sourceRanges: ['203.0.113.0/24'] },
  });
  const db = new HardenedStatefulSet(chart, 'db', {
    containers: [{ image: IMAGE, portNumber: 5432, ...probes }],
    volumeClaims: [{ name: 'data', mountPath: '/data', storage: Size.gibibytes(5) }],
  });
  const job = new HardenedJob(chart, 'migrate', { containers: [{ image: IMAGE }] });
  const nightly = new HardenedCronJob(chart, 'nightly', { schedule: Cron.daily(), containers: [{ image: IMAGE }] });
  const agent = new HardenedDaemonSet(chart, 'agent', {
    containers: [{ image: IMAGE, ...probes }],
    hostPaths: [{ path: '/var/log/pods', reason: REASON }],
    exceptions: { tolerations: { tolerations: [{ operator: 'Exists' }], reason: REASON } },
  });
  const sidecarHost: HardenedWorkload = agent;
  sidecarHost.addContainer({ name: 'sidecar', image: IMAGE, ...probes });
  new WorkloadFlow(chart, 'writer-to-db', { from: writer, to: db, ports: [FlowPort.tcp(5432)] });
  new WorkloadFlow(chart, 'job-to-db', { from: job, to: db, ports: [FlowPort.tcp(5432)] });
  new WorkloadFlow(chart, 'nightly-to-partner', {
    from: nightly, to: FlowEndpoint.fromLabels('partners', { 'app.kubernetes.io/name': 'partner-api' }), ports: [FlowPort.tcp(8443)],
  });
  new QuarantinePolicy(chart, 'quarantine', { namespaceName: 'legacy' });
  new CiliumMetadataDeny(chart, 'cilium');
  new CalicoMetadataDeny(chart, 'calico');
  return chart;
}

/** the checker's programmatic API, typed. */
export function findingsOf(chart: Chart): number {
  return checkManifests(manifestsOf(chart), { pack: 'hardened' }).findings.filter((finding) => !finding.suppressed).length;
}

export const plugin = new HardenedValidation({ pack: 'hardened', failOn: 'error' });
export const guard = (app: App) => Guard.of(app, { failOn: 'warning' });
