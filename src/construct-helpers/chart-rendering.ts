import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import type { IConstruct } from 'constructs';

const INSTALLED = new WeakSet<object>();

/**
 * Makes one `app.synth()` / `app.synthYaml()` of the app under `scope` prepare the app once instead
 * of once per chart, so synth time grows with the number of objects, not with objects × charts.
 *
 * cdk8s renders each chart with `chart.toJson()`, which first re-runs two passes over the **whole
 * app**: dependency resolution and the validation of every construct (cdk8s 2.x,
 * `App._synthChart`). `synth()` and `synthYaml()` have already run both before they render the
 * first chart, and nothing can change in between (synth is synchronous; validations only read),
 * so an app of N charts paid N extra whole-app passes: quadratic in an app laid out one chart per
 * namespace. During one synth call, the first chart rendered still goes through cdk8s's own
 * `toJson()`; every later chart renders exactly as cdk8s's `chartToKube` does (its objects in the
 * order of the chart's dependency graph, each with `toJson()`), without the repeated passes, as long
 * as cdk8s rendered the first chart as exactly those objects in that order (else, for a cdk8s that
 * renders differently, every chart goes through cdk8s's `toJson()` as before). The
 * charts get their own `toJson()` back when the call ends; outside a synth call
 * (`Testing.synth(chart)`, `chart.toJson()`) nothing changes. A chart whose class overrides
 * `toJson()` is left alone. Idempotent per app; installed by the library's namespace and workload
 * constructs and by the Guard.
 */
export function renderChartsOncePerSynth(scope: IConstruct): void {
  const app = scope.node.root as unknown as Record<string, unknown> & IConstruct;
  if (INSTALLED.has(app)) return;
  INSTALLED.add(app);
  let depth = 0;
  let lent: Chart[] = [];
  for (const method of ['synth', 'synthYaml']) {
    const original = app[method];
    if (typeof original !== 'function') continue;
    app[method] = function wrapped(this: unknown, ...args: unknown[]) {
      if (depth++ === 0) lent = lendFastToJson(app);
      try {
        return original.apply(this, args);
      } finally {
        if (--depth === 0) {
          for (const chart of lent) delete (chart as unknown as Record<string, unknown>).toJson;
          lent = [];
        }
      }
    };
  }
}

function lendFastToJson(app: IConstruct): Chart[] {
  const charts = app.node.findAll().filter((construct): construct is Chart => Chart.isChart(construct));
  const lent: Chart[] = [];
  // the first chart cdk8s renders in this call prepares the whole app, as it always does; if what it
  // returns is not what the fast path would return (a cdk8s that renders differently), every chart
  // goes through cdk8s for the rest of the call
  let mode: 'unprepared' | 'fast' | 'cdk8s' = 'unprepared';
  for (const chart of charts) {
    if (chart.toJson !== Chart.prototype.toJson || Object.prototype.hasOwnProperty.call(chart, 'toJson')) continue;
    Object.defineProperty(chart, 'toJson', {
      value: (): unknown[] => {
        if (mode === 'fast') return preparedObjects(chart).map((apiObject) => apiObject.toJson());
        const json = Chart.prototype.toJson.call(chart);
        if (mode === 'unprepared') mode = sameObjects(json, preparedObjects(chart)) ? 'fast' : 'cdk8s';
        return json;
      },
      configurable: true,
      writable: true,
    });
    lent.push(chart);
  }
  return lent;
}

/** the chart's own ApiObjects in the order cdk8s's `chartToKube` gives them, once the app is prepared. */
function preparedObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((construct): construct is ApiObject => ApiObject.isApiObject(construct) && Chart.of(construct) === chart);
}

/** whether cdk8s rendered exactly these objects, in this order. */
function sameObjects(rendered: unknown[], objects: ApiObject[]): boolean {
  if (rendered.length !== objects.length) return false;
  return rendered.every((json, index) => {
    const object = json as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | undefined;
    const apiObject = objects[index];
    return object?.apiVersion === apiObject.apiVersion && object?.kind === apiObject.kind && object?.metadata?.name === apiObject.name;
  });
}
