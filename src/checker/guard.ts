import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { CheckReport, checkManifests, failingFindings } from './engine';
import { DEFAULT_PACK, PackName, packOf } from './packs';
import { renderChartsOncePerSynth } from '../construct-helpers/chart-rendering';
import { recordObjectPaths } from '../construct-helpers/construct-paths';
import { describeLocation, describeObject } from './report/text';
import type { Finding, KubeObject, ManifestEntry, Severity } from './types';
import { ImagePolicySettings, registeredImagePolicy } from '../model/image-policy';

/** options of `Guard.of`. */
export interface GuardOptions {
  /** @default 'hardened' */
  readonly pack?: PackName;
  /** the lowest severity of an unsuppressed finding that fails synth. @default 'error' */
  readonly failOn?: Extract<Severity, 'error' | 'warning'>;
  /** the day suppression expiry dates are compared with. @default - now */
  readonly now?: Date;
  /**
   * The image policy for `image-registry-not-allowed`.
   *
   * @default - the app's `ImagePolicy`, if it has one
   */
  readonly imagePolicy?: ImagePolicySettings;
}

/**
 * The final JSON of every ApiObject under `scope`, as `ApiObject.toJson()` renders it (after
 * resolvers and JSON patches; `Include`d YAML and raw ApiObjects are ApiObjects too), each with
 * its construct path.
 */
export function manifestsOf(scope: IConstruct): ManifestEntry[] {
  return apiObjectsOf(scope).map((apiObject) => ({ object: apiObject.toJson(), source: { constructPath: apiObject.node.path } }));
}

function apiObjectsOf(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((construct): construct is ApiObject => ApiObject.isApiObject(construct));
}

/** one finding as a validation error line: severity, rule, object, construct path, message, fix. */
export function describeForSynth(finding: Finding): string {
  const location = describeLocation(finding);
  return `${finding.severity} ${finding.ruleId}: ${describeObject(finding)}${location ? ` (${location})` : ''}: ${finding.message}`
    + `${finding.path ? ` [${finding.path}]` : ''}. Fix: ${finding.remediation}`;
}

/** per App: how deep we are in `synth()`/`synthYaml()` and which synth this is. */
interface SynthState {
  depth: number;
  epoch: number;
  /** ApiObjects whose rendered JSON the guard lends to cdk8s for the rest of this synth. */
  lent: ApiObject[];
}

/**
 * Inside one synth cdk8s renders every ApiObject again to write it; the guard already rendered it
 * to check it, so it lends that JSON to the object's `toJson()` until the synth ends (nothing can
 * change in between: synth is synchronous, and rules never mutate what they check).
 */
function lendRenderedJson(state: SynthState, entries: readonly { apiObject: ApiObject; json: KubeObject }[]): void {
  for (const { apiObject, json } of entries) {
    Object.defineProperty(apiObject, 'toJson', { value: () => json, configurable: true, writable: true });
    state.lent.push(apiObject);
  }
}

function returnRenderedJson(state: SynthState): void {
  for (const apiObject of state.lent) delete (apiObject as unknown as Record<string, unknown>).toJson;
  state.lent = [];
}

const SYNTH_STATES = new WeakMap<object, SynthState>();

/**
 * cdk8s validates the whole app once per `synth()`/`synthYaml()` and again for every chart it
 * renders, so the guard wraps those two methods of its App instance to know when one synth starts
 * and ends, and checks once per synth. `Testing.synth(chart)` and `chart.toJson()` validate once
 * anyway and always get a fresh check.
 */
function synthStateOf(root: IConstruct): SynthState {
  let state = SYNTH_STATES.get(root);
  if (state) return state;
  const current: SynthState = state = { depth: 0, epoch: 0, lent: [] };
  SYNTH_STATES.set(root, current);
  const app = root as unknown as Record<string, unknown>;
  for (const method of ['synth', 'synthYaml']) {
    const original = app[method];
    if (typeof original !== 'function') continue;
    app[method] = function wrapped(this: unknown, ...args: unknown[]) {
      current.depth++;
      try {
        return original.apply(this, args);
      } finally {
        if (--current.depth === 0) {
          current.epoch++;
          returnRenderedJson(current);
        }
      }
    };
  }
  return state;
}

/**
 * Runs a rule pack on every synth: `Guard.of(app)` (or a Chart) adds a construct validation, so
 * `app.synth()`, `app.synthYaml()`, `Testing.synth(chart)` and `cdk8s synth` fail with one line
 * per unsuppressed finding at or above `failOn`, each naming the construct path.
 */
export class Guard {
  /**
   * Guards `scope` (an App, or a Chart and everything under it). Calling it again on the same
   * scope returns the same guard with the new options.
   */
  public static of(scope: IConstruct, options: GuardOptions = {}): Guard {
    const existing = GUARDS.get(scope);
    if (existing) {
      existing.options = Guard.validOptions(options);
      return existing;
    }
    const guard = new Guard(scope, Guard.validOptions(options));
    recordObjectPaths(scope);
    renderChartsOncePerSynth(scope);
    GUARDS.set(scope, guard);
    scope.node.addValidation({ validate: () => guard.validate() });
    return guard;
  }

  private static validOptions(options: GuardOptions): GuardOptions {
    packOf(options.pack ?? DEFAULT_PACK);
    if (options.failOn !== undefined && options.failOn !== 'error' && options.failOn !== 'warning') {
      throw new Error(`failOn is ${JSON.stringify(options.failOn)}: use 'error' or 'warning'`);
    }
    return options;
  }

  private readonly synth: SynthState;
  private cached?: { epoch: number; errors: string[] };

  private constructor(private readonly scope: IConstruct, private options: GuardOptions) {
    this.synth = synthStateOf(scope.node.root);
  }

  /** checks the scope's manifests now. */
  public check(): CheckReport {
    return checkManifests(manifestsOf(this.scope), this.checkOptions());
  }

  private checkOptions() {
    return { pack: this.options.pack, now: this.options.now, imagePolicy: this.options.imagePolicy ?? registeredImagePolicy(this.scope.node.root) };
  }

  private validate(): string[] {
    if (this.cached && this.synth.depth > 0 && this.cached.epoch === this.synth.epoch) return this.cached.errors;
    let report: CheckReport;
    if (this.synth.depth > 0) {
      const rendered = apiObjectsOf(this.scope).map((apiObject) => ({ apiObject, json: apiObject.toJson() }));
      report = checkManifests(rendered.map(({ apiObject, json }) => ({ object: json, source: { constructPath: apiObject.node.path } })),
        this.checkOptions());
      lendRenderedJson(this.synth, rendered);
    } else {
      report = this.check();
    }
    const failing = failingFindings(report, this.options.failOn ?? 'error');
    const errors = failing.length === 0 ? [] : [
      `cdk8s-hardened pack ${this.options.pack ?? DEFAULT_PACK}: ${failing.length} finding(s) at or above ${this.options.failOn ?? 'error'}`,
      ...failing.map(describeForSynth),
    ];
    this.cached = this.synth.depth > 0 ? { epoch: this.synth.epoch, errors } : undefined;
    return errors;
  }
}

const GUARDS = new WeakMap<IConstruct, Guard>();
