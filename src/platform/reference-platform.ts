import { createHash } from 'crypto';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AdmissionGuardrails } from '../admission/admission-guardrails';
import { PodSecurityAdmissionConfiguration } from '../admission/pod-security-admission-configuration';
import { HardenedDeployment } from '../constructs/hardened-deployment';
import { HardenedNamespace } from '../constructs/hardened-namespace';
import { FlowPort } from '../network/flow-port';
import { InternetEgressFlow } from '../network/internet-egress-flow';
import { NamespaceIngressFlow } from '../network/namespace-ingress-flow';
import { WorkloadFlow } from '../network/workload-flow';

/** the charts of the reference platform, in apply order. */
export interface ReferencePlatform {
  /** the `shop` and `jobs` namespaces with their isolation. */
  readonly namespaces: Chart;
  /** the web front end and the API, in `shop`. */
  readonly shop: Chart;
  /** the worker, in `jobs`. */
  readonly jobs: Chart;
  readonly web: HardenedDeployment;
  readonly api: HardenedDeployment;
  readonly worker: HardenedDeployment;
  /** the rules as ValidatingAdmissionPolicies (Warn + Audit, the first rollout stage), applied last. */
  readonly guardrails: Chart;
  /** the cluster-wide Pod Security default, a file for the API server (written to `node-files/`, not `dist/`). */
  readonly podSecurityAdmission: PodSecurityAdmissionConfiguration;
}

/** the namespace the ingress controller runs in; managed outside this platform. */
export const INGRESS_NAMESPACE = 'ingress-nginx';

/**
 * A realistic small platform built only from the library's constructs:
 * - `shop`: a web front end, reachable from the ingress controller's namespace on 8080, that
 *   calls the API on 8080; the API's ServiceAccount may read one ConfigMap;
 * - `jobs`: a worker that calls the API across namespaces and one external HTTPS API.
 *
 * Namespaces live in the first chart, so `kubectl apply -f dist/` creates them before anything
 * that lives in them (cdk8s prefixes files of dependent charts with their order).
 */
export function buildReferencePlatform(app: App): ReferencePlatform {
  const namespaces = new Chart(app, 'namespaces');
  new HardenedNamespace(namespaces, 'shop', { name: 'shop' });
  new HardenedNamespace(namespaces, 'jobs', { name: 'jobs' });

  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  shop.addDependency(namespaces);
  const jobs = new Chart(app, 'jobs', { namespace: 'jobs' });
  jobs.addDependency(shop);

  const web = new HardenedDeployment(shop, 'web', {
    component: 'frontend',
    partOf: 'shop',
    containers: [{
      name: 'web',
      image: pinned('ghcr.io/example/shop-web', '2.4.1'),
      portNumber: 8080,
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
    }],
    writablePaths: [{ path: '/var/cache/nginx' }],
  });
  web.expose({ ports: [{ port: 80, targetPort: 8080 }] });

  const apiConfig = new kplus.ConfigMap(shop, 'api-config', {
    metadata: { name: 'api-config' },
    data: { LOG_LEVEL: 'info', PAYMENTS_URL: 'https://api.payments.example.com' },
  });
  const api = new HardenedDeployment(shop, 'api', {
    component: 'backend',
    partOf: 'shop',
    containers: [{
      name: 'api',
      image: pinned('ghcr.io/example/shop-api', '1.9.0'),
      portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(apiConfig)],
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
    }],
    serviceAccountOptions: {
      grants: [{ resource: 'configmaps', verbs: ['get', 'watch'], resourceNames: [apiConfig.name] }],
    },
  });
  api.expose({ ports: [{ port: 8080, targetPort: 8080 }] });

  new NamespaceIngressFlow(shop, 'ingress-to-web', { from: INGRESS_NAMESPACE, to: web, ports: [FlowPort.tcp(8080)] });
  new WorkloadFlow(shop, 'web-to-api', { from: web, to: api, ports: [FlowPort.tcp(8080)] });

  const worker = new HardenedDeployment(jobs, 'worker', {
    component: 'worker',
    partOf: 'shop',
    replicas: 1,
    containers: [{
      name: 'worker',
      image: pinned('ghcr.io/example/shop-worker', '1.9.0'),
      liveness: kplus.Probe.fromCommand(['/worker', 'healthcheck']),
      readiness: kplus.Probe.fromCommand(['/worker', 'healthcheck', '--ready']),
    }],
  });
  new WorkloadFlow(jobs, 'worker-to-api', { from: worker, to: api, ports: [FlowPort.tcp(8080)] });
  new InternetEgressFlow(jobs, 'worker-to-payments', { from: worker, ports: [FlowPort.tcp(443)] });

  // cluster-scoped policies and bindings, in their own file after the workloads: policies first, then bindings
  const guardrails = new Chart(app, 'guardrails');
  guardrails.addDependency(jobs);
  new AdmissionGuardrails(guardrails, 'hardened', { kubernetesVersion: '1.30' });
  const podSecurityAdmission = new PodSecurityAdmissionConfiguration({ version: 'v1.28' });

  return { namespaces, shop, jobs, web, api, worker, guardrails, podSecurityAdmission };
}

/**
 * A digest-pinned image reference. The digests are stand-ins derived from name and version,
 * so the example stays deterministic; real platforms pin the registry's digest.
 */
function pinned(repository: string, version: string): string {
  const digest = createHash('sha256').update(`${repository}:${version}`).digest('hex');
  return `${repository}:${version}@sha256:${digest}`;
}
