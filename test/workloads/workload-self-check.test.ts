import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HardenedDeployment, HardenedNamespace, HardenedWorkload } from '../../src';
import { appWithNamespaces, TEST_NAMESPACE } from '../support/hardened-app';
import { IMAGE, podSpecPointer, WORKLOAD_KINDS, WorkloadKind } from '../support/workload-kinds';

// bypass attempts: everything reachable through `resource`, cdk8s-plus methods or JSON patches
// that weakens a hardened workload must fail synth, naming the construct path and the fix.
const REASON = 'the platform team runs this namespace';
const OTHER_IMAGE = `registry.example.com/sidecar@sha256:${'d'.repeat(64)}`;

function setUp(kind: WorkloadKind, props: Parameters<WorkloadKind['build']>[2] = {}) {
  const app = appWithNamespaces();
  const chart = new Chart(app, 'test', { namespace: TEST_NAMESPACE });
  const workload = kind.build(chart, 'app', props);
  return { app, chart, workload, patch: (...patches: JsonPatch[]) => ApiObject.of(workload.resource).addJsonPatch(...patches) };
}

/** the validation errors of a synth, or [] when it succeeds. */
function synthErrors(app: App): string {
  try {
    app.synthYaml();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe.each(WORKLOAD_KINDS.map((kind) => [kind.kind, kind] as const))('%s | self-check', (kindName, kind) => {
  const pod = podSpecPointer(kindName);

  test('the untouched construct synthesizes', () => {
    expect(synthErrors(setUp(kind).app)).toBe('');
  });

  const bypasses: [string, (ctx: ReturnType<typeof setUp>) => void, RegExp][] = [
    ['resource.addContainer with cdk8s-plus defaults', ({ workload }) => { workload.resource.addContainer({ image: OTHER_IMAGE, name: 'sidecar' }); },
      /pss-capabilities-restricted: .*container "sidecar".*Fix: add containers through the construct's addContainer/],
    ['resource.addInitContainer with cdk8s-plus defaults', ({ workload }) => { workload.resource.addInitContainer({ image: OTHER_IMAGE, name: 'setup' }); },
      /container "setup" does not drop ALL capabilities \[spec\.[a-zA-Z.]*initContainers\[0\]/],
    ['resource.addVolume of the node root', ({ workload }) => { workload.resource.addVolume(kplus.Volume.fromHostPath(workload, 'root', 'root', { path: '/' })); },
      /volume "root" mounts hostPath "\/", which the construct did not declare/],
    ['containers[0].mount of a hostPath', ({ workload }) => { workload.resource.containers[0].mount('/host', kplus.Volume.fromHostPath(workload, 'etc', 'etc', { path: '/etc' })); },
      /hostPath "\/etc"/],
    ['a patch making the root filesystem writable', ({ patch }) => patch(JsonPatch.replace(`${pod}/containers/0/securityContext/readOnlyRootFilesystem`, false)),
      /container-writable-root: .*Fix: remove the patch or call that sets readOnlyRootFilesystem/],
    ['a patch setting runAsGroup 0', ({ patch }) => patch(JsonPatch.replace(`${pod}/securityContext/runAsGroup`, 0)),
      /container-root-group: the pod sets runAsGroup 0/],
    ['a patch setting a container runAsGroup 0', ({ patch }) => patch(JsonPatch.replace(`${pod}/containers/0/securityContext/runAsGroup`, 0)),
      /container-root-group: container "main" sets runAsGroup 0/],
    ['a patch adding supplementalGroups [0]', ({ patch }) => patch(JsonPatch.add(`${pod}/securityContext/supplementalGroups`, [0])),
      /container-root-group: the pod lists group 0/],
    ['a patch setting fsGroup 0', ({ patch }) => patch(JsonPatch.replace(`${pod}/securityContext/fsGroup`, 0)),
      /container-root-group: the pod sets fsGroup 0/],
    ['a patch making a container privileged', ({ patch }) => patch(JsonPatch.replace(`${pod}/containers/0/securityContext/privileged`, true)),
      /pss-privileged/],
    ['a patch turning on host networking', ({ patch }) => patch(JsonPatch.replace(`${pod}/hostNetwork`, true)),
      /pss-host-namespaces/],
    ['a patch removing the dropped capabilities', ({ patch }) => patch(JsonPatch.remove(`${pod}/containers/0/securityContext/capabilities`)),
      /pss-capabilities-restricted/],
    ['a patch turning off seccomp', ({ patch }) => patch(JsonPatch.replace(`${pod}/securityContext/seccompProfile`, { type: 'Unconfined' })),
      /pss-seccomp-profile/],
    ['a patch running as root', ({ patch }) => patch(JsonPatch.replace(`${pod}/securityContext/runAsNonRoot`, false), JsonPatch.replace(`${pod}/containers/0/securityContext/runAsNonRoot`, false)),
      /pss-run-as-non-root/],
    ['a patch mounting the token', ({ patch }) => patch(JsonPatch.replace(`${pod}/automountServiceAccountToken`, true)),
      /workload-token-automount/],
    ['a patch removing the namespace', ({ patch }) => patch(JsonPatch.remove('/metadata/namespace')),
      /it has no namespace, so it lands in whatever namespace kubectl points at/],
    ['a projected token that lives a day', ({ patch }) => patch(JsonPatch.add(`${pod}/volumes/-`,
      { name: 'day-token', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 86400, path: 'token' } }] } })),
    /volume "day-token" projects a ServiceAccount token valid for 86400s, longer than 3600s.*Fix: use serviceAccountOptions\.projectedToken/],
    ['a projected token without an audience', ({ patch }) => patch(JsonPatch.add(`${pod}/volumes/-`,
      { name: 'api-token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } })),
    /volume "api-token" projects a ServiceAccount token without an audience/],
    ['a cdk8s-plus Service selecting resource', ({ chart, workload }) => { new kplus.Service(chart, 'svc', { selector: workload.resource, ports: [{ port: 8080 }] }); },
      /selects its pods by the label cdk8s\.io\/metadata\.addr, .*matches no pod\. Fix: use expose\(\) for a Service/],
    ['resource.connections.allowFrom another workload', ({ chart, workload }) => {
      const other = new HardenedDeployment(chart, 'other', { containers: [{ image: IMAGE }] });
      workload.resource.connections.allowFrom(other.resource, { ports: [kplus.NetworkPolicyPort.tcp(8080)] });
    }, /NetworkPolicy .* selects its pods by the label cdk8s\.io\/metadata\.addr/],
  ];

  test.each(bypasses)('fails synth on %s, naming the construct path and a fix', (_name, bypass, message) => {
    const ctx = setUp(kind);
    bypass(ctx);
    const errors = synthErrors(ctx.app);
    expect(errors).toMatch(message);
    expect(errors).toContain(`[test/app] ${kindName} "app":`);
    expect(errors).toContain('Fix: ');
  });

  test('a bypass added after one synth fails the next synth, even in the same turn', () => {
    const ctx = setUp(kind);
    expect(synthErrors(ctx.app)).toBe('');
    ctx.patch(JsonPatch.replace(`${pod}/containers/0/securityContext/readOnlyRootFilesystem`, false));
    new kplus.Service(ctx.chart, 'late-svc', { selector: ctx.workload.resource, ports: [{ port: 8080 }] });
    const errors = synthErrors(ctx.app);
    expect(errors).toMatch(/container-writable-root/);
    expect(errors).toMatch(/selects its pods by the label cdk8s\.io\/metadata\.addr/);
  });

  test('a reasoned suppression annotation added by hand is honoured', () => {
    const ctx = setUp(kind);
    ctx.patch(JsonPatch.replace(`${pod}/containers/0/securityContext/readOnlyRootFilesystem`, false));
    ctx.workload.resource.metadata.addAnnotation('ignore-check.cdk8s-hardened.io/container-writable-root', 'the vendor agent writes its state into /opt');
    expect(synthErrors(ctx.app)).toBe('');
  });

  test('a suppression with a too short reason does not count', () => {
    const ctx = setUp(kind);
    ctx.patch(JsonPatch.replace(`${pod}/containers/0/securityContext/readOnlyRootFilesystem`, false));
    ctx.workload.resource.metadata.addAnnotation('ignore-check.cdk8s-hardened.io/container-writable-root', 'x');
    expect(synthErrors(ctx.app)).toMatch(/container-writable-root/);
  });

  test('the construct\'s addVolume refuses hostPath', () => {
    const { workload } = setUp(kind);
    expect(() => workload.addVolume(kplus.Volume.fromHostPath(workload, 'root', 'root', { path: '/' })))
      .toThrow(/addVolume got hostPath volume "root" \(\/\): a hostPath gives the pod the node's files/);
  });

  test('the construct\'s addVolume takes an emptyDir, and synth stays clean', () => {
    const { app, workload } = setUp(kind);
    const cache = kplus.Volume.fromEmptyDir(workload, 'cache', 'cache');
    workload.addVolume(cache);
    workload.addContainer({ name: 'worker', image: OTHER_IMAGE, volumeMounts: [{ path: '/cache', volume: cache }] });
    expect(synthErrors(app)).toBe('');
  });

  test('a ServiceAccount token Secret mounted as a volume is refused', () => {
    const { app, chart, workload } = setUp(kind);
    const token = new kplus.ServiceAccountTokenSecret(chart, 'token', { serviceAccount: workload.serviceAccount, metadata: { name: 'app-token' } });
    workload.addVolume(kplus.Volume.fromSecret(workload, 'token-volume', token, { name: 'token' }));
    expect(synthErrors(app)).toMatch(/uses Secret "app-token" of type kubernetes\.io\/service-account-token.*Fix: remove the Secret/);
  });

  test('a ServiceAccount token Secret read through env is refused', () => {
    // reading a Secret into env at all needs the exception; the token check must still refuse this one.
    const { app, chart, workload } = setUp(kind, { exceptions: { secretInEnv: { reason: 'the legacy reader takes its token from env only' } } });
    const token = new kplus.ServiceAccountTokenSecret(chart, 'token', { serviceAccount: workload.serviceAccount, metadata: { name: 'app-token' } });
    workload.addContainer({ name: 'reader', image: OTHER_IMAGE, envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret: token, key: 'token' }) } });
    expect(synthErrors(app)).toMatch(/uses Secret "app-token" of type kubernetes\.io\/service-account-token/);
  });
});

describe('namespace requirement |', () => {
  const kind = WORKLOAD_KINDS[0];
  const errorsOf = (build: (app: App) => void) => {
    const app = Testing.app();
    build(app);
    return synthErrors(app);
  };

  test('no namespace at all fails', () => {
    expect(errorsOf((app) => kind.build(new Chart(app, 'c'), 'app', {})))
      .toMatch(/\[c\/app\] Deployment "app": it has no namespace.*Fix: set namespace/);
  });

  test('a namespace no HardenedNamespace creates fails', () => {
    expect(errorsOf((app) => kind.build(new Chart(app, 'c', { namespace: 'shop' }), 'app', {})))
      .toMatch(/its namespace "shop" is created by no HardenedNamespace in this app.*Fix: add new HardenedNamespace\(scope, 'shop', \{ name: 'shop' \}\)/);
  });

  test('a HardenedNamespace in another chart of the app counts', () => {
    expect(errorsOf((app) => {
      new HardenedNamespace(new Chart(app, 'ns'), 'shop', { name: 'shop' });
      kind.build(new Chart(app, 'c', { namespace: 'shop' }), 'app', {});
    })).toBe('');
  });

  test('externallyHardenedNamespace is a reasoned declaration written as an annotation', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    kind.build(chart, 'app', { externallyHardenedNamespace: { reason: REASON } });
    expect(synthErrors(app)).toBe('');
    const object = Testing.synth(chart).find((o: any) => o.kind === 'Deployment');
    expect(object.metadata.annotations).toEqual({ 'declared.cdk8s-hardened.io/externally-hardened-namespace': REASON });
    expect(() => kind.build(new Chart(Testing.app(), 'd', { namespace: 'shop' }), 'app', { externallyHardenedNamespace: { reason: 'trust me' } }))
      .toThrow(/externallyHardenedNamespace\.reason is "trust me": an exception needs a reason of at least 10 characters/);
  });

  test.each(['kube-system', 'kube-public', 'default', 'kube-node-lease'])('%s needs exceptions.systemNamespace', (namespace) => {
    expect(errorsOf((app) => kind.build(new Chart(app, 'c', { namespace }), 'app', {})))
      .toMatch(new RegExp(`its namespace "${namespace}" is created by Kubernetes itself.*Fix: .*exceptions\\.systemNamespace with a reason`));
    // a HardenedNamespace of that name does not stand in for the exception.
    expect(errorsOf((app) => {
      new HardenedNamespace(new Chart(app, 'ns'), 'sys', { name: namespace });
      kind.build(new Chart(app, 'c', { namespace }), 'app', {});
    })).toMatch(/created by Kubernetes itself/);
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace });
    kind.build(chart, 'app', { exceptions: { systemNamespace: { reason: REASON } } });
    expect(synthErrors(app)).toBe('');
    expect(Testing.synth(chart).find((o: any) => o.kind === 'Deployment').metadata.annotations)
      .toEqual({ 'declared.cdk8s-hardened.io/system-namespace': REASON });
  });

  test('exceptions.systemNamespace outside a system namespace is a contradiction', () => {
    expect(() => kind.build(new Chart(Testing.app(), 'c', { namespace: 'shop' }), 'app', { exceptions: { systemNamespace: { reason: REASON } } }))
      .toThrow(/exceptions\.systemNamespace is set but namespace is "shop", not one of default, kube-node-lease, kube-public, kube-system: drop the exception/);
  });

  test('synth through cdk8s validation names every failing workload once', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    const workloads: HardenedWorkload[] = WORKLOAD_KINDS.map((k) => k.build(chart, k.kind.toLowerCase(), {}));
    const errors = synthErrors(app);
    for (const workload of workloads) expect(errors).toContain(`[c/${workload.node.id}] ${workload.kind} "${workload.appName}": its namespace "shop"`);
  });
});
