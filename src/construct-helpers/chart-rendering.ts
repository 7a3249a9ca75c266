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
 * order of the chart's dependency graph, each with `toJson()`), without the repeated passes. The
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
  // the first chart cdk8s renders in this call prepares the whole app, as it always does
  let prepared = false;
  for (const chart of charts) {
    if (chart.toJson !== Chart.prototype.toJson || Object.prototype.hasOwnProperty.call(chart, 'toJson')) continue;
    Object.defineProperty(chart, 'toJson', {
      value: (): unknown[] => {
        if (!prepared) {
          const json = Chart.prototype.toJson.call(chart);
          prepared = true;
          return json;
        }
        return renderPreparedChart(chart);
      },
      configurable: true,
      writable: true,
    });
    lent.push(chart);
  }
  return lent;
}

/** what cdk8s's `chartToKube(chart).map(obj => obj.toJson())` returns, once the app is prepared. */
function renderPreparedChart(chart: Chart): unknown[] {
  return new DependencyGraph(chart.node).topology()
    .filter((construct): construct is ApiObject => ApiObject.isApiObject(construct) && Chart.of(construct) === chart)
    .map((apiObject) => apiObject.toJson());
}
