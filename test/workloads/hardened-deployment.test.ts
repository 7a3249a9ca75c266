import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { HardenedDeployment, HardenedDeploymentProps, MinimalServiceAccount, Platform, setConstructionWarningSink, WorkloadIdentity } from '../../src';
import { appWithNamespaces, hardenedChart, TEST_NAMESPACE } from '../support/hardened-app';
import { validateAgainstSchema } from '../support/schema';

const IMAGE = `registry.example.com/shop/web@sha256:${'a'.repeat(64)}`;
const REASON = 'vendor image needs it until v3 ships';

function synth(props: Partial<HardenedDeploymentProps> = {}, chartProps: { namespace?: string } = {}) {
  const chart = new Chart(appWithNamespaces('shop', 'other'), 'test', { namespace: TEST_NAMESPACE, ...chartProps });
  const deployment = new HardenedDeployment(chart, 'web', { containers: [{ image: IMAGE, portNumber: 8080 }], ...props });
  const objects = Testing.synth(chart);
  validateAgainstSchema(objects);
  return { objects, deployment, find: (kind: string) => objects.filter((o: any) => o.kind === kind) };
}

function podSpecOf(objects: any[]) {
  return objects.find((o) => o.kind === 'Deployment').spec.template.spec;
}

describe('HardenedDeployment |', () => {
  test('defaults', () => {
    const { objects } = synth();
    expect(objects).toMatchSnapshot();
  });

  test('defaults pass restricted field by field', () => {
    const { objects } = synth();
    const spec = podSpecOf(objects);
    expect(spec.securityContext).toEqual({
      fsGroup: 10001,
      fsGroupChangePolicy: 'Always',
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.hostNetwork).toBe(false);
    expect(spec.hostPID).toBeUndefined();
    expect(spec.hostIPC).toBeUndefined();
    const container = spec.containers[0];
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
    expect(container.ports[0].hostPort).toBeUndefined();
  });

  test('defaults: small explicit requests and a memory limit, no cpu limit', () => {
    const { objects } = synth();
    expect(podSpecOf(objects).containers[0].resources).toEqual({
      limits: { memory: '256Mi' },
      requests: { cpu: '50m', memory: '64Mi' },
    });
  });

  test('defaults: /tmp is a size-limited emptyDir mounted in every container', () => {
    const { objects } = synth({ initContainers: [{ image: IMAGE, name: 'migrate' }] });
    const spec = podSpecOf(objects);
    expect(spec.volumes).toEqual([{ name: 'writable-tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    for (const container of [...spec.containers, ...spec.initContainers]) {
      expect(container.volumeMounts).toEqual([{ mountPath: '/tmp', name: 'writable-tmp' }]);
    }
  });

  test('defaults: a dedicated ServiceAccount that does not automount', () => {
    const { objects } = synth();
    const [account] = objects.filter((o: any) => o.kind === 'ServiceAccount');
    expect(account.metadata.name).toBe('web');
    expect(account.automountServiceAccountToken).toBe(false);
    expect(podSpecOf(objects).serviceAccountName).toBe('web');
  });

  test('selector and pod labels are stable labels, not construct paths', () => {
    const { objects } = synth({ component: 'frontend' });
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    expect(deployment.spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/component': 'frontend' },
    });
    expect(deployment.spec.template.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/component': 'frontend',
      'app.kubernetes.io/managed-by': 'cdk8s-hardened',
    });
    expect(deployment.metadata.name).toBe('web');
  });

  test('moving the construct changes nothing in the output', () => {
    const place = (nest: boolean) => {
      const chart = hardenedChart();
      const parent = nest ? new kplus.ConfigMap(chart, 'elsewhere') : chart;
      new HardenedDeployment(parent, 'web', { containers: [{ image: IMAGE }] });
      return Testing.synth(chart).filter((o: any) => o.kind !== 'ConfigMap');
    };
    expect(place(true)).toEqual(place(false));
  });

  test('init containers are hardened like containers', () => {
    const { objects } = synth({ initContainers: [{ image: IMAGE, name: 'migrate' }] });
    const spec = podSpecOf(objects);
    expect(spec.initContainers[0].securityContext).toEqual(spec.containers[0].securityContext);
    expect(objects).toMatchSnapshot();
  });

  test('allowNetBindService adds only NET_BIND_SERVICE', () => {
    const { objects } = synth({ containers: [{ image: IMAGE, portNumber: 80, allowNetBindService: true }] });
    expect(podSpecOf(objects).containers[0].securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
    expect(objects).toMatchSnapshot();
  });

  test('custom writable paths with size and memory medium', () => {
    const { objects } = synth({
      writablePaths: [{ path: '/var/cache/nginx', sizeLimit: Size.mebibytes(128) }, { path: '/run', memory: true }],
    });
    const spec = podSpecOf(objects);
    // writablePaths add to /tmp, which stays first.
    expect(spec.volumes).toEqual([
      { name: 'writable-tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'writable-var-cache-nginx', emptyDir: { sizeLimit: '128Mi' } },
      { name: 'writable-run', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
    ]);
    expect(spec.containers[0].volumeMounts.map((mount: { mountPath: string }) => mount.mountPath)).toEqual(['/tmp', '/var/cache/nginx', '/run']);
    expect(objects).toMatchSnapshot();
  });

  test('listing /tmp in writablePaths replaces the default /tmp instead of adding a second one', () => {
    const { objects } = synth({ writablePaths: [{ path: '/run' }, { path: '/tmp', sizeLimit: Size.mebibytes(8), memory: true }] });
    expect(podSpecOf(objects).volumes).toEqual([
      { name: 'writable-run', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'writable-tmp', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
    ]);
  });

  test('an empty writablePaths keeps /tmp', () => {
    const { objects } = synth({ writablePaths: [] });
    expect(podSpecOf(objects).volumes).toEqual([{ name: 'writable-tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('writableTmp false leaves no writable directory', () => {
    const { objects } = synth({ writableTmp: false });
    expect(podSpecOf(objects).volumes).toBeUndefined();
    expect(podSpecOf(objects).containers[0].volumeMounts).toBeUndefined();
    expect(podSpecOf(objects).containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('resources can be overridden and removed', () => {
    const overridden = synth({
      containers: [{
        image: IMAGE,
        resources: { cpu: { request: kplus.Cpu.millis(200), limit: kplus.Cpu.millis(500) }, memory: { limit: Size.gibibytes(1) } },
      }],
    });
    expect(podSpecOf(overridden.objects).containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '1024Mi' },
      requests: { cpu: '200m' },
    });
    expect(overridden.objects).toMatchSnapshot();
    const removed = synth({ containers: [{ image: IMAGE, resources: {} }] });
    expect(podSpecOf(removed.objects).containers[0].resources).toBeUndefined();
  });

  test('custom user, group and fsGroup', () => {
    const { objects } = synth({ user: 65532, group: 65532, fsGroup: 2000 });
    const spec = podSpecOf(objects);
    expect(spec.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 2000, runAsNonRoot: true });
    expect(spec.containers[0].securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532 });
  });

  test('openshift platform emits no fixed ids and keeps runAsNonRoot', () => {
    const { objects } = synth({ platform: Platform.OPENSHIFT });
    const spec = podSpecOf(objects);
    expect(spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext.runAsUser).toBeUndefined();
    expect(spec.containers[0].securityContext.runAsGroup).toBeUndefined();
    expect(spec.containers[0].securityContext.runAsNonRoot).toBe(true);
    expect(objects).toMatchSnapshot();
  });

  test('namespace from the chart and from the prop', () => {
    expect(synth({}, { namespace: 'shop' }).objects.every((o: any) => o.metadata.namespace === 'shop')).toBe(true);
    expect(synth({ namespace: 'other' }, { namespace: 'shop' }).find('Deployment')[0].metadata.namespace).toBe('other');
  });

  test('a passed ServiceAccount is used and no other is created', () => {
    const chart = hardenedChart();
    const account = new MinimalServiceAccount(chart, 'shared-reader');
    new HardenedDeployment(chart, 'web', { containers: [{ image: IMAGE }], serviceAccount: account });
    const objects = Testing.synth(chart);
    expect(objects.filter((o: any) => o.kind === 'ServiceAccount').map((o: any) => o.metadata.name)).toEqual(['shared-reader']);
    expect(podSpecOf(objects).serviceAccountName).toBe('shared-reader');
  });

  test('grants and a projected token through serviceAccountOptions', () => {
    const { objects } = synth({
      serviceAccountOptions: {
        grants: [{ resource: 'configmaps', verbs: ['get', 'watch'], resourceNames: ['web-config'] }],
        projectedToken: { audience: 'vault', expirationSeconds: 900 },
      },
    });
    const spec = podSpecOf(objects);
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.volumes).toContainEqual({
      name: 'projected-token',
      projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 900, path: 'token' } }] },
    });
    expect(spec.containers[0].volumeMounts).toContainEqual({ mountPath: '/var/run/secrets/tokens', name: 'projected-token', readOnly: true });
    expect(objects).toMatchSnapshot();
  });

  test('azure workload identity labels the pods', () => {
    const { objects } = synth({
      serviceAccountOptions: { workloadIdentity: WorkloadIdentity.azure({ clientId: '00000000-0000-0000-0000-000000000001' }) },
    });
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    expect(deployment.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(deployment.spec.selector.matchLabels['azure.workload.identity/use']).toBeUndefined();
  });

  test('expose creates a Service selecting the stable labels', () => {
    const chart = hardenedChart();
    const web = new HardenedDeployment(chart, 'web', { component: 'frontend', containers: [{ image: IMAGE, portNumber: 8080 }] });
    web.expose({ ports: [{ port: 80, targetPort: 8080 }] });
    web.expose({ name: 'web-metrics', ports: [{ port: 9090 }] });
    const services = Testing.synth(chart).filter((o: any) => o.kind === 'Service');
    validateAgainstSchema(services);
    expect(services.map((s: any) => s.metadata.name)).toEqual(['web', 'web-metrics']);
    for (const service of services) {
      expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/component': 'frontend' });
      expect(service.spec.type).toBe('ClusterIP');
    }
    expect(services).toMatchSnapshot();
    expect(() => web.expose({ ports: [] })).toThrow(/expose ports is empty/);
  });

  test('an unpinned image throws, naming the container, the image and the fix', () => {
    expect(() => synth({ containers: [{ name: 'web', image: 'nginx:1.27' }] })).toThrow(
      'containers[0] (container "web").image is "nginx:1.27": not pinned by digest, so the registry can serve other content under the same tag; pin it (nginx:1.27@sha256:<64 hex digits>, e.g. from `crane digest nginx:1.27`) or set exceptions.unpinnedImages with a reason');
    expect(() => synth({ containers: [{ image: 'nginx:1.27@sha256:abc' }] })).toThrow(/containers\[0\]\.image is "nginx:1.27@sha256:abc": not pinned by digest/);
    expect(() => synth({ initContainers: [{ name: 'migrate', image: 'ghcr.io/example/migrate:1' }] })).toThrow(/initContainers\[0\] \(container "migrate"\)\.image/);
    expect(synth({}).deployment.warnings).toEqual([]);
  });

  test('exceptions.unpinnedImages allows an unpinned image with a reason, written as the suppression of image-digest-missing', () => {
    const { deployment, objects } = synth({ containers: [{ image: 'nginx:1.27' }], exceptions: { unpinnedImages: { reason: REASON } } });
    const object = objects.find((o: any) => o.kind === 'Deployment');
    expect(object.metadata.annotations).toEqual({ 'ignore-check.cdk8s-hardened.io/image-digest-missing': REASON });
    expect(deployment.warnings).toEqual(['containers[0].image is "nginx:1.27": not pinned by digest, so the registry can serve other content under the same tag (allowed by exceptions.unpinnedImages)']);
    expect(deployment.node.metadata.map((m) => m.type)).toContain('cdk8s-hardened:warning');
    expect(() => synth({ containers: [{ image: 'nginx:1.27' }], exceptions: { unpinnedImages: { reason: 'short' } } })).toThrow(/exceptions\.unpinnedImages\.reason is "short"/);
  });

  test('requireDigest was removed: passing it throws with the migration', () => {
    expect(() => synth({ requireDigest: true } as any)).toThrow('requireDigest is set: it was removed, because every hardened workload now requires a digest; drop requireDigest (an unpinned image throws unless exceptions.unpinnedImages gives a reason)');
  });

  test('construction warnings are printed on stderr once per synth, naming the construct path', async () => {
    const printed: string[] = [];
    const previous = setConstructionWarningSink((line) => printed.push(line));
    try {
      const app = appWithNamespaces();
      const chart = new Chart(app, 'test', { namespace: TEST_NAMESPACE });
      new HardenedDeployment(chart, 'web', { containers: [{ image: 'nginx:1.27' }], exceptions: { unpinnedImages: { reason: REASON } } });
      new HardenedDeployment(chart, 'api', { containers: [{ image: IMAGE }] });
      new Chart(app, 'other');
      app.synthYaml();
      const line = '[test/web] containers[0].image is "nginx:1.27": not pinned by digest, so the registry can serve other content under the same tag (allowed by exceptions.unpinnedImages)';
      expect(printed).toEqual([`cdk8s-hardened: warning: ${line}\n`]);
      await Promise.resolve();
      Testing.synth(chart);
      expect(printed).toHaveLength(2);
    } finally {
      setConstructionWarningSink(previous);
    }
  });
});

describe('HardenedDeployment | exceptions', () => {
  test('runAsRoot', () => {
    const { objects } = synth({ exceptions: { runAsRoot: { reason: REASON } } });
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    expect(deployment.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/container-root-group': REASON,
      'ignore-check.cdk8s-hardened.io/pss-run-as-non-root': REASON,
      'ignore-check.cdk8s-hardened.io/pss-run-as-user': REASON,
    });
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0, runAsGroup: 0 });
    expect(deployment.spec.template.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
    expect(objects).toMatchSnapshot();
  });

  test('allowPrivilegeEscalation', () => {
    const { objects } = synth({ exceptions: { allowPrivilegeEscalation: { reason: REASON, expires: '2027-03-31' } } });
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    expect(deployment.metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/pss-allow-privilege-escalation': REASON,
      'ignore-check-expires.cdk8s-hardened.io/pss-allow-privilege-escalation': '2027-03-31',
    });
    expect(deployment.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(true);
    expect(objects).toMatchSnapshot();
  });

  test('privileged with allowPrivilegeEscalation', () => {
    const { objects } = synth({ exceptions: { privileged: { reason: REASON }, allowPrivilegeEscalation: { reason: REASON } } });
    const container = podSpecOf(objects).containers[0];
    expect(container.securityContext).toMatchObject({ privileged: true, allowPrivilegeEscalation: true });
    expect(Object.keys(objects.find((o: any) => o.kind === 'Deployment').metadata.annotations).sort()).toEqual([
      'ignore-check.cdk8s-hardened.io/pss-allow-privilege-escalation',
      'ignore-check.cdk8s-hardened.io/pss-privileged',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('capabilities beyond baseline suppress both capability controls', () => {
    const { objects } = synth({ exceptions: { capabilities: { add: ['NET_ADMIN', 'CHOWN'], reason: REASON } } });
    expect(podSpecOf(objects).containers[0].securityContext.capabilities).toEqual({ add: ['CHOWN', 'NET_ADMIN'], drop: ['ALL'] });
    expect(Object.keys(objects.find((o: any) => o.kind === 'Deployment').metadata.annotations).sort()).toEqual([
      'ignore-check.cdk8s-hardened.io/pss-capabilities-baseline',
      'ignore-check.cdk8s-hardened.io/pss-capabilities-restricted',
    ]);
    expect(objects).toMatchSnapshot();
  });

  test('capabilities inside baseline suppress only the restricted control', () => {
    const { objects } = synth({ exceptions: { capabilities: { add: ['CHOWN'], reason: REASON } } });
    expect(Object.keys(objects.find((o: any) => o.kind === 'Deployment').metadata.annotations)).toEqual([
      'ignore-check.cdk8s-hardened.io/pss-capabilities-restricted',
    ]);
  });

  test('writableRootFilesystem', () => {
    const { objects } = synth({ exceptions: { writableRootFilesystem: { reason: REASON } } });
    expect(podSpecOf(objects).containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(objects.find((o: any) => o.kind === 'Deployment').metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/container-writable-root': REASON,
    });
    expect(objects).toMatchSnapshot();
  });

  test('automountServiceAccountToken', () => {
    const { objects } = synth({ exceptions: { automountServiceAccountToken: { reason: REASON } } });
    expect(podSpecOf(objects).automountServiceAccountToken).toBe(true);
    expect(objects.find((o: any) => o.kind === 'Deployment').metadata.annotations).toEqual({
      'ignore-check.cdk8s-hardened.io/workload-token-automount': REASON,
    });
    expect(objects).toMatchSnapshot();
  });
});

describe('HardenedDeployment | traps', () => {
  test('resource.exposeViaService fails synth: its selector is the removed path label', () => {
    const chart = hardenedChart();
    const web = new HardenedDeployment(chart, 'web', { containers: [{ image: IMAGE, portNumber: 8080 }] });
    web.resource.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/web\] Deployment "web": Service apps\/test-web-service-[0-9a-f]+ \(test\/web\/Resource\/Service\/Resource\) selects its pods by the label cdk8s\.io\/metadata\.addr.*Fix: use expose\(\)/);
  });
});

describe('HardenedDeployment | validation', () => {
  test.each([
    ['a short reason', { exceptions: { runAsRoot: { reason: 'because' } } }, /exceptions\.runAsRoot\.reason is "because": an exception needs a reason of at least 10 characters/],
    ['a bad expiry', { exceptions: { runAsRoot: { reason: REASON, expires: '31.03.2027' } } }, /exceptions\.runAsRoot\.expires is "31\.03\.2027": use a calendar date in the form YYYY-MM-DD/],
    ['privileged without allowPrivilegeEscalation', { exceptions: { privileged: { reason: REASON } } }, /exceptions\.privileged is set without exceptions\.allowPrivilegeEscalation: the API rejects privileged: true with allowPrivilegeEscalation: false/],
    ['user 0 without runAsRoot', { user: 0 }, /user is 0 \(root\): use a non-root id such as 10001, or add exceptions\.runAsRoot with a reason/],
    ['runAsRoot with a non-root user', { user: 1000, exceptions: { runAsRoot: { reason: REASON } } }, /user is 1000 while exceptions\.runAsRoot is set/],
    ['fixed ids on openshift', { platform: Platform.OPENSHIFT, user: 1000 }, /user is 1000 while platform is OPENSHIFT/],
    ['fsGroup on openshift', { platform: Platform.OPENSHIFT, fsGroup: 1000 }, /fsGroup is 1000 while platform is OPENSHIFT/],
    ['NET_BIND_SERVICE as an exception', { exceptions: { capabilities: { add: ['NET_BIND_SERVICE'], reason: REASON } } }, /set allowNetBindService: true on the container instead/],
    ['ALL as a capability', { exceptions: { capabilities: { add: ['ALL'], reason: REASON } } }, /capabilities\.add contains "ALL"/],
    ['a CAP_ prefix', { exceptions: { capabilities: { add: ['CAP_NET_ADMIN'], reason: REASON } } }, /use the upper-case name without CAP_/],
    ['a relative writable path', { writablePaths: [{ path: 'tmp' }] }, /writablePaths\[0\]\.path is "tmp": use an absolute directory/],
    ['a duplicate writable path', { writablePaths: [{ path: '/tmp' }, { path: '/tmp' }] }, /writablePaths\[1\]\.path is "\/tmp" again/],
    ['no containers', { containers: [] }, /containers is empty/],
    ['an empty image', { containers: [{ image: '' }] }, /containers\[0\]\.image is "": name an image/],
    ['an invalid name', { name: 'Web_App' }, /name is "Web_App": use a DNS-1123 label/],
    ['negative replicas', { replicas: -1 }, /replicas is -1/],
  ])('throws on %s', (_case, props, message) => {
    expect(() => synth(props as Partial<HardenedDeploymentProps>)).toThrow(message);
  });

  test('throws when given the default ServiceAccount', () => {
    const chart = Testing.chart();
    const account = kplus.ServiceAccount.fromServiceAccountName(chart, 'default-sa', 'default');
    expect(() => new HardenedDeployment(chart, 'web', { containers: [{ image: IMAGE }], serviceAccount: account }))
      .toThrow(/serviceAccount is "default": the namespace's default account is shared by every pod/);
  });

  test('throws when serviceAccountOptions come with a serviceAccount', () => {
    const chart = Testing.chart();
    const account = new MinimalServiceAccount(chart, 'reader');
    expect(() => new HardenedDeployment(chart, 'web', { containers: [{ image: IMAGE }], serviceAccount: account, serviceAccountOptions: {} }))
      .toThrow(/serviceAccountOptions is set together with serviceAccount/);
  });
});
