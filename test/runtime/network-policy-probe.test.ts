import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  checkManifests, evaluateProbeReport, FlowPort, HardenedDeployment, HardenedJob, HardenedNamespace, HardenedStatefulSet, Labels, manifestsOf,
  MetadataAccess, MetadataOptIn, NetworkPolicyEvaluator, NetworkPolicyProbe, parseProbeReport, planNetworkProbes, probeScript, RuntimeImages,
  WorkloadFlow, namespacesFromManifests,
} from '../../src';
import { validateAgainstSchema } from '../support/schema';

const IMAGE = `ghcr.io/example/app:1.0.0@sha256:${'c'.repeat(64)}`;
const NOW = new Date('2026-12-01T00:00:00Z');
const probes = () => ({ readiness: kplus.Probe.fromTcpSocket({ port: 8080 }), liveness: kplus.Probe.fromTcpSocket({ port: 8080 }) });
const CANARY = { namespace: 'netpol-probe-canary', openService: 'canary-open', closedService: 'canary-closed', port: 8080, listenerlessPort: 8081 };

/** an app with three flows from `a`: to `b` (a Service), to `db` (headless) and to `c` (no Service), and one from a Job. */
function observedApp(options: { eksPodIdentity?: boolean } = {}) {
  const app = Testing.app();
  const namespaces = new Chart(app, 'namespaces');
  new HardenedNamespace(namespaces, 'apps', { name: 'apps' });
  new HardenedNamespace(namespaces, 'data', { name: 'data' });
  const chart = new Chart(app, 'apps', { namespace: 'apps' });
  const a = new HardenedDeployment(chart, 'a', { component: 'front', containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
  const b = new HardenedDeployment(chart, 'b', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
  const c = new HardenedDeployment(chart, 'c', { containers: [{ image: IMAGE, portNumber: 9000, ...probes() }] });
  const other = new HardenedDeployment(chart, 'other', { containers: [{ image: IMAGE, portNumber: 8080, ...probes() }] });
  a.expose({ ports: [{ port: 80, targetPort: 8080 }] });
  b.expose({ ports: [{ port: 8080 }] });
  other.expose({ ports: [{ port: 80, targetPort: 8080 }, { port: 9090, targetPort: 8080, name: 'alt' }] });
  const data = new Chart(app, 'data', { namespace: 'data' });
  const db = new HardenedStatefulSet(data, 'db', { containers: [{ image: IMAGE, portNumber: 5432, ...probes() }] });
  const job = new HardenedJob(chart, 'migrate', { containers: [{ image: IMAGE }] });
  new WorkloadFlow(chart, 'a-to-b', { from: a, to: b, ports: [FlowPort.tcp(8080)] });
  new WorkloadFlow(chart, 'a-to-db', { from: a, to: db, ports: [FlowPort.tcp(5432)] });
  new WorkloadFlow(chart, 'a-to-c', { from: a, to: c, ports: [FlowPort.tcp(9000)] });
  new WorkloadFlow(chart, 'job-to-db', { from: job, to: db, ports: [FlowPort.tcp(5432)] });
  if (options.eksPodIdentity) {
    new MetadataAccess(chart, 'a-pod-identity', { from: a, optIn: MetadataOptIn.eksPodIdentity({ reason: 'the app reads S3 through EKS Pod Identity' }) });
  }
  return app;
}

function probeChart(props: Partial<ConstructorParameters<typeof NetworkPolicyProbe>[2]> = {}, observed: App = observedApp()) {
  const chart = new Chart(Testing.app(), 'probes');
  const probe = new NetworkPolicyProbe(chart, 'probe', { observe: observed, ...props });
  return { chart, probe, objects: Testing.synth(chart) as any[] };
}

const jobs = (objects: any[]) => objects.filter((o) => o.kind === 'Job');

describe('planNetworkProbes |', () => {
  const objects = () => manifestsOf(observedApp()).map((entry) => entry.object);

  test('one plan per source of a declared flow, with declared, sampled undeclared, metadata and canary checks', () => {
    const plans = planNetworkProbes(objects(), { canary: CANARY });
    expect(plans.map((p) => `${p.namespace}/${p.name}`)).toEqual(['apps/a', 'apps/migrate']);
    const a = plans[0];
    expect(a.podLabels).toEqual({
      [Labels.NAME]: 'a', [Labels.COMPONENT]: 'front', [Labels.MANAGED_BY]: 'cdk8s-hardened', [Labels.NETPOL_PROBE]: 'a',
    });
    const byCategory = (category: string) => a.checks.filter((c) => c.category === category).map((c) => `${c.check} ${c.target} ${c.expected}`);
    expect(byCategory('canary')).toEqual([
      'canary:open canary-open.netpol-probe-canary.svc.cluster.local:8080 connect',
      'canary:nothing-listening canary-open.netpol-probe-canary.svc.cluster.local:8081 refused',
      'canary:closed canary-closed.netpol-probe-canary.svc.cluster.local:8080 blocked',
    ]);
    // the headless Service is dialled on the pod port, a ClusterIP Service on its own port.
    expect(byCategory('declared')).toEqual([
      'declared:apps/b:8080 b.apps.svc.cluster.local:8080 connect',
      'declared:data/db:5432 db.data.svc.cluster.local:5432 connect',
    ]);
    // other's two Service ports reach the same pod port: probed once, through the first.
    expect(byCategory('undeclared')).toEqual(['undeclared:apps/other:80 other.apps.svc.cluster.local:80 blocked']);
    expect(byCategory('metadata')).toEqual([
      'metadata:169.254.169.254:80 169.254.169.254:80 unreachable',
      'metadata:[fd00:ec2::254]:80 [fd00:ec2::254]:80 unreachable',
      'metadata:169.254.170.2:80 169.254.170.2:80 unreachable',
      'metadata:169.254.170.23:80 169.254.170.23:80 unreachable',
      'metadata:[fd00:ec2::23]:80 [fd00:ec2::23]:80 unreachable',
      'metadata:100.100.100.200:80 100.100.100.200:80 unreachable',
    ]);
    expect(a.skipped).toEqual([{ what: 'apps/a -> apps/c 9000/TCP', reason: 'no Service selects the destination on this port, so the probe has no stable name to dial' }]);
  });

  test('every expectation agrees with the policies for a pod carrying the probe labels', () => {
    const manifest = objects();
    const evaluator = new NetworkPolicyEvaluator(manifest, namespacesFromManifests(manifest), { strict: false });
    const services = new Map<string, { labels: Record<string, string>; namespace: string; port: number }>([['b.apps', { labels: { [Labels.NAME]: 'b' }, namespace: 'apps', port: 8080 }], ['db.data', { labels: { [Labels.NAME]: 'db' }, namespace: 'data', port: 5432 }],
      ['other.apps', { labels: { [Labels.NAME]: 'other' }, namespace: 'apps', port: 8080 }],
      ['a.apps', { labels: { [Labels.NAME]: 'a', [Labels.COMPONENT]: 'front' }, namespace: 'apps', port: 8080 }]]);
    for (const plan of planNetworkProbes(manifest, { canary: CANARY })) {
      const pod = { name: 'probe', namespace: plan.namespace, labels: plan.podLabels };
      for (const check of plan.checks.filter((c) => c.category === 'declared' || c.category === 'undeclared')) {
        const service = services.get(check.target.split('.').slice(0, 2).join('.'));
        if (!service) throw new Error(`no destination known for ${check.target}`);
        const allowed = evaluator.allowed(pod, { name: 'dst', namespace: service.namespace, labels: service.labels }, service.port);
        expect(`${check.check}: ${allowed}`).toBe(`${check.check}: ${check.expected === 'connect'}`);
      }
    }
  });

  test('the undeclared sample is deterministic and bounded', () => {
    const first = planNetworkProbes(objects(), { canary: CANARY, undeclaredSamples: 1 });
    const second = planNetworkProbes(objects(), { canary: CANARY, undeclaredSamples: 1 });
    expect(first).toEqual(second);
    expect(first[0].checks.filter((c) => c.category === 'undeclared')).toHaveLength(1);
    expect(planNetworkProbes(objects(), { canary: CANARY, undeclaredSamples: 0 })[0].checks.filter((c) => c.category === 'undeclared')).toEqual([]);
  });

  test('a metadata address the source is opted in to is skipped, not expected to time out', () => {
    const plans = planNetworkProbes(manifestsOf(observedApp({ eksPodIdentity: true })).map((e) => e.object), { canary: CANARY });
    const a = plans.find((p) => p.name === 'a')!;
    expect(a.checks.map((c) => c.check)).not.toContain('metadata:169.254.170.23:80');
    expect(a.skipped.map((s) => s.what)).toContain('apps/a -> 169.254.170.23:80');
  });

  test('a source on the host network gets no checks: NetworkPolicy does not apply to it', () => {
    const manifest = objects().map((o: any) => (o.kind === 'Deployment' && o.metadata.name === 'a'
      ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { ...o.spec.template.spec, hostNetwork: true } } } } : o));
    const a = planNetworkProbes(manifest, { canary: CANARY }).find((p) => p.name === 'a')!;
    expect(a.checks).toEqual([]);
    expect(a.skipped).toEqual([{ what: 'apps/a', reason: 'runs on the host network, where NetworkPolicy does not apply' }]);
  });

  test('uses the cluster domain, and rejects bad options', () => {
    expect(planNetworkProbes(objects(), { canary: CANARY, clusterDomain: 'corp.internal' })[0].checks[0].target).toBe('canary-open.netpol-probe-canary.svc.corp.internal:8080');
    expect(() => planNetworkProbes(objects(), { canary: CANARY, clusterDomain: 'Bad_Domain' })).toThrow(/clusterDomain is "Bad_Domain"/);
    expect(() => planNetworkProbes(objects(), { canary: CANARY, undeclaredSamples: -1 })).toThrow(/undeclaredSamples is -1/);
  });
});

describe('NetworkPolicyProbe |', () => {
  test('defaults', () => {
    expect(probeChart().objects).toMatchSnapshot();
  });

  test('every option', () => {
    const { objects } = probeChart({
      image: `registry.example.com/mirror/agnhost:2.53@sha256:${'a'.repeat(64)}`,
      undeclaredSamples: 1,
      timeout: Duration.seconds(5),
      clusterDomain: 'corp.internal',
      canaryNamespace: 'probe-canaries',
      argoCdHook: true,
    });
    expect(objects).toMatchSnapshot();
    for (const job of jobs(objects)) {
      expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
      expect(job.metadata.annotations['argocd.argoproj.io/hook-delete-policy']).toBe('BeforeHookCreation');
      const script: string = job.spec.template.spec.containers[0].command[2];
      expect(script).toContain('--timeout=5s');
      expect(script).toContain('canary-open.probe-canaries.svc.corp.internal:8080');
      expect(job.spec.template.spec.containers[0].image).toBe(`registry.example.com/mirror/agnhost:2.53@sha256:${'a'.repeat(64)}`);
    }
    expect(objects.find((o) => o.kind === 'Namespace').metadata.name).toBe('probe-canaries');
  });

  test('each probe Job passes Pod Security restricted on its own and stands in for its source', () => {
    const { objects } = probeChart();
    expect(jobs(objects).map((j) => `${j.metadata.namespace}/${j.metadata.name}`)).toEqual(['apps/netpol-probe-a', 'apps/netpol-probe-migrate']);
    for (const job of jobs(objects)) {
      const pod = job.spec.template.spec;
      const [container] = pod.containers;
      expect(container.image).toBe(RuntimeImages.AGNHOST);
      expect(container.image).toMatch(/^registry\.k8s\.io\/e2e-test-images\/agnhost:[\d.]+@sha256:[a-f0-9]{64}$/);
      expect(container.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe('netpol-probe');
      expect(pod.hostNetwork).toBeUndefined();
      expect(pod.restartPolicy).toBe('Never');
      // never ready: the pod shares the source's labels but never becomes a Service endpoint.
      expect(container.readinessProbe.tcpSocket.port).toBe(1);
      expect(job.spec.backoffLimit).toBe(0);
      expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(60);
      expect(job.spec.template.metadata.labels[Labels.NETPOL_PROBE]).toBe(job.metadata.labels[Labels.NETPOL_PROBE]);
    }
    expect(jobs(objects)[0].spec.template.metadata.labels).toEqual({
      [Labels.NAME]: 'a', [Labels.COMPONENT]: 'front', [Labels.MANAGED_BY]: 'cdk8s-hardened', [Labels.NETPOL_PROBE]: 'a',
    });
    expect(jobs(objects)[0].metadata.annotations['netpol-probe.cdk8s-hardened.io/skipped']).toBe(
      'apps/a -> apps/c 9000/TCP: no Service selects the destination on this port, so the probe has no stable name to dial');
    const accounts = objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'netpol-probe');
    expect(accounts.map((a) => [a.metadata.namespace, a.automountServiceAccountToken])).toEqual([['apps', false]]);
  });

  test('the canary pair: the open one admits probe pods of the source namespaces, the closed one nobody', () => {
    const { objects } = probeChart();
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const ingress = policies.find((p) => p.metadata.name === 'ingress-canary-open-from-netpol-probes');
    expect(ingress.metadata.namespace).toBe('netpol-probe-canary');
    expect(ingress.spec.podSelector.matchLabels).toEqual({ [Labels.NAME]: 'canary-open', [Labels.COMPONENT]: 'netpol-probe-canary' });
    expect(ingress.spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['apps'] }] },
        podSelector: { matchExpressions: [{ key: Labels.NETPOL_PROBE, operator: 'Exists' }, { key: Labels.QUARANTINE, operator: 'DoesNotExist' }] },
      }],
      ports: [{ port: 8080, protocol: 'TCP' }, { port: 8081, protocol: 'TCP' }],
    }]);
    // the whole set, evaluated: a probe pod reaches the open canary (8080, 8081) and not the closed one.
    const observed = manifestsOf(observedApp()).map((e) => e.object);
    const all = [...observed, ...objects];
    const evaluator = new NetworkPolicyEvaluator(all, namespacesFromManifests(all), { strict: false });
    const probePod = { name: 'probe', namespace: 'apps', labels: jobs(objects)[0].spec.template.metadata.labels };
    const open = { name: 'open', namespace: 'netpol-probe-canary', labels: { [Labels.NAME]: 'canary-open', [Labels.COMPONENT]: 'netpol-probe-canary' } };
    const closed = { name: 'closed', namespace: 'netpol-probe-canary', labels: { [Labels.NAME]: 'canary-closed', [Labels.COMPONENT]: 'netpol-probe-canary' } };
    expect(evaluator.allowed(probePod, open, 8080)).toBe(true);
    expect(evaluator.allowed(probePod, open, 8081)).toBe(true);
    expect(evaluator.allowed(probePod, closed, 8080)).toBe(false);
    // and the source workload itself gains nothing: it lacks the probe label.
    expect(evaluator.allowed({ ...probePod, labels: { [Labels.NAME]: 'a', [Labels.COMPONENT]: 'front' } }, open, 8080)).toBe(false);
    const canaries = objects.filter((o) => o.kind === 'Deployment');
    for (const canary of canaries) {
      expect(canary.spec.template.spec.containers[0].args[0]).toBe('serve-hostname');
      expect(canary.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    }
  });

  test('the checker finds nothing in the probe set, and every object is valid against the schema', () => {
    const { chart, objects } = probeChart();
    const report = checkManifests(manifestsOf(chart), { pack: 'hardened', now: NOW });
    expect(report.findings.map((f) => `${f.ruleId} ${f.kind}/${f.name}`)).toEqual([]);
    expect(validateAgainstSchema(objects).validated).toBe(objects.length);
  });

  test('the Job\'s script writes the report the evaluator reads, with the verdicts of the shared table', () => {
    const { probe } = probeChart();
    const plan = probe.plans.find((p) => p.name === 'a')!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-'));
    const fake = path.join(dir, 'agnhost');
    // a stand-in for `agnhost connect`: the canaries behave, b answers, other is dropped, 169.254.169.254 refuses.
    fs.writeFileSync(fake, [
      '#!/bin/sh',
      'case "$4" in',
      '  canary-open.*:8080|b.*) exit 0 ;;',
      '  canary-open.*:8081|169.254.169.254:*) echo REFUSED >&2; exit 1 ;;',
      '  db.*) echo "DNS: lookup failed" >&2; exit 1 ;;',
      '  *) echo TIMEOUT >&2; exit 1 ;;',
      'esac',
    ].join('\n'), { mode: 0o755 });
    const script = probeScript(plan, 3).replace(/\/agnhost connect/g, `${fake} connect`);
    let output = '';
    let status = 0;
    try {
      output = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
    const lines = parseProbeReport(output);
    expect(lines.map((l) => l.check)).toEqual(plan.checks.map((c) => c.check));
    const reported = output.trim().split('\n').map((text) => JSON.parse(text).verdict);
    expect(reported).toEqual(lines.map((l) => l.verdict));
    const report = evaluateProbeReport(lines, { expectedChecks: plan.checks.map((c) => c.check) });
    expect(report.verdict).toBe('fail');
    expect(report.reasons).toEqual([
      'metadata:169.254.169.254:80 from apps/a: expected unreachable, observed REFUSED',
      'declared:data/db:5432 from apps/a: DNS does not decide connect',
    ]);
  });

  test('fails on an unpinned image, a bad timeout, nothing to probe and a canary namespace that runs workloads', () => {
    expect(() => probeChart({ image: 'registry.k8s.io/e2e-test-images/agnhost:2.53' })).toThrow(/image is "registry.k8s.io\/e2e-test-images\/agnhost:2.53": pin it by digest/);
    expect(() => probeChart({ timeout: Duration.seconds(0) })).toThrow(/timeout is 0s: use whole seconds from 1 to 60/);
    expect(() => probeChart({ timeout: Duration.millis(1500) })).toThrow(/timeout is 1.5s/);
    expect(() => probeChart({ canaryNamespace: 'apps' })).toThrow(/canaryNamespace is "apps", which runs observed workloads/);
    const empty = Testing.app();
    new HardenedNamespace(new Chart(empty, 'ns'), 'apps', { name: 'apps' });
    expect(() => probeChart({}, empty)).toThrow(/declares no flow between two workloads: there is nothing to probe/);
    expect(() => new NetworkPolicyProbe(new Chart(Testing.app(), 'x'), 'p', {} as never)).toThrow(/observe is missing/);
  });

  test('synth is byte-identical across runs', () => {
    const render = () => {
      const app = Testing.app();
      const chart = new Chart(app, 'probes');
      new NetworkPolicyProbe(chart, 'probe', { observe: observedApp() });
      return app.synthYaml();
    };
    expect(render()).toEqual(render());
  });
});
