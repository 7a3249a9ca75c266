import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { checkManifests, METADATA_ENDPOINTS, NON_PUBLIC_RANGES } from '../../src';
import { asArray, podSpecOf, containersOf } from '../../src/checker/pod-spec';
import { PSS_RESTRICTED_RULES } from '../../src/checker/rules/pss';
import type { CheckContext, KubeObject } from '../../src/checker/types';
import { buildReferencePlatform } from '../../src/platform/reference-platform';
import { validateAgainstSchema } from '../support/schema';

const DIST = path.join(__dirname, '..', '..', 'dist');
const NO_CONTEXT: CheckContext = { objectsOf: () => [], find: () => undefined, namespaces: () => [] };

function committedFiles(): string[] {
  return fs.readdirSync(DIST).sort();
}

function committedObjects(): KubeObject[] {
  return committedFiles().flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(DIST, file), 'utf8')) as KubeObject[]);
}

function synthesized() {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-')) });
  const platform = buildReferencePlatform(app);
  // in the order kubectl applies their files: by file name
  return { app, platform, charts: [platform.namespaces, platform.guardrails, platform.jobs, platform.logging, platform.shop] };
}

describe('reference platform |', () => {
  test('synthesizes', () => {
    const { charts } = synthesized();
    for (const chart of charts) {
      expect(Testing.synth(chart)).toMatchSnapshot(chart.node.id);
    }
  });

  test('the committed dist/ is what the platform synthesizes, with nothing else in it', () => {
    const { charts } = synthesized();
    expect(committedFiles()).toEqual(['0000-namespaces.k8s.yaml', 'guardrails.k8s.yaml', 'jobs.k8s.yaml', 'logging.k8s.yaml', 'shop.k8s.yaml']);
    expect(committedObjects()).toEqual(charts.flatMap((chart) => Testing.synth(chart)));
  });

  test('synth is byte-identical across runs', () => {
    const render = () => {
      const { app } = synthesized();
      return app.synthYaml();
    };
    expect(render()).toEqual(render());
  });

  test('every object is valid against the Kubernetes schema', () => {
    const result = validateAgainstSchema(committedObjects());
    expect(result.validated).toBe(committedObjects().length);
  });

  test('the first file kubectl applies holds every namespace, and no chart depends on another', () => {
    const first = yaml.loadAll(fs.readFileSync(path.join(DIST, committedFiles()[0]), 'utf8')) as KubeObject[];
    const namespaces = committedObjects().filter((object) => object.kind === 'Namespace');
    expect(first.filter((object) => object.kind === 'Namespace')).toEqual(namespaces);
    expect(first[0].kind).toBe('Namespace');
    const { charts } = synthesized();
    for (const chart of charts) expect(`${chart.node.path}: ${chart.node.dependencies.map((dependency) => dependency.node.path).join(', ')}`).toBe(`${chart.node.path}: `);
  });

  test('namespaces come before everything that lives in them', () => {
    const seen = new Set<string>();
    for (const object of committedObjects() as any[]) {
      if (object.kind === 'Namespace') {
        seen.add(object.metadata.name);
      } else if (object.metadata.namespace) {
        expect(`${object.kind}/${object.metadata.name} after namespace ${object.metadata.namespace}: ${seen.has(object.metadata.namespace)}`)
          .toBe(`${object.kind}/${object.metadata.name} after namespace ${object.metadata.namespace}: true`);
      }
    }
    expect([...seen].sort()).toEqual(['jobs', 'logging', 'shop']);
  });

  test('cluster-scoped objects carry no namespace', () => {
    for (const object of committedObjects() as any[]) {
      if (['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(object.kind)) expect(object.metadata.namespace).toBeUndefined();
    }
  });

  test('dist/ holds each workload kind, each for something real', () => {
    const workloads = committedObjects().filter((object) => podSpecOf(object)) as any[];
    expect(workloads.map((w) => `${w.kind} ${w.metadata.namespace}/${w.metadata.name}`).sort()).toEqual([
      'CronJob jobs/nightly-report', 'DaemonSet logging/log-shipper', 'Deployment jobs/worker', 'Deployment shop/api', 'Deployment shop/web', 'StatefulSet shop/db',
    ]);
    const db = workloads.find((w) => w.kind === 'StatefulSet');
    expect(db.spec.volumeClaimTemplates.map((c: any) => c.spec.resources.requests.storage)).toEqual(['10Gi']);
    expect(db.spec.template.spec.securityContext.fsGroupChangePolicy).toBe('OnRootMismatch');
    const headless = committedObjects().find((o: any) => o.kind === 'Service' && o.metadata.name === db.spec.serviceName) as any;
    expect(headless.spec.clusterIP).toBe('None');
    const nightly = workloads.find((w) => w.kind === 'CronJob');
    expect(nightly.spec).toMatchObject({ concurrencyPolicy: 'Forbid', timeZone: 'Etc/UTC', schedule: '0 2 * * *' });
  });

  test('the log shipper\'s host access is read-only, named, and reasoned in its annotations', () => {
    const shipper = committedObjects().find((o: any) => o.kind === 'DaemonSet') as any;
    const pod = shipper.spec.template.spec;
    expect(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => v.hostPath.path)).toEqual(['/var/log/pods', '/var/log/containers']);
    for (const mount of pod.containers[0].volumeMounts.filter((m: any) => m.name.startsWith('host-'))) expect(mount.readOnly).toBe(true);
    expect(pod.hostNetwork).toBe(false);
    expect(pod.hostPID).toBeUndefined();
    expect(Object.keys(shipper.metadata.annotations).sort()).toEqual([
      'declared.cdk8s-hardened.io/tolerations',
      'ignore-check.cdk8s-hardened.io/container-root-group',
      'ignore-check.cdk8s-hardened.io/pss-host-path-volumes',
      'ignore-check.cdk8s-hardened.io/pss-restricted-volumes',
      'ignore-check.cdk8s-hardened.io/pss-run-as-non-root',
      'ignore-check.cdk8s-hardened.io/pss-run-as-user',
    ]);
  });

  test('every pod template but the log shipper passes PSS restricted and the library hardening', () => {
    const workloads = committedObjects().filter((object) => podSpecOf(object) && object.kind !== 'DaemonSet');
    expect(workloads).toHaveLength(5);
    const accounts = new Set(committedObjects().filter((o: any) => o.kind === 'ServiceAccount').map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`));
    for (const workload of workloads as any[]) {
      const violations = PSS_RESTRICTED_RULES.flatMap((rule) => rule.check(workload, NO_CONTEXT).map((v) => `${rule.id}: ${v.message}`));
      expect(violations).toEqual([]);
      const { spec } = podSpecOf(workload)!;
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.serviceAccountName).toBe(workload.metadata.name);
      expect(accounts.has(`${workload.metadata.namespace}/${spec.serviceAccountName}`)).toBe(true);
      expect(workload.metadata.annotations).toBeUndefined();
      for (const { container } of containersOf(spec) as any[]) {
        expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
        expect(container.resources.limits.memory).toBeDefined();
        expect(container.image).toMatch(/@sha256:[a-f0-9]{64}$/);
      }
    }
  });

  test('dist/ passes the checker: every finding is suppressed with a reason', () => {
    const report = checkManifests(committedObjects().map((object) => ({ object, source: {} })), { pack: 'hardened', now: new Date('2026-12-01T00:00:00Z') });
    expect(report.findings.filter((f) => !f.suppressed && f.severity !== 'info')).toEqual([]);
    expect(report.findings.filter((f) => f.suppressed).every((f) => (f.reason ?? '').length >= 10)).toBe(true);
  });

  test('no ServiceAccount automounts, and the API may read exactly one ConfigMap', () => {
    const objects = committedObjects() as any[];
    for (const account of objects.filter((o) => o.kind === 'ServiceAccount')) {
      expect(account.automountServiceAccountToken).toBe(false);
    }
    const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
    expect(roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`)).toEqual(['shop/api']);
    expect(roles[0].rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['api-config'], verbs: ['get', 'watch'] }]);
  });

  test('no Role grants a wildcard, escalate, bind or impersonate, and nothing binds cluster-admin', () => {
    const objects = committedObjects() as any[];
    for (const role of objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
      for (const rule of asArray(role.rules) as any[]) {
        const values = [...asArray(rule.verbs), ...asArray(rule.resources), ...asArray(rule.apiGroups), ...asArray(rule.resourceNames)];
        expect(values.filter((value) => String(value).includes('*'))).toEqual([]);
        expect(asArray(rule.verbs).filter((verb) => ['escalate', 'bind', 'impersonate'].includes(String(verb)))).toEqual([]);
      }
    }
    for (const binding of objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
      expect(binding.roleRef.name).not.toBe('cluster-admin');
    }
  });

  test('the only broad egress excepts every catalogue address of its family and the non-public ranges', () => {
    const policies = committedObjects().filter((o: any) => o.kind === 'NetworkPolicy') as any[];
    const blocks = policies.flatMap((p) => asArray(p.spec.egress)
      .flatMap((rule: any) => asArray(rule.to).map((peer: any) => peer.ipBlock).filter(Boolean)));
    // the worker's and the log shipper's internet egress, one block per family each.
    expect(blocks.map((b: any) => b.cidr).sort()).toEqual(['0.0.0.0/0', '0.0.0.0/0', '::/0', '::/0']);
    for (const block of blocks) {
      const family = block.cidr.includes(':') ? 'ipv6' : 'ipv4';
      expect([...block.except].sort()).toEqual([
        ...METADATA_ENDPOINTS.filter((e) => e.family === family).map((e) => e.cidr),
        ...NON_PUBLIC_RANGES[family],
      ].sort());
    }
  });

  test('the database password comes from Vault through an ExternalSecret and reaches the API and postgres only as a read-only file', () => {
    const objects = committedObjects() as any[];
    const store = objects.find((o) => o.kind === 'SecretStore');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.spec.provider.vault.auth).toEqual({
      kubernetes: { mountPath: 'kubernetes', role: 'shop', serviceAccountRef: { name: 'shop-secrets', audiences: ['vault'] } },
    });
    const account = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'shop-secrets');
    expect(account).toMatchObject({ metadata: { namespace: 'shop' }, automountServiceAccountToken: false });
    const externalSecret = objects.find((o) => o.kind === 'ExternalSecret');
    expect(externalSecret.spec).toMatchObject({
      secretStoreRef: { kind: 'SecretStore', name: 'vault' },
      target: { name: 'db-password', creationPolicy: 'Owner', deletionPolicy: 'Retain' },
    });
    // no Secret with a value is committed.
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const name of ['api', 'db']) {
      const workload = objects.find((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.name === name);
      const spec = workload.spec.template.spec;
      expect(spec.volumes).toContainEqual({ name: 'secret-db-password', secret: { secretName: 'db-password', defaultMode: 0o440 } });
      const [container] = spec.containers;
      expect(container.volumeMounts).toContainEqual({ name: 'secret-db-password', mountPath: '/var/run/secrets/db', readOnly: true });
      expect(JSON.stringify(container.env ?? [])).not.toContain('secretKeyRef');
      expect(JSON.stringify(container.envFrom ?? [])).not.toContain('secretRef');
      expect(container.env.find((e: any) => e.name.endsWith('PASSWORD_FILE')).value).toBe('/var/run/secrets/db/password');
    }
  });
});

describe('reference platform | image trust', () => {
  const OPT_IN = [path.join(__dirname, '..', '..', 'probes', 'network'), path.join(__dirname, '..', '..', 'probes', 'cis-scan')];
  const optInObjects = () => OPT_IN.flatMap((dir) => fs.readdirSync(dir).filter((file) => file.endsWith('.k8s.yaml'))
    .flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as KubeObject[]));

  test('every image in dist/ and probes/ comes from ghcr.io/example, pinned by digest; third-party ones from its mirror', () => {
    const images = [...committedObjects(), ...optInObjects()].flatMap((object) => {
      const spec = podSpecOf(object);
      return spec ? containersOf(spec.spec).map(({ container }) => String(container.image)) : [];
    });
    expect(images.length).toBeGreaterThan(8);
    for (const image of images) expect(image).toMatch(/^ghcr\.io\/example\/[^@]+@sha256:[a-f0-9]{64}$/);
    const mirrored = [...new Set(images.filter((image) => image.startsWith('ghcr.io/example/mirror/')).map((image) => image.split(':')[0]))].sort();
    expect(mirrored).toEqual([
      'ghcr.io/example/mirror/cr.fluentbit.io/fluent/fluent-bit',
      'ghcr.io/example/mirror/docker.io/aquasec/kube-bench',
      'ghcr.io/example/mirror/docker.io/library/postgres',
      'ghcr.io/example/mirror/registry.k8s.io/e2e-test-images/agnhost',
    ]);
  });

  test('signatures are verified by policy-controller for the platform\'s registry, keyless from the release workflows', () => {
    const objects = committedObjects();
    const policies = objects.filter((object) => object.kind === 'ClusterImagePolicy');
    expect(policies).toHaveLength(1);
    expect((policies[0] as any).spec).toEqual({
      images: [{ glob: 'ghcr.io/example/**' }],
      authorities: [{
        name: 'keyless',
        keyless: {
          identities: [{
            issuer: 'https://token.actions.githubusercontent.com',
            subjectRegExp: '^https://github\\.com/example/[a-z0-9-]+/\\.github/workflows/release\\.yaml@refs/heads/main$',
          }],
        },
      }],
      mode: 'enforce',
    });
    const namespaces = objects.filter((object) => object.kind === 'Namespace');
    expect(namespaces.map((namespace: any) => [namespace.metadata.name, namespace.metadata.labels['policy.sigstore.dev/include']]))
      .toEqual([['shop', 'true'], ['jobs', 'true'], ['logging', 'true']]);
    const registry = objects.find((object: any) => object.kind === 'ValidatingAdmissionPolicy' && object.metadata.name === 'cdk8s-hardened-image-registry-not-allowed') as any;
    expect(registry.spec.validations[0].expression).toMatch(/\['ghcr\.io\/example'\]\.exists\(p, .*\.startsWith\(p \+ '\/'\)\)/);
  });

  test('dist/ passes the hardened pack with the platform\'s registries and no suppression of an image rule', () => {
    const entries = committedObjects().map((object) => ({ object, source: {} }));
    const report = checkManifests(entries, { pack: 'hardened', imagePolicy: { allowedRegistries: ['ghcr.io/example'] } });
    expect(report.findings.filter((finding) => finding.ruleId.startsWith('image-'))).toEqual([]);
    expect(report.summary.bySeverity).toEqual({ error: 0, warning: 0, info: expect.any(Number) });
  });
});
