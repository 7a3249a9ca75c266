import { App, Chart, ChartProps, Names } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { renderChartsOncePerSynth } from '../construct-helpers/chart-rendering';

/** the id, and so the file name, of a `NamespacesChart` unless one is given. */
export const NAMESPACES_CHART_ID = '0000-namespaces';

/**
 * The first chart of an app laid out one chart per namespace: it holds the app's
 * `HardenedNamespace`s, and its file sorts before every other chart's, so `kubectl apply -f dist/`
 * creates every namespace (with its default-deny policies) before anything that lives in one, in
 * one pass, without chart dependencies.
 *
 * Why not `chart.addDependency(namespaces)`: cdk8s turns a dependency between two charts into a
 * dependency from every object of one to every object of the other (and lifts a dependency on any
 * construct in another chart to the two whole charts), so an app of N namespace charts that each
 * depend on the namespaces chart synthesizes in time and memory that grow with N². Without chart
 * dependencies cdk8s names each file after its chart (`<chart id>.k8s.yaml`) and `kubectl` applies
 * the files of a folder in name order; this chart's id starts with `0000-` so that order puts it
 * first. With chart dependencies elsewhere in the app cdk8s numbers the files in dependency order
 * instead, and this chart, created first and depending on nothing, is still `0000-`.
 *
 * Synth fails (naming the chart and the fix) when that no longer holds: when another chart's file
 * would sort before this one, when this chart or anything in it depends on a construct in another
 * chart, or when it contains a chart.
 */
export class NamespacesChart extends Chart {
  /**
   * @param app the app; the chart must be its first chart.
   * @param id the chart's id, which names its file; it must sort before every other chart's id.
   * @default '0000-namespaces'
   */
  constructor(app: App, id: string = NAMESPACES_CHART_ID, props: Omit<ChartProps, 'namespace'> = {}) {
    if (app.node.scope !== undefined) {
      throw new Error(`NamespacesChart "${id}": its scope is ${app.node.path}, not an App. Fix: create it directly in the App (new NamespacesChart(app))`);
    }
    const earlier = app.node.children.find((child) => Chart.isChart(child));
    if (earlier) {
      throw new Error(`NamespacesChart "${id}": chart "${earlier.node.id}" was created before it, so its objects could be applied before the namespaces exist. `
        + 'Fix: create the NamespacesChart first, right after the App');
    }
    if ((props as ChartProps).namespace !== undefined) {
      throw new Error(`NamespacesChart "${id}": namespace is ${JSON.stringify((props as ChartProps).namespace)}, but Namespaces are cluster-scoped and each HardenedNamespace names its own objects' namespace. Fix: remove namespace`);
    }
    super(app, id, props);
    this.node.addValidation({ validate: () => applyOrderErrors(this) });
    renderChartsOncePerSynth(this);
  }
}

/**
 * cdk8s validates the whole app once per synth and again for every chart it renders, all in one
 * synchronous call; the answer cannot change in between, so it is computed once per turn (the
 * cache is dropped when the turn ends, so the next synth looks again). Without this, an app of N
 * charts would pay N × N file-name comparisons.
 */
let errorsThisTurn: WeakMap<NamespacesChart, string[]> | undefined;

function applyOrderErrors(chart: NamespacesChart): string[] {
  if (!errorsThisTurn) {
    errorsThisTurn = new WeakMap();
    queueMicrotask(() => { errorsThisTurn = undefined; });
  }
  let errors = errorsThisTurn.get(chart);
  if (!errors) {
    errors = computeApplyOrderErrors(chart);
    errorsThisTurn.set(chart, errors);
  }
  return errors;
}

function computeApplyOrderErrors(chart: NamespacesChart): string[] {
  const errors: string[] = [];
  const app = chart.node.scope as App;
  const extension = typeof app.outputFileExtension === 'string' ? app.outputFileExtension : '.k8s.yaml';
  const fileName = `${Names.toDnsLabel(chart)}${extension}`;
  for (const child of app.node.children) {
    if (child === chart || !Chart.isChart(child)) continue;
    const other = `${Names.toDnsLabel(child)}${extension}`;
    if (other <= fileName) {
      errors.push(`chart "${child.node.id}" is written to ${other}, which kubectl applies before ${fileName}, where the namespaces are. `
        + `Fix: give that chart an id that sorts after "${chart.node.id}" (ids starting with a letter do)`);
    }
  }
  for (const construct of chart.node.findAll()) {
    if (construct !== chart && Chart.isChart(construct)) {
      errors.push(`it contains chart "${construct.node.path}", which cdk8s writes before it. Fix: create that chart in the App, after the NamespacesChart`);
    }
    for (const dependency of construct.node.dependencies) {
      if (isInside(dependency, chart)) continue;
      errors.push(`${construct.node.path} depends on ${dependency.node.path}, outside this chart, so cdk8s writes that chart first. `
        + 'Fix: remove the dependency');
    }
  }
  return errors;
}

function isInside(construct: IConstruct, scope: IConstruct): boolean {
  for (let node: IConstruct | undefined = construct; node; node = node.node.scope) {
    if (node === scope) return true;
  }
  return false;
}
