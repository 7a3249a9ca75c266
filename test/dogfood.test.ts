import { Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AdmissionGuardrails, CalicoMetadataDeny, checkManifests, CidrEgressFlow, CiliumMetadataDeny, DnsProfile, FlowEndpoint, FlowPort, Guard,
  HardenedCronJob, HardenedDaemonSet, HardenedDeployment, HardenedJob, HardenedStatefulSet,
  HardenedNamespace, InternetEgressFlow, manifestsOf, MetadataAccess, MetadataOptIn, MinimalServiceAccount,
  LoadBalancerTls, NamespaceIngressFlow, Platform, PodSecurityLevel, WorkloadExposure, WorkloadFlow, WorkloadIdentity,
  ClusterSecretStore, CsiSecretProvider, ExternalSecret, SecretProviderClass, SecretStore, SecretStoreProvider,
  FalcoRules, KubeBenchScan, KubeBenchTarget, NetworkPolicyProbe,
} from '../src';
import { appWithNamespaces } from './support/hardened-app';

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
    new WorkloadExposure(app, 'b-public', {
      to: b,
      targetPort: 8080,
      reason: { reason: REASON },
      ingress: { host: 'b.example.com', tlsSecretName: 'b-tls', ingressClassName: 'nginx', controllerNamespace: 'ingress-nginx' },
    });
    const db = new HardenedStatefulSet(app, 'db', { containers: [{ image: IMAGE, portNumber: 5432, ...probes() }], volumeClaims: [{ name: 'data', mountPath: '/data' }] });
    const job = new HardenedJob(app, 'migrate', { containers: [{ image: IMAGE }] });
    const cron = new HardenedCronJob(app, 'nightly', { schedule: Cron.daily(), containers: [{ image: IMAGE }] });
    const agent = new HardenedDaemonSet(app, 'agent', { containers: [{ image: IMAGE, ...probes() }] });
    new WorkloadFlow(app, 'a-to-db', { from: a, to: db, ports: [FlowPort.tcp(5432)] });
    new WorkloadFlow(app, 'job-to-db', { from: job, to: db, ports: [FlowPort.tcp(5432)] });
    new WorkloadFlow(app, 'cron-to-a', { from: cron, to: a, ports: [FlowPort.tcp(8080)] });
    const collector = FlowEndpoint.fromLabels('logging', { 'app.kubernetes.io/name': 'collector' });
    new WorkloadFlow(app, 'agent-out', { from: agent, to: collector, ports: [FlowPort.tcp(4317)] });
    const store = new SecretStore(app, 'vault', {
      provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'apps', serviceAccount: new MinimalServiceAccount(app, 'secrets') }),
    });
    a.mountSecret(new ExternalSecret(app, 'a-db', { store, data: [{ secretKey: 'password', remoteKey: 'apps/db' }] }), { mountPath: '/var/run/secrets/db' });
    b.mountSecretProviderClass(new SecretProviderClass(app, 'b-keys', {
      provider: CsiSecretProvider.vault({ address: 'https://vault.example.com', roleName: 'b', objects: [{ objectName: 'key', secretPath: 'secret/data/b', secretKey: 'key' }] }),
    }), { mountPath: '/var/run/secrets/keys' });
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
        secretInEnv: { reason: REASON },
      },
    });
    legacy.addContainer({ name: 'licence', image: IMAGE, ...probes(), envVariables: { KEY: kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(namespaces, 'licence', 'licence'), key: 'key' }) } });
    new SecretStore(namespaces, 'legacy-vault', {
      namespace: 'legacy',
      provider: SecretStoreProvider.vaultToken({ server: 'https://vault.example.com', path: 'kv', tokenSecret: { name: 'vault-token', key: 'token' } }),
      exceptions: { staticCredentials: { reason: REASON } },
    });
    const shared = new ClusterSecretStore(namespaces, 'shared-aws', {
      namespaces: ['legacy', 'ocp'],
      provider: SecretStoreProvider.awsSecretsManager({
        region: 'eu-west-1',
        serviceAccount: new MinimalServiceAccount(namespaces, 'eso-reader', { namespace: 'legacy', workloadIdentity: WorkloadIdentity.eks({ roleArn: 'arn:aws:iam::123456789012:role/eso-reader' }) }),
      }),
    });
    new ExternalSecret(namespaces, 'legacy-db-password', { namespace: 'legacy', store: shared, data: [{ secretKey: 'password', remoteKey: 'legacy/db' }] });
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
    new HardenedNamespace(namespaces, 'node-agents', {
      name: 'node-agents',
      podSecurityException: {
        enforce: PodSecurityLevel.PRIVILEGED, audit: PodSecurityLevel.PRIVILEGED, warn: PodSecurityLevel.PRIVILEGED, reason: REASON,
      },
    });
    new HardenedDaemonSet(namespaces, 'agent', {
      namespace: 'node-agents',
      containers: [{ image: IMAGE, ...probes() }],
      hostPaths: [{ path: '/var/log/pods', reason: REASON }, { path: '/run/containerd/containerd.sock', type: kplus.HostPathVolumeType.SOCKET, reason: REASON }],
      exceptions: {
        hostNetwork: { reason: REASON },
        hostPID: { reason: REASON },
        runtimeSocket: { reason: REASON },
        tolerations: { tolerations: [{ operator: 'Exists' }], reason: REASON },
      },
    });
    new HardenedStatefulSet(namespaces, 'legacy-store', {
      namespace: 'legacy',
      replicas: 3,
      containers: [{ image: IMAGE, portNumber: 5432, ...probes() }],
      volumeClaims: [{ name: 'data', mountPath: '/data', storage: Size.gibibytes(10), storageClassName: 'encrypted' }],
      exceptions: { writableRootFilesystem: { reason: REASON } },
    });
    new HardenedCronJob(namespaces, 'legacy-report', {
      namespace: 'legacy',
      schedule: Cron.schedule({ minute: '30', hour: '2' }),
      timeZone: 'Europe/Berlin',
      containers: [{ image: IMAGE }],
      exceptions: { runAsRoot: { reason: REASON } },
    });
    new HardenedJob(namespaces, 'kube-cleanup', {
      namespace: 'kube-system',
      containers: [{ image: IMAGE }],
      exceptions: { systemNamespace: { reason: REASON }, capabilities: { add: ['KILL'], reason: REASON } },
    });
    new HardenedJob(namespaces, 'partner-sync', {
      namespace: 'partner',
      externallyHardenedNamespace: { reason: REASON },
      containers: [{ image: IMAGE }],
    });
    new CidrEgressFlow(namespaces, 'legacy-db', { from: legacy, cidrs: ['10.20.0.0/16', '169.254.0.0/16'], ports: [FlowPort.tcp(5432)], destinationName: 'database', nonPublicRanges: { reason: REASON } });

    new WorkloadExposure(namespaces, 'gke-public', {
      to: gke,
      targetPort: 8080,
      reason: { reason: REASON },
      loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD, internetWide: { reason: REASON }, allocateNodePorts: true },
    });
    new WorkloadExposure(namespaces, 'ocp-partners', {
      to: ocp,
      targetPort: 8080,
      reason: { reason: REASON },
      loadBalancer: { port: 443, tls: LoadBalancerTls.WORKLOAD, sourceRanges: ['203.0.113.0/24'] },
    });

    const result = unsuppressed(namespaces);
    expect(result.open).toEqual([]);
    expect(result.suppressed).toEqual([
      'container-root-group CronJob/legacy-report',
      'container-root-group Deployment/legacy-app',
      'container-writable-root Deployment/legacy-app',
      'container-writable-root StatefulSet/legacy-store',
      'host-path-cri-socket DaemonSet/agent',
      'namespace-psa-labels Namespace/legacy',
      'namespace-psa-labels Namespace/node-agents',
      'netpol-egress-non-public-ranges NetworkPolicy/egress-legacy-app-to-database',
      'netpol-ingress-from-anywhere NetworkPolicy/ingress-gke-app-from-load-balancer-gke-app-public',
      'netpol-metadata-reachable NetworkPolicy/allow-dns',
      'netpol-metadata-reachable NetworkPolicy/egress-gke-app-to-gke-metadata',
      'netpol-metadata-reachable NetworkPolicy/egress-legacy-app-to-eks-pod-identity',
      'pss-allow-privilege-escalation Deployment/legacy-app',
      'pss-capabilities-restricted Deployment/legacy-app',
      'pss-capabilities-restricted Job/kube-cleanup',
      'pss-host-namespaces DaemonSet/agent',
      'pss-privileged Deployment/legacy-app',
      'pss-restricted-volumes DaemonSet/agent',
      'pss-run-as-non-root CronJob/legacy-report',
      'pss-run-as-non-root Deployment/legacy-app',
      'pss-run-as-user CronJob/legacy-report',
      'pss-run-as-user Deployment/legacy-app',
      'rbac-cluster-admin-binding ClusterRoleBinding/legacy-legacy-app-cluster-admin',
      'rbac-create-pods Role/legacy-app',
      'rbac-escalation-verbs Role/legacy-app',
      'rbac-pods-exec Role/legacy-app',
      'rbac-read-secrets Role/legacy-app',
      'rbac-wildcard Role/legacy-app',
      'secret-in-env Deployment/legacy-app',
      'secret-store-static-credentials SecretStore/legacy-vault',
      'service-load-balancer Service/gke-app-public',
      'service-load-balancer Service/ocp-app-public',
      'workload-token-automount Deployment/legacy-app',
    ]);
  });

  test('the runtime constructs: the probe set yields no finding, the CIS scan only reasoned suppressions, the Falco rules pass their shape check', () => {
    const observed = Testing.app();
    const namespaces = new Chart(observed, 'namespaces');
    new HardenedNamespace(namespaces, 'apps', { name: 'apps' });
    const apps = new Chart(observed, 'apps', { namespace: 'apps' });
    const a = new HardenedDeployment(apps, 'a', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
    const b = new HardenedDeployment(apps, 'b', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
    b.expose({ ports: [{ port: 8080 }] });
    new WorkloadFlow(apps, 'a-to-b', { from: a, to: b, ports: [FlowPort.tcp(8080)] });
    new InternetEgressFlow(apps, 'a-out', { from: a });
    const optIn = new Chart(Testing.app(), 'opt-in');
    new NetworkPolicyProbe(optIn, 'probe', { observe: observed, argoCdHook: true });
    new KubeBenchScan(optIn, 'scan', {
      privilegedNamespace: { reason: REASON, expires: '2027-06-30' },
      targets: [KubeBenchTarget.NODE, KubeBenchTarget.MASTER, KubeBenchTarget.ETCD],
      schedule: Cron.weekly(),
      today: '2026-11-26',
    });
    const result = unsuppressed(optIn);
    expect(result.open).toEqual([]);
    expect(result.suppressed).toEqual([
      'container-root-group CronJob/kube-bench',
      'namespace-psa-labels Namespace/cis-scan',
      'pss-host-namespaces CronJob/kube-bench',
      'pss-restricted-volumes CronJob/kube-bench',
      'pss-run-as-non-root CronJob/kube-bench',
      'pss-run-as-user CronJob/kube-bench',
    ]);
    expect(FalcoRules.of(observed).shapeProblems()).toEqual([]);
  });

  test('the guard fails synth on what the constructs did not emit: a raw object in the same chart', () => {
    const chart = new Chart(appWithNamespaces(), 'guarded', { namespace: 'apps' });
    new HardenedDeployment(chart, 'ok', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
    Guard.of(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    new kplus.Pod(chart, 'raw', { containers: [{ image: IMAGE }] });
    expect(() => Testing.synth(chart)).toThrow(/error pss-capabilities-restricted: Pod apps\/guarded-raw-c8[0-9a-f]+ at guarded\/raw\/Resource/);
  });
});
