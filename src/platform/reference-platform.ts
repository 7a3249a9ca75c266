import { createHash } from 'crypto';
import { App, Chart, Cron, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AdmissionGuardrails } from '../admission/admission-guardrails';
import { PodSecurityAdmissionConfiguration } from '../admission/pod-security-admission-configuration';
import { MinimalServiceAccount } from '../identity/minimal-service-account';
import { parseImage } from '../model/image-policy';
import { RuntimeImages } from '../model/runtime-images';
import { HardenedNamespace, PodSecurityLevel } from '../namespace/hardened-namespace';
import { NamespacesChart } from '../namespace/namespaces-chart';
import { FlowPort } from '../network/flow-port';
import { InternetEgressFlow } from '../network/internet-egress-flow';
import { NamespaceIngressFlow } from '../network/namespace-ingress-flow';
import { WorkloadFlow } from '../network/workload-flow';
import { FalcoRules } from '../runtime/falco-rules';
import { KubeBenchScan, KubeBenchTarget } from '../runtime/kube-bench-scan';
import { NetworkPolicyProbe } from '../runtime/network-policy-probe';
import { ExternalSecret } from '../secrets/external-secret';
import { SecretStore } from '../secrets/secret-store';
import { SecretStoreProvider } from '../secrets/secret-store-provider';
import { GITHUB_ACTIONS_ISSUER, ImagePolicy, SignatureAuthority, SignatureEngine } from '../supply-chain/image-policy';
import { HardenedCronJob } from '../workloads/hardened-cron-job';
import { HardenedDaemonSet } from '../workloads/hardened-daemon-set';
import { HardenedDeployment } from '../workloads/hardened-deployment';
import { HardenedStatefulSet } from '../workloads/hardened-stateful-set';

/** the charts of the reference platform: the namespaces first, then one chart per namespace and the guardrails. */
export interface ReferencePlatform {
  /** the `shop`, `jobs` and `logging` namespaces with their isolation, in `0000-namespaces.k8s.yaml`. */
  readonly namespaces: NamespacesChart;
  /** the web front end, the API and its database, in `shop`. */
  readonly shop: Chart;
  /** the worker and the nightly report, in `jobs`. */
  readonly jobs: Chart;
  /** the node log shipper, in `logging`. */
  readonly logging: Chart;
  readonly web: HardenedDeployment;
  readonly api: HardenedDeployment;
  readonly db: HardenedStatefulSet;
  /** the database password, synced from Vault by the External Secrets Operator. */
  readonly dbPassword: ExternalSecret;
  readonly worker: HardenedDeployment;
  /** the rules as ValidatingAdmissionPolicies (Warn + Audit, the first rollout stage), applied last. */
  readonly guardrails: Chart;
  /** the cluster-wide Pod Security default, a file for the API server (written to `node-files/`, not `dist/`). */
  readonly podSecurityAdmission: PodSecurityAdmissionConfiguration;
  readonly nightlyReport: HardenedCronJob;
  readonly logShipper: HardenedDaemonSet;
  /** only `ghcr.io/example`, with keyless signatures from the platform's release workflow (in `namespaces`). */
  readonly imagePolicy: ImagePolicy;
}

/** the one registry the platform pulls from; third-party images are mirrored below it. */
export const PLATFORM_REGISTRY = 'ghcr.io/example';
/** where third-party images are mirrored: `ghcr.io/example/mirror/<registry>/<path>`. */
export const MIRROR_PREFIX = `${PLATFORM_REGISTRY}/mirror`;
/** the workflows whose keyless (GitHub Actions OIDC) signatures the platform accepts: release workflows of the example organisation's repositories on main. */
export const PLATFORM_SIGNER_SUBJECT = '^https://github\\.com/example/[a-z0-9-]+/\\.github/workflows/release\\.yaml@refs/heads/main$';

/**
 * The platform's image policy: images only from `ghcr.io/example` (third-party images mirrored
 * under `ghcr.io/example/mirror/`). With `signatures`, every image there must carry a keyless
 * signature made by a release workflow of the example organisation on GitHub Actions, checked by
 * Sigstore policy-controller (which also labels the hardened namespaces to opt in).
 */
export function referenceImagePolicy(scope: Chart, signatures: boolean): ImagePolicy {
  return new ImagePolicy(scope, 'image-policy', {
    allowedRegistries: [PLATFORM_REGISTRY],
    ...(signatures ? {
      signatureVerification: {
        engines: [SignatureEngine.SIGSTORE_POLICY_CONTROLLER],
        authority: SignatureAuthority.keyless({ issuer: GITHUB_ACTIONS_ISSUER, subjectRegExp: PLATFORM_SIGNER_SUBJECT }),
      },
    } : {}),
  });
}

/**
 * A third-party image as mirrored under `ghcr.io/example/mirror/`, keeping tag and digest: a
 * copy by digest (`crane copy`, `oras copy`) keeps the manifest and so its digest. The digest is
 * whatever the caller pins; this says nothing about it being real.
 */
export function mirrored(image: string): string {
  const reference = parseImage(image);
  if (!reference || reference.digest === undefined) throw new Error(`mirrored image is ${JSON.stringify(image)}: pass a valid digest-pinned reference`);
  return `${MIRROR_PREFIX}/${reference.name}${reference.tag !== undefined ? `:${reference.tag}` : ''}@${reference.digest}`;
}

/** the namespace the ingress controller runs in; managed outside this platform. */
export const INGRESS_NAMESPACE = 'ingress-nginx';

/**
 * A realistic small platform built only from the library's constructs:
 * - `shop`: a web front end, reachable from the ingress controller's namespace on 8080, that
 *   calls the API on 8080; the API's ServiceAccount may read one ConfigMap; a PostgreSQL
 *   StatefulSet that only the API reaches, on 5432; the database password lives in Vault and
 *   reaches both as a read-only file, through an ExternalSecret whose SecretStore logs in with an
 *   audience-bound token of its own ServiceAccount (no static credential anywhere);
 * - `jobs`: a worker that calls the API across namespaces and one external HTTPS API, and a
 *   nightly CronJob that calls the API;
 * - `logging`: a log-shipping DaemonSet that reads the nodes' pod logs through read-only host
 *   paths (so its namespace admits privileged pods, with a reason) and sends them over HTTPS.
 *
 * Laid out as the README recommends: a `NamespacesChart` first, then one chart per namespace and
 * one for the cluster-wide guardrails, with no dependencies between charts (cdk8s would link every
 * object of one chart to every object of the other). `kubectl apply -f dist/` applies files in name
 * order, so `0000-namespaces.k8s.yaml` creates every namespace before anything that lives in one.
 */
export function buildReferencePlatform(app: App): ReferencePlatform {
  const namespaces = new NamespacesChart(app);
  // cluster-scoped policies and bindings, in their own file (applied after the namespaces, before the workloads).
  const guardrails = new Chart(app, 'guardrails');
  // before any workload: every workload below is held to it at construction, and the namespaces opt in to its signature checks.
  const imagePolicy = referenceImagePolicy(guardrails, true);
  new HardenedNamespace(namespaces, 'shop', { name: 'shop' });
  new HardenedNamespace(namespaces, 'jobs', { name: 'jobs' });
  new HardenedNamespace(namespaces, 'logging', {
    name: 'logging',
    podSecurityException: {
      enforce: PodSecurityLevel.PRIVILEGED,
      warn: PodSecurityLevel.PRIVILEGED,
      // audit stays at baseline, so the audit log keeps recording the host path mounts.
      audit: PodSecurityLevel.BASELINE,
      reason: 'the log shipper reads the nodes\' pod logs through read-only hostPath mounts, which baseline forbids',
    },
  });

  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const jobs = new Chart(app, 'jobs', { namespace: 'jobs' });
  const logging = new Chart(app, 'logging', { namespace: 'logging' });

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
  // the database password: kept in Vault, synced by the External Secrets Operator (installed by
  // the cluster's platform team) with a token it requests for shop-secrets, audience "vault".
  const secretsAccount = new MinimalServiceAccount(shop, 'shop-secrets', { name: 'shop-secrets' });
  const vault = new SecretStore(shop, 'vault', {
    provider: SecretStoreProvider.vault({
      server: 'https://vault.platform.example.com:8200',
      path: 'secret',
      role: 'shop',
      serviceAccount: secretsAccount,
    }),
  });
  const dbPassword = new ExternalSecret(shop, 'db-password', {
    store: vault,
    data: [{ secretKey: 'password', remoteKey: 'shop/db', property: 'password' }],
  });
  const DB_SECRET_DIR = '/var/run/secrets/db';

  const api = new HardenedDeployment(shop, 'api', {
    component: 'backend',
    partOf: 'shop',
    containers: [{
      name: 'api',
      image: pinned('ghcr.io/example/shop-api', '1.9.0'),
      portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(apiConfig)],
      // the password arrives as a file, never in the environment.
      envVariables: {
        DB_HOST: kplus.EnvValue.fromValue('db.shop.svc.cluster.local'),
        DB_USER: kplus.EnvValue.fromValue('shop'),
        DB_PASSWORD_FILE: kplus.EnvValue.fromValue(`${DB_SECRET_DIR}/password`),
      },
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
    }],
    serviceAccountOptions: {
      grants: [{ resource: 'configmaps', verbs: ['get', 'watch'], resourceNames: [apiConfig.name] }],
    },
  });
  api.expose({ ports: [{ port: 8080, targetPort: 8080 }] });
  api.mountSecret(dbPassword, { mountPath: DB_SECRET_DIR });

  const db = new HardenedStatefulSet(shop, 'db', {
    component: 'database',
    partOf: 'shop',
    containers: [{
      name: 'postgres',
      image: mirrored(pinned('docker.io/library/postgres', '16.4')),
      portNumber: 5432,
      envVariables: {
        PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
        POSTGRES_USER: kplus.EnvValue.fromValue('shop'),
        // the image's entrypoint reads the password from this file on first start.
        POSTGRES_PASSWORD_FILE: kplus.EnvValue.fromValue(`${DB_SECRET_DIR}/password`),
      },
      readiness: kplus.Probe.fromCommand(['pg_isready', '-U', 'postgres']),
      liveness: kplus.Probe.fromCommand(['pg_isready', '-U', 'postgres']),
      resources: {
        cpu: { request: kplus.Cpu.millis(250) },
        memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
      },
    }],
    writablePaths: [{ path: '/var/run/postgresql', sizeLimit: Size.mebibytes(16) }],
    volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', storage: Size.gibibytes(10) }],
  });
  db.mountSecret(dbPassword, { mountPath: DB_SECRET_DIR });

  new NamespaceIngressFlow(shop, 'ingress-to-web', { from: INGRESS_NAMESPACE, to: web, ports: [FlowPort.tcp(8080)] });
  new WorkloadFlow(shop, 'web-to-api', { from: web, to: api, ports: [FlowPort.tcp(8080)] });
  new WorkloadFlow(shop, 'api-to-db', { from: api, to: db, ports: [FlowPort.tcp(5432)] });

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

  const nightlyReport = new HardenedCronJob(jobs, 'nightly-report', {
    component: 'report',
    partOf: 'shop',
    schedule: Cron.schedule({ minute: '0', hour: '2' }),
    containers: [{
      name: 'report',
      image: pinned('ghcr.io/example/shop-report', '1.9.0'),
      args: ['--api', 'http://api.shop.svc.cluster.local:8080'],
    }],
  });
  new WorkloadFlow(jobs, 'nightly-report-to-api', { from: nightlyReport, to: api, ports: [FlowPort.tcp(8080)] });

  const logShipper = new HardenedDaemonSet(logging, 'log-shipper', {
    partOf: 'platform',
    containers: [{
      name: 'shipper',
      image: mirrored(pinned('cr.fluentbit.io/fluent/fluent-bit', '3.1.9')),
      portNumber: 2020,
      readiness: kplus.Probe.fromHttpGet('/api/v1/health', { port: 2020 }),
      liveness: kplus.Probe.fromHttpGet('/api/v1/health', { port: 2020 }),
    }],
    // where the shipper remembers how far it read each file, across restarts of the container.
    writablePaths: [{ path: '/var/lib/fluent-bit', sizeLimit: Size.mebibytes(32) }],
    hostPaths: [
      { path: '/var/log/pods', reason: 'the kubelet writes every container\'s log here; shipping them is this agent\'s job' },
      { path: '/var/log/containers', reason: 'symlinks to the pod logs, named with pod, namespace and container for the shipper\'s metadata' },
    ],
    exceptions: {
      runAsRoot: { reason: 'the kubelet writes pod logs as root with mode 0640; a non-root reader gets no capability to bypass that' },
      tolerations: {
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
        reason: 'control-plane nodes run pods whose logs must be shipped too',
      },
    },
  });
  new InternetEgressFlow(logging, 'log-shipper-to-backend', { from: logShipper, ports: [FlowPort.tcp(443)] });

  // the admission policies and bindings, after the image policy they read
  new AdmissionGuardrails(guardrails, 'hardened', { kubernetesVersion: '1.30' });
  const podSecurityAdmission = new PodSecurityAdmissionConfiguration({ version: 'v1.28' });

  return {
    namespaces, shop, jobs, logging, web, api, db, dbPassword, worker, nightlyReport, logShipper, guardrails, podSecurityAdmission, imagePolicy,
  };
}

/**
 * A digest-pinned image reference. The digests are stand-ins derived from name and version,
 * so the example stays deterministic; real platforms pin the registry's digest.
 */
function pinned(repository: string, version: string): string {
  const digest = createHash('sha256').update(`${repository}:${version}`).digest('hex');
  return `${repository}:${version}@sha256:${digest}`;
}

/** the opt-in manifest sets, applied on purpose and never by `kubectl apply -f dist/`. */
export interface ReferencePlatformProbes {
  /** the chart of the NetworkPolicy probe set (`probes/network/`). */
  readonly network: Chart;
  readonly probe: NetworkPolicyProbe;
  /** the chart of the CIS scan (`probes/cis-scan/`). */
  readonly cis: Chart;
  readonly scan: KubeBenchScan;
}

/** options of `buildReferenceProbes`. */
export interface ReferenceProbesOptions {
  /**
   * The date the CIS scan's privileged-namespace exception is compared with.
   *
   * @default - today in UTC
   */
  readonly today?: string;
}

/** the last day the reference CIS scan may run privileged; renew it with a fresh review. */
export const CIS_SCAN_EXCEPTION_EXPIRES = '2027-06-30';

/**
 * The opt-in sets of the reference platform, each in its own app (so its own folder):
 * - `network` (into `probes/network/`): a NetworkPolicyProbe over `observed`, the platform's app:
 *   one agnhost Job per source workload of a declared flow, and the canary pair;
 * - `cis` (into `probes/cis-scan/`): a weekly kube-bench scan of worker nodes pinned to cis-1.8,
 *   in the privileged `cis-scan` namespace whose exception expires on `CIS_SCAN_EXCEPTION_EXPIRES`.
 */
export function buildReferenceProbes(networkApp: App, cisApp: App, observed: App, options: ReferenceProbesOptions = {}): ReferencePlatformProbes {
  const network = new Chart(networkApp, 'netpol-probe');
  // the same registry policy; the signature policy itself is applied once, from dist/.
  referenceImagePolicy(network, false);
  // the upstream agnhost image as mirrored; RuntimeImages records where its digest was read.
  const probe = new NetworkPolicyProbe(network, 'probe', { observe: observed, image: mirrored(RuntimeImages.AGNHOST) });
  const cis = new Chart(cisApp, 'cis-scan');
  referenceImagePolicy(cis, false);
  const scan = new KubeBenchScan(cis, 'kube-bench', {
    // kube-bench as mirrored; RuntimeImages records where its digest was read (verify before use).
    image: mirrored(RuntimeImages.KUBE_BENCH),
    privilegedNamespace: {
      reason: 'CIS 1.8 node evidence for the platform\'s quarterly compliance review; reviewed by the platform team',
      expires: CIS_SCAN_EXCEPTION_EXPIRES,
    },
    targets: [KubeBenchTarget.NODE],
    schedule: Cron.schedule({ minute: '30', hour: '3', weekDay: '1' }),
    today: options.today,
  });
  return { network, probe, cis, scan };
}

/** Falco rules for the platform's hardened workloads, from their declared intent (written to `runtime/`). */
export function buildReferenceFalcoRules(observed: App): FalcoRules {
  return FalcoRules.of(observed);
}

