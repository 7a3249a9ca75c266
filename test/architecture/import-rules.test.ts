import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// The house rules of docs/architecture (README "Layout"), read off the import graph of src/:
// model data imports nothing of the library, the checker never loads a construct or cdk8s,
// and constructs never reach an entry point.

const SRC = path.resolve(__dirname, '../../src');
const CDK8S_PACKAGES = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

/** pure data and helpers that constructs, checker and semantics share: everything under model/. */
const MODEL_AREA = 'model/';

/** what users call or run: CLI, Guard, cdk8s plugin, jest matcher, doc generator, reference platform. */
const ENTRY_POINTS = [
  'cli/', 'platform/', 'checker/guard.ts', 'checker/validation-plugin.ts', 'checker/jest-matcher.ts',
  'checker/jest-setup.ts', 'checker/rules-doc.ts', 'checker/index.ts',
];

/** what users write, grouped by what it protects, plus the cdk8s helpers they share. */
const CONSTRUCT_AREAS = ['workloads/', 'namespace/', 'network/', 'identity/', 'secrets/', 'supply-chain/', 'runtime/', 'admission/', 'cluster-config/', 'construct-helpers/'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

interface ModuleImports {
  /** library modules, as paths relative to src/. */
  readonly library: string[];
  /** package names. */
  readonly packages: string[];
}

function resolveLibrary(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return path.relative(SRC, candidate).split(path.sep).join('/');
  }
  throw new Error(`${path.relative(SRC, from)} imports ${specifier}, which does not resolve to a source file`);
}

function readGraph(): Map<string, ModuleImports> {
  const graph = new Map<string, ModuleImports>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const library: string[] = [];
    const packages: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (fileName.startsWith('.')) library.push(resolveLibrary(file, fileName));
      else packages.push(fileName.startsWith('@') ? fileName.split('/').slice(0, 2).join('/') : fileName.split('/')[0]);
    }
    graph.set(path.relative(SRC, file).split(path.sep).join('/'), { library, packages });
  }
  return graph;
}

const graph = readGraph();
const isIn = (file: string, areas: readonly string[]) => areas.some((area) => (area.endsWith('/') ? file.startsWith(area) : file === area));
const isModel = (file: string) => file.startsWith(MODEL_AREA);
const MODEL = [...graph.keys()].filter(isModel);
const isEntryPoint = (file: string) => isIn(file, ENTRY_POINTS);
/**
 * plain objects in, findings out: what `check`, `diff` and the CIS benchmark evaluator (`benchmark/`)
 * load, so it must never pull in cdk8s (cold start).
 */
const isCheckerCore = (file: string) => ['checker/', 'semantics/', 'diff/', 'benchmark/'].some((area) => file.startsWith(area)) && !isEntryPoint(file);
const isConstruct = (file: string) => isIn(file, CONSTRUCT_AREAS) && !isModel(file);

/** every library module `file` loads in `modules`, directly or through others. */
function closure(modules: Map<string, ModuleImports>, file: string): Set<string> {
  const seen = new Set<string>();
  const stack = [file];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const next of modules.get(current)?.library ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

/** what the checker core loads that it must not: constructs, entry points, cdk8s packages. */
function checkerCoreOffences(modules: Map<string, ModuleImports>): string[] {
  const offences: string[] = [];
  for (const file of [...modules.keys()].filter(isCheckerCore)) {
    for (const name of modules.get(file)!.packages) {
      if (CDK8S_PACKAGES.includes(name)) offences.push(`${file} imports ${name}`);
    }
    for (const target of closure(modules, file)) {
      if (isConstruct(target) || isEntryPoint(target)) offences.push(`${file} loads ${target}`);
      for (const name of modules.get(target)?.packages ?? []) {
        if (CDK8S_PACKAGES.includes(name)) offences.push(`${file} loads ${name} through ${target}`);
      }
    }
  }
  return offences;
}

describe('import rules |', () => {
  test('the graph covers the library and the model holds the shared data', () => {
    expect(graph.size).toBeGreaterThan(100);
    for (const file of ['model/security-defaults.ts', 'model/rule-ids.ts', 'model/labels.ts', 'model/exceptions.ts',
      'model/metadata-catalogue.ts', 'model/cidr-math.ts', 'model/rbac-catalogue.ts']) {
      expect(graph.has(file)).toBe(true);
    }
  });

  test('every module lives in a known area: model, a construct area, the checker core or an entry point', () => {
    const homeless = [...graph.keys()].filter((file) =>
      file !== 'index.ts' && !isModel(file) && !isConstruct(file) && !isCheckerCore(file) && !isEntryPoint(file));
    expect(homeless).toEqual([]);
  });

  test('model modules import no other part of the library and no cdk8s package', () => {
    const offences = MODEL.flatMap((file) => [
      ...graph.get(file)!.library.filter((target) => !isModel(target)).map((target) => `${file} imports ${target}`),
      ...graph.get(file)!.packages.filter((name) => CDK8S_PACKAGES.includes(name)).map((name) => `${file} imports ${name}`),
    ]);
    expect(offences).toEqual([]);
  });

  test('the checker, the semantics and diff never load a construct, an entry point or cdk8s, even indirectly', () => {
    expect(checkerCoreOffences(graph)).toEqual([]);
  });

  test('constructs never import an entry point', () => {
    const offences = [...graph.keys()].filter(isConstruct).flatMap((file) =>
      graph.get(file)!.library.filter(isEntryPoint).map((target) => `${file} imports ${target}`));
    expect(offences).toEqual([]);
  });

  test('an indirect import of a construct by the checker is reported', () => {
    const helper = 'checker/rules/hygiene/container-probes.ts';
    const withBadEdge = new Map(graph);
    withBadEdge.set(helper, { library: [...graph.get(helper)!.library, 'workloads/hardened-deployment.ts'], packages: [] });
    const offences = checkerCoreOffences(withBadEdge);
    expect(offences).toContain(`${helper} loads workloads/hardened-deployment.ts`);
    expect(offences).toContain('checker/engine.ts loads workloads/hardened-deployment.ts');
    expect(offences.some((offence) => offence.startsWith('checker/engine.ts loads cdk8s-plus-28 through'))).toBe(true);
  });
});
