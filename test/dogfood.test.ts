import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AdmissionGuardrails, CalicoMetadataDeny, checkManifests, CidrEgressFlow, CiliumMetadataDeny, DnsProfile, FlowPort, Guard, HardenedDeployment,
  HardenedNamespace, InternetEgressFlow, manifestsOf, MetadataAccess, MetadataOptIn, MinimalServiceAccount,
  NamespaceIngressFlow, Platform, PodSecurityLevel, WorkloadFlow, WorkloadIdentity,
} from '../src';

// the checker over everything the constructs emit: defaults, and every option and exception at once.
const IMAGE = `ghcr.io/example/app:1.0.0@sha256:${'c'.repeat(64)}`;
const REASON = 'documented in the platform runbook';
const NOW = new Date('2026-11-26T00:00:00Z');

function unsuppressed(chart: Chart) {
  const report = checkManifests(manifestsOf(chart), { pack: 'hardened', now: NOW });
  return {
    open: report.findings.filter((f) => !f.suppressed).map((f) => `${f.severity} ${f.ruleId} ${f.kind}/${f.name}: ${f.message}`),
    suppressed: [...new Set(report.findings.filter((f) => f.suppressed).map((f) => `${f.ruleId} ${f.kind}/${f.name}`))].sort(),
    objects: report.summary.objects,
  };
}

function probes() {
  return { readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }), liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }) };
}

describe('dogfood |', () => {
  test('every construct with defaults yields no finding under hardened', () => {
    const chart = new Chart(Testing.app(), 'defaults');
    new HardenedNamespace(chart, 'ns', { name: 'apps' });
    const app = new Chart(Testing.app(), 'apps', { namespace: 'apps' });
    new HardenedNamespace(app, 'ns', { name: 'apps' });
    const a = new HardenedDeployment(app, 'a', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
    const b = new HardenedDeployment(app, 'b', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
    a.expose({ ports: [{ port: 8080 }] });
    new MinimalServiceAccount(app, 'reader');
    new WorkloadFlow(app, 'a-to-b', { from: a, to: b, ports: [FlowPort.tcp(8080)] });
    new InternetEgressFlow(app, 'b-out', { from: b });
    new NamespaceIngressFlow(app, 'ingress', { from: 'ingress-nginx', to: a, ports: [FlowPort.tcp(8080)] });
    new AdmissionGuardrails(chart, 'guardrails');
    for (const c of [chart, app]) {
      const result = unsuppressed(c);
      expect(result.open).toEqual([]);
      expect(result.suppressed).toEqual([]);
    }
  });

  test('every option and exception yields only suppressed findings, each with its reason', () => {
    const namespaces = new Chart(Testing.app(), 'all');
    const ns = new HardenedNamespace(namespaces, 'legacy', {
      name: 'legacy',
      podSecurityVersion: 'v1.28',
      podSecurityException: { warn: PodSecurityLevel.BASELINE, reason: REASON, expires: '2027-06-30' },
      dns: DnsProfile.nodeLocalDnsCache(),
      resourceQuota: { hard: { pods: kplus.k8s.Quantity.fromString('20') } },
      limitRange: { limits: [{ type: 'Container', default: { memory: kplus.k8s.Quantity.fromString('256Mi') } }] },
    });
    new HardenedNamespace(namespaces, 'gke', { name: 'gke', dns: DnsProfile.gkeCloudDns() });
    new HardenedNamespace(namespaces, 'ocp', { name: 'ocp', dns: DnsProfile.openShift() });
    new CiliumMetadataDeny(namespaces, 'cilium');
    new CalicoMetadataDeny(namespaces, 'calico');

    const legacy = new HardenedDeployment(namespaces, 'legacy-app', {
      namespace: 'legacy',
      component: 'backend',
      partOf: 'legacy',
      replicas: 3,
      containers: [{ image: IMAGE, portNumber: 80, allowNetBindService: true, ...probes() }],
      initContainers: [{ image: IMAGE, name: 'migrate' }],
      writablePaths: [{ path: '/tmp', sizeLimit: Size.mebibytes(32) }, { path: '/run', memory: true }],
      requireDigest: true,
      serviceAccountOptions: {
        grants: [
          { resource: 'configmaps', verbs: ['get'], resourceNames: ['legacy-config'] },
          { resource: 'secrets', verbs: ['get'], resourceNames: ['legacy-tls'] },
          { resource: 'pods/exec', verbs: ['create'] },
          { resource: 'pods', verbs: ['create'] },
          { apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ['bind', 'escalate'], resourceNames: ['legacy-role'] },
          { resource: 'configmaps', verbs: ['*'], resourceNames: ['legacy-cache'] },
        ],
        projectedToken: { audience: 'vault', expirationSeconds: 3600 },
        workloadIdentity: WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/legacy' }),
        exceptions: {
          readSecrets: { reason: REASON },
          podsExec: { reason: REASON },
          createPods: { reason: REASON },
          wildcard: { reason: REASON },
          escalationVerbs: { reason: REASON },
          clusterAdmin: { reason: REASON },
        },
      },
      exceptions: {
        runAsRoot: { reason: REASON },
        allowPrivilegeEscalation: { reason: REASON },
        privileged: { reason: REASON },
        capabilities: { add: ['NET_ADMIN', 'SYS_TIME'], reason: REASON },
        writableRootFilesystem: { reason: REASON },
        automountServiceAccountToken: { reason: REASON, expires: '2027-01-31' },
      },
    });
    const ocp = new HardenedDeployment(namespaces, 'ocp-app', {
      namespace: 'ocp',
      platform: Platform.OPENSHIFT,
      containers: [{ image: IMAGE, portNumber: 8080, ...probes() }],
      serviceAccountOptions: { workloadIdentity: WorkloadIdentity.azure({ clientId: '00000000-0000-0000-0000-000000000001' }) },
    });
    const gke = new HardenedDeployment(namespaces, 'gke-app', {
      namespace: 'gke',
      containers: [{ image: IMAGE, portNumber: 8080, ...probes() }],
      serviceAccountOptions: { workloadIdentity: WorkloadIdentity.gke({ serviceAccountEmail: 'gke-app@shop-prod.iam.gserviceaccount.com' }) },
    });
    new MetadataAccess(namespaces, 'gke-identity', { from: gke, optIn: MetadataOptIn.gkeWorkloadIdentity({ reason: REASON }) });
    new MetadataAccess(namespaces, 'eks-identity', { from: legacy, optIn: MetadataOptIn.eksPodIdentity({ reason: REASON }) });
    new WorkloadFlow(namespaces, 'legacy-to-ocp', { from: legacy, to: ocp, ports: [FlowPort.tcp(8080), FlowPort.udpRange(9000, 9010)] });
    new NamespaceIngressFlow(namespaces, 'legacy-to-gke', { from: ns, to: gke, ports: [FlowPort.tcp(8080)] });
    new InternetEgressFlow(namespaces, 'ocp-out', { from: ocp, ports: [FlowPort.tcp(443), FlowPort.tcp(8443)], ipv6: false });
    new CidrEgressFlow(namespaces, 'legacy-db', { from: legacy, cidrs: ['10.20.0.0/16', '169.254.0.0/16'], ports: [FlowPort.tcp(5432)], destinationName: 'database' });

    const result = unsuppressed(namespaces);
    expect(result.open).toEqual([]);
    expect(result.suppressed).toEqual([
      'container-writable-root Deployment/legacy-app',
      'namespace-psa-labels Namespace/legacy',
      'netpol-metadata-reachable NetworkPolicy/allow-dns',
      'netpol-metadata-reachable NetworkPolicy/egress-gke-app-to-gke-metadata',
      'netpol-metadata-reachable NetworkPolicy/egress-legacy-app-to-eks-pod-identity',
      'pss-allow-privilege-escalation Deployment/legacy-app',
      'pss-capabilities-restricted Deployment/legacy-app',
      'pss-privileged Deployment/legacy-app',
      'pss-run-as-non-root Deployment/legacy-app',
      'pss-run-as-user Deployment/legacy-app',
      'rbac-cluster-admin-binding ClusterRoleBinding/legacy-legacy-app-cluster-admin',
      'rbac-create-pods Role/legacy-app',
      'rbac-escalation-verbs Role/legacy-app',
      'rbac-pods-exec Role/legacy-app',
      'rbac-read-secrets Role/legacy-app',
      'rbac-wildcard Role/legacy-app',
      'workload-token-automount Deployment/legacy-app',
    ]);
  });

  test('the guard fails synth on what the constructs did not emit: a raw object in the same chart', () => {
    const chart = new Chart(Testing.app(), 'guarded', { namespace: 'apps' });
    new HardenedDeployment(chart, 'ok', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
    Guard.of(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    new kplus.Pod(chart, 'raw', { containers: [{ image: IMAGE }] });
    expect(() => Testing.synth(chart)).toThrow(/error pss-capabilities-restricted: Pod apps\/guarded-raw-c8[0-9a-f]+ at guarded\/raw\/Resource/);
  });
});
