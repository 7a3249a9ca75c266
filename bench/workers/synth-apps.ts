import { createHash } from 'crypto';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedNamespace } from '../../src/namespace/hardened-namespace';
import { NamespacesChart } from '../../src/namespace/namespaces-chart';
import { FlowPort } from '../../src/network/flow-port';
import { InternetEgressFlow } from '../../src/network/internet-egress-flow';
import { WorkloadFlow } from '../../src/network/workload-flow';
import { HardenedDeployment } from '../../src/workloads/hardened-deployment';

/** the shape of the synth benchmark: the same workloads for both apps. */
export interface SynthShape {
  /** workloads in the whole app. */
  readonly workloads: number;
  /** workloads per namespace. */
  readonly perNamespace: number;
  /** every n-th workload of a namespace also gets an `InternetEgressFlow`; 0 for none. */
  readonly internetEvery: number;
  /**
   * `single-chart`: every object in one chart, namespaces set on the objects.
   * `chart-per-namespace`: the README's layout: a `NamespacesChart` with every `HardenedNamespace`,
   * then one chart per namespace, no chart dependencies (file order comes from the namespaces
   * chart's file name).
   * `two-charts`: the same objects in a `NamespacesChart` and one chart for every workload, no
   * chart dependencies: the baseline the chart-per-namespace layout is held to.
   * `chart-per-namespace-dependent`: the layout the README used before: one chart per namespace,
   * each with `addDependency(namespaces)`, which cdk8s turns into a dependency from every object of
   * one chart to every object of the other (quadratic; measured small, for information).
   */
  readonly layout: SynthLayout;
}

export type SynthLayout = 'single-chart' | 'chart-per-namespace' | 'two-charts' | 'chart-per-namespace-dependent';
export const SYNTH_LAYOUTS: readonly SynthLayout[] = ['single-chart', 'chart-per-namespace', 'two-charts', 'chart-per-namespace-dependent'];

export const DEFAULT_SYNTH_SHAPE: SynthShape = { workloads: 1000, perNamespace: 20, internetEvery: 5, layout: 'single-chart' };

/** a deterministic stand-in digest, so images are pinned and no warning is recorded. */
export function pinnedImage(repository: string, version: string): string {
  const digest = createHash('sha256').update(`${repository}:${version}`).digest('hex');
  return `${repository}:${version}@sha256:${digest}`;
}

function namespaceName(index: number): string {
  return `tenant-${String(index).padStart(3, '0')}`;
}

function workloadName(index: number): string {
  return `app-${String(index).padStart(3, '0')}`;
}

function namespaceCount(shape: SynthShape): number {
  return Math.ceil(shape.workloads / shape.perNamespace);
}

function workloadsIn(shape: SynthShape, namespaceIndex: number): number {
  return Math.min(shape.perNamespace, shape.workloads - namespaceIndex * shape.perNamespace);
}

const IMAGE = pinnedImage('registry.example.com/team/app', '1.0.0');

/** the container both apps run, so the only difference is what each library adds around it. */
function containerProps(): kplus.ContainerProps {
  return {
    name: 'app',
    image: IMAGE,
    portNumber: 8080,
    readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
    liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
  };
}

/**
 * The baseline: plain cdk8s-plus-28, each workload a Deployment with a Service
 * (`exposeViaService`), in the shape's layout. No Namespace objects, no policies, no accounts.
 */
export function buildPlainApp(app: App, shape: SynthShape = DEFAULT_SYNTH_SHAPE): void {
  const single = shape.layout === 'single-chart' || shape.layout === 'two-charts' ? new Chart(app, 'workloads') : undefined;
  for (let n = 0; n < namespaceCount(shape); n++) {
    const chart = single ?? new Chart(app, namespaceName(n), { namespace: namespaceName(n) });
    const scope = single ? new Construct(chart, namespaceName(n)) : chart;
    for (let w = 0; w < workloadsIn(shape, n); w++) {
      const deployment = new kplus.Deployment(scope, workloadName(w), {
        metadata: { name: workloadName(w), namespace: namespaceName(n) },
        containers: [containerProps()],
      });
      deployment.exposeViaService({ name: workloadName(w), ports: [{ port: 80, targetPort: 8080 }] });
    }
  }
}

/**
 * The same workloads built with the library, in the shape's layout: a `HardenedNamespace` per
 * namespace, and in it `HardenedDeployment` + `expose()`, a `WorkloadFlow` from every workload
 * to the one before it, and an `InternetEgressFlow` for every n-th workload.
 */
export function buildHardenedApp(app: App, shape: SynthShape = DEFAULT_SYNTH_SHAPE): void {
  const single = shape.layout === 'single-chart' ? new Chart(app, 'workloads') : undefined;
  const namespaces = single ?? (shape.layout === 'chart-per-namespace-dependent' ? new Chart(app, 'namespaces') : new NamespacesChart(app));
  for (let n = 0; n < namespaceCount(shape); n++) {
    new HardenedNamespace(namespaces, `ns-${namespaceName(n)}`, { name: namespaceName(n) });
  }
  const workloads = shape.layout === 'two-charts' ? new Chart(app, 'workloads') : single;
  for (let n = 0; n < namespaceCount(shape); n++) {
    let chart: Construct;
    if (workloads) {
      chart = new Construct(workloads, namespaceName(n));
    } else {
      chart = new Chart(app, namespaceName(n), { namespace: namespaceName(n) });
      if (shape.layout === 'chart-per-namespace-dependent') (chart as Chart).addDependency(namespaces);
    }
    const deployments: HardenedDeployment[] = [];
    for (let w = 0; w < workloadsIn(shape, n); w++) {
      const deployment = new HardenedDeployment(chart, workloadName(w), {
        namespace: namespaceName(n),
        component: 'api',
        partOf: namespaceName(n),
        containers: [containerProps()],
      });
      deployment.expose({ ports: [{ port: 80, targetPort: 8080 }] });
      if (w > 0) {
        new WorkloadFlow(chart, `${workloadName(w)}-to-${workloadName(w - 1)}`, {
          from: deployment,
          to: deployments[w - 1],
          ports: [FlowPort.tcp(8080)],
        });
      }
      if (shape.internetEvery > 0 && w % shape.internetEvery === 0) {
        new InternetEgressFlow(chart, `${workloadName(w)}-to-internet`, { from: deployment });
      }
      deployments.push(deployment);
    }
  }
}
