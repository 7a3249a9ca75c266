import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { planNetworkProbes, ProbeCanaryTargets, SourceProbePlan } from './probe-plan';
import type { KubeObject } from '../checker/types';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { validateDnsLabel } from '../construct-helpers/names';
import { renderedObjects } from '../construct-helpers/rendered-objects';
import { assertImageAllowed } from '../model/image-policy';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { PROBE_REPORT_FORMAT, PROBE_VERDICTS, ProbeExpectation } from '../model/probe-verdicts';
import { RuntimeImages } from '../model/runtime-images';
import { HardenedNamespace } from '../namespace/hardened-namespace';
import { policyName } from '../network/policy-helpers';
import { HardenedDeployment } from '../workloads/hardened-deployment';

/** props of `NetworkPolicyProbe`. */
export interface NetworkPolicyProbeProps {
  /**
   * What to probe: every ApiObject under this construct (an App, a Chart) is read when the probe
   * is constructed, so build the probe after everything it observes. Its NetworkPolicies decide
   * which flows are declared.
   */
  readonly observe: IConstruct;
  /**
   * The agnhost image, pinned by digest (`connect` for the probes, `serve-hostname` for the canaries).
   *
   * @default RuntimeImages.AGNHOST
   */
  readonly image?: string;
  /**
   * Undeclared flows probed per source, picked deterministically.
   *
   * @default 3
   */
  readonly undeclaredSamples?: number;
  /**
   * How long each connection attempt waits before it counts as `TIMEOUT`.
   *
   * @default Duration.seconds(3)
   */
  readonly timeout?: Duration;
  /**
   * The cluster's DNS domain, for the Service names the probe dials.
   *
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * The namespace of the canary pair (created by the probe set, PSA `restricted`, default-deny).
   *
   * @default 'netpol-probe-canary'
   */
  readonly canaryNamespace?: string;
  /**
   * Annotate the Jobs as Argo CD `PostSync` hooks (deleted before the next sync), so each sync
   * probes again.
   *
   * @default false
   */
  readonly argoCdHook?: boolean;
}

/** the port the canaries listen on, and the open canary's allowed port where nothing listens. */
const CANARY_PORT = 8080;
const LISTENERLESS_PORT = 8081;
/** `nobody`: the agnhost image has no USER. */
const PROBE_UID = 65534;
const SHELL_SAFE = /^[A-Za-z0-9.:/[\]_-]+$/;

/**
 * Proves that the cluster enforces the app's NetworkPolicies: from the declared flows it
 * generates, per source workload, a Pod Security `restricted` Job (`agnhost connect`, pinned by
 * digest, non-root, read-only root, every capability dropped, seccomp `RuntimeDefault`, no
 * token) whose pod carries the source's labels, so the source's policies apply to it. The Job
 * checks that every declared flow connects, that a deterministic sample of undeclared flows and
 * every metadata address (IPv4 and IPv6) time out, and runs a canary trio that tells "policy
 * dropped" from "nothing listening". Results are JSON lines in the Job's log
 * (`parseProbeReport` / `evaluateProbeReport` read them); the Job fails when a check fails.
 *
 * Emits: the canary namespace with its two listeners and the ingress allow of the open one; per
 * source namespace a `netpol-probe` ServiceAccount (no token) and an egress allow from probe
 * pods to the canaries; per source a Job `netpol-probe-<name>`. Keep it out of the default
 * apply: the probe pods share the source's labels (see the README for the trade-off).
 */
export class NetworkPolicyProbe extends Construct {
  /** the plan, per source workload: what each Job checks and what it had to skip. */
  public readonly plans: SourceProbePlan[];
  /** the probe Jobs, by `namespace/source`. */
  public readonly jobs: Record<string, kplus.k8s.KubeJob> = {};
  /** the canary namespace. */
  public readonly canaryNamespace: HardenedNamespace;

  constructor(scope: Construct, id: string, props: NetworkPolicyProbeProps) {
    super(scope, id);
    recordObjectPaths(this);
    if (!props?.observe?.node) throw new Error('observe is missing: pass the App or Chart whose NetworkPolicies the probe should verify');
    const image = props.image ?? RuntimeImages.AGNHOST;
    if (!/@sha256:[a-f0-9]{64}$/.test(image)) throw new Error(`image is ${JSON.stringify(image)}: pin it by digest, e.g. ${RuntimeImages.AGNHOST}`);
    assertImageAllowed('image', image, this.node.root);
    const timeout = props.timeout ?? Duration.seconds(3);
    const timeoutSeconds = timeout.toMilliseconds() / 1000;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 60) {
      throw new Error(`timeout is ${timeoutSeconds}s: use whole seconds from 1 to 60`);
    }
    const canaryNs = validateDnsLabel('canaryNamespace', props.canaryNamespace ?? 'netpol-probe-canary');
    const canary: ProbeCanaryTargets = { namespace: canaryNs, openService: 'canary-open', closedService: 'canary-closed', port: CANARY_PORT, listenerlessPort: LISTENERLESS_PORT };
    const objects = renderedObjects(props.observe) as KubeObject[];
    this.plans = planNetworkProbes(objects, { canary, undeclaredSamples: props.undeclaredSamples, clusterDomain: props.clusterDomain })
      .filter((plan) => plan.checks.length > 0);
    if (this.plans.length === 0) {
      throw new Error(`observe (${props.observe.node.path || 'the app'}) declares no flow between two workloads: there is nothing to probe; add WorkloadFlows, or observe the App that holds them`);
    }
    const sourceNamespaces = [...new Set(this.plans.map((plan) => plan.namespace))].sort();
    if (sourceNamespaces.includes(canaryNs)) throw new Error(`canaryNamespace is "${canaryNs}", which runs observed workloads: pick a namespace of its own`);

    this.canaryNamespace = new HardenedNamespace(this, 'CanaryNamespace', { name: canaryNs });
    const open = this.canary('CanaryOpen', canary.openService, canaryNs, image, [CANARY_PORT, LISTENERLESS_PORT]);
    const closed = this.canary('CanaryClosed', canary.closedService, canaryNs, image, [CANARY_PORT]);
    const probeSelector = { matchExpressions: [{ key: Labels.NETPOL_PROBE, operator: 'Exists' }, { key: Labels.QUARANTINE, operator: 'DoesNotExist' }] };
    const ingress = new kplus.k8s.KubeNetworkPolicy(this, 'CanaryIngress', {
      metadata: { name: 'ingress-canary-open-from-netpol-probes', namespace: canaryNs, labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE } },
      spec: {
        podSelector: { matchLabels: { ...open.selectorLabels }, matchExpressions: [{ key: Labels.QUARANTINE, operator: 'DoesNotExist' }] },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchExpressions: [{ key: Labels.NAMESPACE_NAME, operator: 'In', values: sourceNamespaces }] }, podSelector: probeSelector }],
          ports: [{ port: kplus.k8s.IntOrString.fromNumber(CANARY_PORT), protocol: 'TCP' }, { port: kplus.k8s.IntOrString.fromNumber(LISTENERLESS_PORT), protocol: 'TCP' }],
        }],
      },
    });
    ingress.node.addDependency(this.canaryNamespace);

    for (const namespace of sourceNamespaces) {
      new kplus.k8s.KubeServiceAccount(this, `ServiceAccount-${namespace}`, {
        metadata: { name: 'netpol-probe', namespace, labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE } },
        automountServiceAccountToken: false,
      });
      new kplus.k8s.KubeNetworkPolicy(this, `CanaryEgress-${namespace}`, {
        metadata: { name: 'egress-netpol-probes-to-canaries', namespace, labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE } },
        spec: {
          podSelector: probeSelector,
          policyTypes: ['Egress'],
          egress: [{
            to: [{
              namespaceSelector: { matchLabels: { [Labels.NAMESPACE_NAME]: canaryNs } },
              podSelector: { matchExpressions: [{ key: Labels.NAME, operator: 'In', values: [open.appName, closed.appName].sort() }] },
            }],
            ports: [{ port: kplus.k8s.IntOrString.fromNumber(CANARY_PORT), protocol: 'TCP' }, { port: kplus.k8s.IntOrString.fromNumber(LISTENERLESS_PORT), protocol: 'TCP' }],
          }],
        },
      });
    }

    for (const plan of this.plans) {
      const name = policyName('netpol-probe', plan.name);
      const key = `${plan.namespace}/${plan.name}`;
      if (this.jobs[key]) throw new Error(`two workloads named "${plan.name}" in namespace "${plan.namespace}" (${plan.kind}): probe Jobs are named after the workload; rename one`);
      const script = probeScript(plan, timeoutSeconds);
      const annotations: Record<string, string> = {
        'netpol-probe.cdk8s-hardened.io/source': `${plan.kind}/${plan.name}`,
        'netpol-probe.cdk8s-hardened.io/checks': String(plan.checks.length),
      };
      if (plan.skipped.length > 0) annotations['netpol-probe.cdk8s-hardened.io/skipped'] = plan.skipped.map((s) => `${s.what}: ${s.reason}`).join('; ');
      if (props.argoCdHook) {
        annotations['argocd.argoproj.io/hook'] = 'PostSync';
        annotations['argocd.argoproj.io/hook-delete-policy'] = 'BeforeHookCreation';
      }
      this.jobs[key] = new kplus.k8s.KubeJob(this, `Job-${plan.namespace}-${plan.name}`, {
        metadata: {
          name,
          namespace: plan.namespace,
          labels: { [Labels.MANAGED_BY]: MANAGED_BY_VALUE, [Labels.NETPOL_PROBE]: plan.name },
          annotations,
        },
        spec: {
          backoffLimit: 0,
          // every check may wait the full timeout; a minute on top for scheduling and image pull.
          activeDeadlineSeconds: plan.checks.length * (timeoutSeconds + 1) + 60,
          ttlSecondsAfterFinished: 86400,
          template: {
            metadata: { labels: { ...plan.podLabels } },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: 'netpol-probe',
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: {
                runAsNonRoot: true, runAsUser: PROBE_UID, runAsGroup: PROBE_UID, seccompProfile: { type: 'RuntimeDefault' },
              },
              containers: [{
                name: 'probe',
                image,
                command: ['/bin/sh', '-c', script],
                // never ready, so the pod never becomes an endpoint of the source's Services.
                readinessProbe: { tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(1) }, periodSeconds: 3600 },
                resources: {
                  requests: { cpu: kplus.k8s.Quantity.fromString('10m'), memory: kplus.k8s.Quantity.fromString('16Mi') },
                  limits: { memory: kplus.k8s.Quantity.fromString('64Mi') },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: PROBE_UID,
                  runAsGroup: PROBE_UID,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              }],
            },
          },
        },
      });
    }
  }

  private canary(id: string, name: string, namespace: string, image: string, ports: number[]): HardenedDeployment {
    const deployment = new HardenedDeployment(this, id, {
      name,
      namespace,
      component: 'netpol-probe-canary',
      replicas: 1,
      writableTmp: false,
      containers: [{
        name: 'listener',
        image,
        // serve-hostname answers with the pod name: no shell or upload endpoint, unlike netexec.
        args: ['serve-hostname', '--http=true', '--tcp=false', '--udp=false', `--port=${CANARY_PORT}`],
        portNumber: CANARY_PORT,
        readiness: kplus.Probe.fromTcpSocket({ port: CANARY_PORT }),
        liveness: kplus.Probe.fromTcpSocket({ port: CANARY_PORT }),
      }],
    });
    deployment.node.addDependency(this.canaryNamespace);
    deployment.expose({ ports: ports.map((port) => ({ port, targetPort: port })) });
    return deployment;
  }
}

/** single-quotes a value for /bin/sh; values are checked to hold no quote. */
function quoted(value: string, what: string): string {
  if (!SHELL_SAFE.test(value)) throw new Error(`${what} is ${JSON.stringify(value)}: the probe only dials names and addresses made of letters, digits and . : / [ ] _ -`);
  return `'${value}'`;
}

/** the case arms of the verdict table, generated from PROBE_VERDICTS so the Job and the evaluator agree. */
function verdictCases(): string {
  const arms = (verdict: 'pass' | 'fail') => (Object.keys(PROBE_VERDICTS) as ProbeExpectation[])
    .flatMap((expected) => PROBE_VERDICTS[expected][verdict].map((observed) => `${expected}:${observed}`)).join('|');
  return [
    `    ${arms('pass')}) verdict=pass ;;`,
    `    ${arms('fail')}) verdict=fail; failed=1 ;;`,
    '    *) verdict=inconclusive ;;',
  ].join('\n');
}

/**
 * The probe's shell script: one `agnhost connect` per check, one JSON line per result, exit 1
 * when a check fails. Every value in it is generated and checked to be shell-safe.
 */
export function probeScript(plan: SourceProbePlan, timeoutSeconds: number): string {
  const source = quoted(`${plan.namespace}/${plan.name}`, 'source');
  const lines = [
    'failed=0',
    'check() {',
    `  if out=$(/agnhost connect --timeout=${timeoutSeconds}s --protocol=tcp "$4" 2>&1); then observed=CONNECTED; else`,
    '    case "$out" in TIMEOUT*) observed=TIMEOUT ;; REFUSED*) observed=REFUSED ;; DNS*) observed=DNS ;; OTHER*) observed=OTHER ;; *) observed=UNKNOWN ;; esac',
    '  fi',
    '  case "$3:$observed" in',
    verdictCases(),
    '  esac',
    `  printf '{"format":"${PROBE_REPORT_FORMAT}","check":"%s","category":"%s","source":"%s","target":"%s","expected":"%s","observed":"%s","verdict":"%s"}\\n' "$1" "$2" ${source} "$4" "$3" "$observed" "$verdict"`,
    '}',
    ...plan.checks.map((c) => `check ${quoted(c.check, 'check')} ${c.category} ${c.expected} ${quoted(c.target, 'target')}`),
    'exit $failed',
  ];
  return `${lines.join('\n')}\n`;
}
