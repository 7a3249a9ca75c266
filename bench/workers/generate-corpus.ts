/**
 * Writes the checker's benchmark corpus with the library itself:
 * `node generate-corpus.js <dir> <from> <to> [shape]` writes `tenant-NNNN.yaml` files (tenants from..to-1) of exactly
 * `OBJECTS_PER_TENANT` objects each, synthesized by cdk8s (one App per tenant, so memory stays flat).
 * Shapes other than `today` weaken the synthesized objects until the share of documents with a
 * finding reaches the shape's target (see `weakenTenant`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { isScalar, parseAllDocuments, visit } from 'yaml';
import { CORPUS_SHAPES, CorpusShape, OBJECTS_PER_TENANT, SHAPE_TARGETS, tenantFileName, tenantName } from './corpus-shape';
import { pinnedImage } from './synth-apps';
import { HardenedNamespace } from '../../src/namespace/hardened-namespace';
import { FlowPort } from '../../src/network/flow-port';
import { InternetEgressFlow } from '../../src/network/internet-egress-flow';
import { WorkloadFlow } from '../../src/network/workload-flow';
import { HardenedDeployment } from '../../src/workloads/hardened-deployment';

/** hardened workloads per tenant. */
const WORKLOADS = 40;

/**
 * One realistic tenant: a hardened namespace with quota and limits; 40 hardened workloads with
 * services, each calling the previous one, every 8th with internet egress, every 4th with a
 * ConfigMap its account may read (Role + RoleBinding), one running as root under a reasoned
 * exception; and weakened leftovers the checker must report: a plain cdk8s-plus Deployment with
 * its Service, a wildcard Role bound to the default account and a host-network Deployment.
 * ConfigMaps pad the tenant to exactly `OBJECTS_PER_TENANT` objects.
 */
export function buildTenant(app: App, index: number): void {
  const name = tenantName(index);
  const namespaces = new Chart(app, 'namespace');
  new HardenedNamespace(namespaces, name, {
    name,
    resourceQuota: {
      hard: {
        'requests.cpu': kplus.k8s.Quantity.fromString('20'),
        'requests.memory': kplus.k8s.Quantity.fromString('40Gi'),
        'pods': kplus.k8s.Quantity.fromNumber(200),
      },
    },
    limitRange: {
      limits: [{
        type: 'Container',
        defaultRequest: { cpu: kplus.k8s.Quantity.fromString('50m'), memory: kplus.k8s.Quantity.fromString('64Mi') },
      }],
    },
  });
  const chart = new Chart(app, 'workloads', { namespace: name });
  chart.addDependency(namespaces);

  const deployments: HardenedDeployment[] = [];
  for (let w = 0; w < WORKLOADS; w++) {
    const appName = `svc-${String(w).padStart(2, '0')}`;
    const config = w % 4 === 0
      ? new kplus.ConfigMap(chart, `${appName}-config`, { metadata: { name: `${appName}-config` }, data: { LOG_LEVEL: 'info', TENANT: name } })
      : undefined;
    const deployment = new HardenedDeployment(chart, appName, {
      component: w % 2 === 0 ? 'api' : 'worker',
      partOf: name,
      replicas: 1 + (w % 3),
      containers: [{
        name: appName,
        image: pinnedImage(`registry.example.com/${name}/${appName}`, `1.${w}.0`),
        portNumber: 8080,
        envFrom: config ? [kplus.Env.fromConfigMap(config)] : undefined,
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
      }],
      serviceAccountOptions: config
        ? { grants: [{ resource: 'configmaps', verbs: ['get', 'watch'], resourceNames: [config.name] }] }
        : undefined,
      exceptions: w === WORKLOADS - 1
        ? { runAsRoot: { reason: 'vendor image writes to /var/lib as root until 2.x' } }
        : undefined,
    });
    deployment.expose({ ports: [{ port: 80, targetPort: 8080 }] });
    if (w > 0) {
      new WorkloadFlow(chart, `${appName}-to-previous`, { from: deployment, to: deployments[w - 1], ports: [FlowPort.tcp(8080)] });
    }
    if (w % 8 === 0) new InternetEgressFlow(chart, `${appName}-to-internet`, { from: deployment });
    deployments.push(deployment);
  }

  // weakened: what the checker exists to catch
  const legacy = new kplus.Deployment(chart, 'legacy', {
    metadata: { name: 'legacy' },
    containers: [{ name: 'legacy', image: 'registry.example.com/legacy:latest', portNumber: 8080 }],
  });
  legacy.exposeViaService({ name: 'legacy', ports: [{ port: 80, targetPort: 8080 }] });
  new kplus.k8s.KubeRole(chart, 'ops-wildcard', {
    metadata: { name: 'ops-wildcard' },
    rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
  });
  new kplus.k8s.KubeRoleBinding(chart, 'ops-wildcard-binding', {
    metadata: { name: 'ops-wildcard' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ops-wildcard' },
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: name }],
  });
  new kplus.k8s.KubeDeployment(chart, 'node-agent', {
    metadata: { name: 'node-agent' },
    spec: {
      selector: { matchLabels: { app: 'node-agent' } },
      template: {
        metadata: { labels: { app: 'node-agent' } },
        spec: {
          hostNetwork: true,
          containers: [{
            name: 'agent',
            image: 'registry.example.com/node-agent:2.1',
            securityContext: { privileged: true, allowPrivilegeEscalation: true },
            volumeMounts: [{ name: 'run', mountPath: '/host/run' }],
          }],
          volumes: [{ name: 'run', hostPath: { path: '/var/run' } }],
        },
      },
    },
  });

  const objects = app.node.findAll().filter((construct) => ApiObject.isApiObject(construct)).length;
  if (objects > OBJECTS_PER_TENANT) {
    throw new Error(`tenant has ${objects} objects: raise OBJECTS_PER_TENANT to at least ${objects}`);
  }
  for (let pad = 0; pad < OBJECTS_PER_TENANT - objects; pad++) {
    new kplus.ConfigMap(chart, `settings-${pad}`, {
      metadata: { name: `settings-${pad}` },
      data: { 'feature-flags.yaml': `tenant: ${name}\nflags:\n  checkout: ${pad % 2 === 0}\n  search: true\n` },
    });
  }
}

type Doc = Record<string, any>;

/** a credential in a URL: what secret-literal-in-config-map and secret-literal-in-env exist to catch. */
const LEAKED_URL = 'postgres://app:s3cr3t-Passw0rd-9f2c@db.internal:5432/app';

/**
 * One way to give a document of each kind at least one finding, the kind of slip an adopting
 * repository has: probes left out (and, for every 5th workload, a pod that runs as root with a
 * writable root file system), a credential in a ConfigMap, a NodePort Service, a Role that may
 * read Secrets, a binding to the default account, a namespace without Pod Security labels, a
 * NetworkPolicy admitting every namespace, and kinds no rule inspects beyond their namespace
 * (ServiceAccount, ResourceQuota, LimitRange) put in `default`.
 */
function weaken(doc: Doc, ordinal: number): boolean {
  switch (doc.kind) {
    case 'Deployment': {
      for (const container of doc.spec.template.spec.containers as Doc[]) {
        delete container.readinessProbe;
        delete container.livenessProbe;
        if (ordinal % 5 === 0 && container.securityContext) {
          container.securityContext.readOnlyRootFilesystem = false;
          container.securityContext.runAsNonRoot = false;
        }
      }
      return true;
    }
    case 'ConfigMap': doc.data = { ...doc.data, DATABASE_URL: LEAKED_URL }; return true;
    case 'Service': doc.spec.type = 'NodePort'; return true;
    case 'Role': doc.rules = [...doc.rules ?? [], { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]; return true;
    case 'RoleBinding': doc.subjects = [...doc.subjects ?? [], { kind: 'ServiceAccount', name: 'default', namespace: doc.metadata.namespace }]; return true;
    case 'Namespace': {
      for (const key of Object.keys(doc.metadata.labels ?? {})) if (key.startsWith('pod-security.kubernetes.io/')) delete doc.metadata.labels[key];
      return true;
    }
    case 'NetworkPolicy': {
      doc.spec.ingress = [...doc.spec.ingress ?? [], { from: [{ namespaceSelector: {} }] }];
      if (!(doc.spec.policyTypes as string[]).includes('Ingress')) doc.spec.policyTypes = [...doc.spec.policyTypes, 'Ingress'];
      return true;
    }
    case 'ServiceAccount': case 'ResourceQuota': case 'LimitRange': doc.metadata.namespace = 'default'; return true;
    default: return false;
  }
}

/** the documents the `today` tenant already has findings on (its deliberate leftovers). */
function alreadyWeak(doc: Doc): boolean {
  const name = doc.metadata?.name;
  return (doc.kind === 'Deployment' && ['legacy', 'node-agent', `svc-${WORKLOADS - 1}`].includes(name))
    || ((doc.kind === 'Role' || doc.kind === 'RoleBinding') && name === 'ops-wildcard');
}

/** kinds in the order the `quarter` shape weakens them: workloads first, as adopting repositories have them. */
const QUARTER_ORDER = ['Deployment', 'ConfigMap', 'Service'];

/**
 * Weakens a tenant's documents until `target` of them have a finding: for `all` and `flow` every
 * document, for `quarter` and `json` Deployments first (every 4th hardened one keeps its probes), then ConfigMaps,
 * then Services. Tenants alternate rounding so that the corpus as a whole hits the share.
 */
export function weakenTenant(docs: Doc[], shape: CorpusShape, index: number): Doc[] {
  const share = SHAPE_TARGETS[shape];
  if (share === undefined) return docs;
  const exact = docs.length * share;
  const target = index % 2 === 0 ? Math.floor(exact) : Math.ceil(exact);
  let weak = docs.filter(alreadyWeak).length;
  if (share === 1) {
    docs.forEach((doc, ordinal) => { if (!alreadyWeak(doc) && weaken(doc, ordinal)) weak++; });
  } else {
    for (const kind of QUARTER_ORDER) {
      docs.forEach((doc, ordinal) => {
        if (weak >= target || doc.kind !== kind || alreadyWeak(doc)) return;
        if (kind === 'Deployment' && ordinal % 4 === 0) return;
        if (weaken(doc, ordinal)) weak++;
      });
    }
  }
  if (weak !== target) throw new Error(`tenant ${index} (${shape}): ${weak} weakened documents, not ${target}: the tenant's make-up changed, adjust weakenTenant`);
  return docs;
}

/** the same YAML with every mapping or sequence that holds only scalars written in flow style, on one line. */
function withFlowLeaves(text: string): string {
  const documents = parseAllDocuments(text);
  if (!Array.isArray(documents)) throw new Error('the tenant\'s YAML did not parse as a stream');
  for (const document of documents) {
    visit(document, {
      Map: (_key, node) => { if (node.items.every((pair) => isScalar(pair.value))) node.flow = true; },
      Seq: (_key, node) => { if (node.items.every((item) => isScalar(item))) node.flow = true; },
    });
  }
  return documents.map((document) => document.toString({ lineWidth: 0 })).join('');
}

function main(): void {
  const [dir, fromArg, toArg, shapeArg = 'today'] = process.argv.slice(2);
  const from = Number(fromArg);
  const to = Number(toArg);
  if (!dir || !Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to <= from) {
    throw new Error(`arguments are ${JSON.stringify(process.argv.slice(2))}: pass a directory and a tenant range, e.g. corpus 0 160`);
  }
  if (!(CORPUS_SHAPES as readonly string[]).includes(shapeArg)) throw new Error(`shape is ${JSON.stringify(shapeArg)}: use ${CORPUS_SHAPES.join(', ')}`);
  const shape = shapeArg as CorpusShape;
  fs.mkdirSync(dir, { recursive: true });
  for (let t = from; t < to; t++) {
    const app = new App();
    buildTenant(app, t);
    let text: string;
    if (shape === 'today') {
      text = app.synthYaml();
    } else {
      const docs = weakenTenant(app.charts.flatMap((chart) => chart.toJson() as Doc[]), shape, t);
      text = shape === 'json' ? `${JSON.stringify({ apiVersion: 'v1', items: docs, kind: 'List', metadata: { resourceVersion: '' } }, null, 4)}\n`
        : shape === 'flow' ? withFlowLeaves(Yaml.stringify(...docs)) : Yaml.stringify(...docs);
    }
    fs.writeFileSync(path.join(dir, tenantFileName(t, shape)), text);
  }
  process.stdout.write(`${JSON.stringify({ tenants: to - from, objects: (to - from) * OBJECTS_PER_TENANT, shape })}\n`);
}

if (require.main === module) main();
