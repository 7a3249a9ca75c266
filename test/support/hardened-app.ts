import { App, Chart, Testing } from 'cdk8s';
import { HardenedNamespace } from '../../src';

/** the namespace test charts use unless a test names another. */
export const TEST_NAMESPACE = 'apps';

/**
 * A test app whose `namespaces` chart creates a `HardenedNamespace` for each name, so hardened
 * workloads in other charts of the app pass their namespace check while those charts' own
 * output (what `Testing.synth(chart)` returns) stays free of namespace objects.
 */
export function appWithNamespaces(...names: string[]): App {
  const app = Testing.app();
  const namespaces = new Chart(app, 'namespaces');
  for (const name of new Set([TEST_NAMESPACE, ...names])) new HardenedNamespace(namespaces, name, { name });
  return app;
}

/** a chart in `apps` (or the given namespace) of an app that hardens the namespace. */
export function hardenedChart(id = 'test', namespace = TEST_NAMESPACE): Chart {
  return new Chart(appWithNamespaces(namespace), id, { namespace });
}
