/**
 * Writes the checker's benchmark corpus with the library itself:
 * `node generate-corpus.js <dir> <from> <to>` writes `tenant-NNNN.yaml` files (tenants from..to-1) of exactly
 * `OBJECTS_PER_TENANT` objects each, synthesized by cdk8s (one App per tenant, so memory stays flat).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { OBJECTS_PER_TENANT, tenantFileName, tenantName } from './corpus-shape';
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

function main(): void {
  const [dir, fromArg, toArg] = process.argv.slice(2);
  const from = Number(fromArg);
  const to = Number(toArg);
  if (!dir || !Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to <= from) {
    throw new Error(`arguments are ${JSON.stringify(process.argv.slice(2))}: pass a directory and a tenant range, e.g. corpus 0 160`);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (let t = from; t < to; t++) {
    const app = new App();
    buildTenant(app, t);
    fs.writeFileSync(path.join(dir, tenantFileName(t)), app.synthYaml());
  }
  process.stdout.write(`${JSON.stringify({ tenants: to - from, objects: (to - from) * OBJECTS_PER_TENANT })}\n`);
}

if (require.main === module) main();
