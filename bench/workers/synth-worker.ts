/**
 * One synth measurement in a fresh process:
 * `node synth-worker.js <plain|hardened|hardened-guard> [workloads] [layout] [perNamespace] [internetEvery]`.
 * Prints one JSON line: construct and synthYaml times, emitted objects, YAML bytes, peak RSS.
 */
import { performance } from 'perf_hooks';
import { ApiObject, App } from 'cdk8s';
import { DEFAULT_SYNTH_SHAPE, SYNTH_LAYOUTS, SynthLayout, SynthShape, buildHardenedApp, buildPlainApp } from './synth-apps';

export type SynthVariant = 'plain' | 'hardened' | 'hardened-guard';

/** what one synth worker reports. */
export interface SynthSample {
  readonly variant: SynthVariant;
  readonly workloads: number;
  readonly layout: SynthLayout;
  readonly perNamespace: number;
  readonly internetEvery: number;
  /** charts in the app. */
  readonly charts: number;
  /** ApiObjects in the app, i.e. documents in the YAML. */
  readonly objects: number;
  readonly yamlBytes: number;
  /** building the construct tree. */
  readonly constructMs: number;
  /** `app.synthYaml()`: dependencies, validations (the guard runs here), toJson and YAML. */
  readonly synthYamlMs: number;
  /** construct + synthYaml: the synth time compared. */
  readonly totalMs: number;
  /** CPU time (user + system, all threads) of construct + synthYaml: less moved by other load than wall time. */
  readonly cpuMs: number;
  /** peak RSS of the process after modules loaded, before the app is built. */
  readonly loadedRssKb: number;
  /** peak RSS of the whole process (`process.resourceUsage().maxRSS`). */
  readonly maxRssKb: number;
}

function main(): void {
  const variant = process.argv[2] as SynthVariant;
  if (!['plain', 'hardened', 'hardened-guard'].includes(variant)) {
    throw new Error(`variant is ${JSON.stringify(variant)}: use plain, hardened or hardened-guard`);
  }
  const shape: SynthShape = {
    ...DEFAULT_SYNTH_SHAPE,
    workloads: Number(process.argv[3] ?? DEFAULT_SYNTH_SHAPE.workloads),
    layout: (process.argv[4] ?? DEFAULT_SYNTH_SHAPE.layout) as SynthLayout,
    perNamespace: Number(process.argv[5] ?? DEFAULT_SYNTH_SHAPE.perNamespace),
    internetEvery: Number(process.argv[6] ?? DEFAULT_SYNTH_SHAPE.internetEvery),
  };
  if (!SYNTH_LAYOUTS.includes(shape.layout)) {
    throw new Error(`layout is ${JSON.stringify(shape.layout)}: use ${SYNTH_LAYOUTS.join(' or ')}`);
  }
  // the guard (and with it the whole checker) loads only in the guarded variant, before timing
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const guard = variant === 'hardened-guard' ? (require('../../src/checker/guard') as typeof import('../../src/checker/guard')).Guard : undefined;
  const loadedRssKb = process.resourceUsage().maxRSS;

  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const app = new App();
  if (variant === 'plain') buildPlainApp(app, shape);
  else buildHardenedApp(app, shape);
  if (guard) guard.of(app);
  const built = performance.now();
  const yaml = app.synthYaml();
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const maxRssKb = process.resourceUsage().maxRSS;

  const objects = app.node.findAll().filter((construct) => ApiObject.isApiObject(construct)).length;
  const sample: SynthSample = {
    variant,
    workloads: shape.workloads,
    layout: shape.layout,
    perNamespace: shape.perNamespace,
    internetEvery: shape.internetEvery,
    charts: app.charts.length,
    objects,
    yamlBytes: Buffer.byteLength(yaml),
    constructMs: built - start,
    synthYamlMs: end - built,
    totalMs: end - start,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loadedRssKb,
    maxRssKb,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main();
