/** every tenant file of the checker corpus holds exactly this many objects, so corpus sizes are exact multiples. */
export const OBJECTS_PER_TENANT = 250;

/**
 * How finding-heavy a corpus is:
 * - `today`: the generated platform as it is, about 2% of documents with a finding (the weakened
 *   leftovers of every tenant);
 * - `quarter`: a repository adopting the checker, 25% of documents with at least one finding
 *   (probes missing on most workloads, some weakened pods, credentials in ConfigMaps);
 * - `all`: every document has at least one finding, most several;
 * - `json`: the `quarter` objects written as `kubectl get -o json` writes them: one `kind: List`
 *   per tenant file (`tenant-0007.json`), indented by 4 spaces;
 * - `flow`: the `all` objects with every collection of scalars in flow style, as Helm charts and
 *   hand-written manifests often have them (`drop: [ALL]`, `metadata: {name: web, namespace: shop}`).
 */
export const CORPUS_SHAPES = ['today', 'quarter', 'all', 'json', 'flow'] as const;
export type CorpusShape = typeof CORPUS_SHAPES[number];

/** the share of documents with at least one finding each shape is built for (`today` is what it is). */
export const SHAPE_TARGETS: Readonly<Record<CorpusShape, number | undefined>> = { today: undefined, quarter: 0.25, all: 1, json: 0.25, flow: 1 };

/** the file of tenant `index`: `tenant-0007.yaml` (`.json` for the `json` shape). */
export function tenantFileName(index: number, shape: CorpusShape = 'today'): string {
  return `${tenantName(index)}${shape === 'json' ? '.json' : '.yaml'}`;
}

/** the namespace of tenant `index`: `tenant-0007`. */
export function tenantName(index: number): string {
  return `tenant-${String(index).padStart(4, '0')}`;
}
