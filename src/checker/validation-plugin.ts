import * as fs from 'fs';
import * as path from 'path';
import { loadCheckerConfig, mergeImagePolicy } from './config-file';
import { CheckReport, checkManifests, failingFindings } from './engine';
import { decodeText, InputError, parseManifests } from './input';
import { metaRuleDoc } from './meta-rules';
import { DEFAULT_PACK, isPackName, PACK_NAMES, PackName } from './packs';
import { ruleById } from './rules';
import { SourceLines } from './source-lines';
import type { Finding, ManifestEntry, Severity } from './types';
import { ImagePolicySettings, registryPrefixProblem } from '../model/image-policy';
import { IMAGE_POLICY_KEY, OBJECT_PATHS_KEY, ObjectPath } from '../model/object-paths';

/** the parts of cdk8s-cli's `ValidationContext` the plugin uses (cdk8s-cli `lib/plugins/validation.d.ts`). */
export interface ValidationContextLike {
  /** the synthesized manifest files. */
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      readonly ruleName: string;
      readonly recommendation: string;
      readonly fix: string;
      readonly violatingResources: readonly { readonly resourceName: string; readonly locations: readonly string[]; readonly manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger?: { log(message: string): void };
  /**
   * Construct paths by resource name, which cdk8s-cli loads from `construct-metadata.json` and
   * looks each violating resource's `resourceName` up in; the plugin adds its own unique names.
   */
  readonly metadata?: { [resourceName: string]: { path?: string } };
}

/** the `properties` of the plugin in `cdk8s.yaml`. */
export interface HardenedValidationProps {
  /** @default 'hardened' */
  readonly pack?: PackName;
  /** the lowest severity of an unsuppressed finding that fails `cdk8s synth`. @default 'error' */
  readonly failOn?: Extract<Severity, 'error' | 'warning'>;
  /**
   * Registry prefixes images may come from (as `--allowed-registry`), added to the app's own.
   *
   * @default - the app's `ImagePolicy` (recorded in construct-metadata.json), if any
   */
  readonly allowedRegistries?: readonly string[];
  /**
   * A configuration file (as `--config`), relative to where `cdk8s synth` runs.
   *
   * @default - none
   */
  readonly config?: string;
}

/**
 * A cdk8s CLI validation plugin running a rule pack over the synthesized manifests, so
 * `cdk8s synth` prints the findings in its validation report (with construct paths, which the CLI
 * looks up by resource name) and exits 2 when one reaches `failOn`. In `cdk8s.yaml`:
 *
 *   validations:
 *     - package: ./node_modules/cdk8s-hardened/lib/checker/validation-plugin.js
 *       version: 0.0.0
 *       class: HardenedValidation
 *       properties: { pack: hardened, failOn: error }
 *
 * `version` must be an exact version (any, for a local package); local packages start with `./`.
 */
export class HardenedValidation {
  private readonly pack: PackName;
  private readonly failOn: Extract<Severity, 'error' | 'warning'>;
  private readonly allowedRegistries: readonly string[];
  private readonly config?: string;

  constructor(props: HardenedValidationProps = {}) {
    if (props.pack !== undefined && !isPackName(props.pack)) {
      throw new Error(`HardenedValidation: pack is ${JSON.stringify(props.pack)}: use one of ${PACK_NAMES.join(', ')}`);
    }
    if (props.failOn !== undefined && props.failOn !== 'error' && props.failOn !== 'warning') {
      throw new Error(`HardenedValidation: failOn is ${JSON.stringify(props.failOn)}: use error or warning`);
    }
    this.pack = props.pack ?? DEFAULT_PACK;
    this.failOn = props.failOn ?? 'error';
    if (props.allowedRegistries !== undefined && !Array.isArray(props.allowedRegistries)) {
      throw new Error(`HardenedValidation: allowedRegistries is ${JSON.stringify(props.allowedRegistries)}: use a list such as [ghcr.io/example]`);
    }
    (props.allowedRegistries ?? []).forEach((prefix, index) => {
      const problem = registryPrefixProblem(prefix);
      if (problem) throw new Error(`HardenedValidation: allowedRegistries[${index}] is ${JSON.stringify(prefix)}: it ${problem}`);
    });
    this.allowedRegistries = props.allowedRegistries ?? [];
    this.config = props.config;
  }

  public async validate(context: ValidationContextLike): Promise<void> {
    const texts = new Map<string, string>();
    const entries: ManifestEntry[] = [];
    try {
      for (const manifest of context.manifests) {
        const text = decodeText(fs.readFileSync(manifest), manifest);
        texts.set(manifest, text);
        for (const entry of parseManifests(text, manifest)) entries.push(entry);
      }
    } catch (error) {
      const inputError = error instanceof InputError ? error : new InputError('(manifests)', undefined, String((error as Error)?.message ?? error));
      context.report.addViolation({
        ruleName: 'input-error',
        recommendation: inputError.message,
        fix: 'Make the app synthesize valid Kubernetes objects (a mapping with apiVersion, kind and metadata.name per document).',
        violatingResources: [{ resourceName: '', locations: [inputError.detail], manifestPath: inputError.file }],
      });
      context.report.submit('failure', { pack: this.pack });
      return;
    }
    let imagePolicy: ImagePolicySettings | undefined;
    try {
      const config = this.config !== undefined ? loadCheckerConfig(this.config) : {};
      imagePolicy = mergeImagePolicy(config, [...recordedImagePolicy(context.manifests), ...this.allowedRegistries]);
    } catch (error) {
      const inputError = error instanceof InputError ? error : new InputError(this.config ?? '(config)', undefined, String((error as Error)?.message ?? error));
      context.report.addViolation({
        ruleName: 'input-error',
        recommendation: inputError.message,
        fix: 'Fix the configuration file named by the plugin\'s config property.',
        violatingResources: [{ resourceName: '', locations: [inputError.detail], manifestPath: inputError.file }],
      });
      context.report.submit('failure', { pack: this.pack });
      return;
    }
    const lines = new SourceLines(texts);
    const report = checkManifests(entries, { pack: this.pack, imagePolicy, locate: (source, field) => lines.lineOf(source, field) });
    const paths = constructPathsOf(context.manifests, entries);
    this.addViolations(context, report, paths);
    const failed = failingFindings(report, this.failOn).length > 0;
    const { summary } = report;
    context.report.submit(failed ? 'failure' : 'success', {
      'pack': summary.pack,
      'fail on': this.failOn,
      'objects': String(summary.objects),
      'errors': String(summary.bySeverity.error),
      'warnings': String(summary.bySeverity.warning),
      'suppressed': String(summary.suppressed),
    });
  }

  /** one violation per rule, listing every unsuppressed finding of it as a location. */
  private addViolations(context: ValidationContextLike, report: CheckReport, paths: (finding: Finding) => string | undefined): void {
    const byRule = new Map<string, Finding[]>();
    for (const finding of report.findings) {
      if (finding.suppressed) continue;
      let findings = byRule.get(finding.ruleId);
      if (!findings) byRule.set(finding.ruleId, findings = []);
      findings.push(finding);
    }
    for (const [ruleId, findings] of byRule) {
      const rule = ruleById(ruleId) ?? metaRuleDoc(ruleId);
      const resources = new Map<string, { resourceName: string; manifestPath: string; locations: string[] }>();
      for (const finding of findings) {
        const key = `${finding.file}\u0000${finding.kind}\u0000${finding.namespace}\u0000${finding.name}`;
        let resource = resources.get(key);
        if (!resource) {
          // the CLI finds the construct path by resourceName, which must therefore name one object.
          const resourceName = `${finding.kind} ${finding.namespace ? `${finding.namespace}/` : ''}${finding.name}`;
          const constructPath = paths(finding);
          if (context.metadata && constructPath !== undefined) context.metadata[resourceName] = { path: constructPath };
          resources.set(key, resource = { resourceName, manifestPath: finding.file ?? '', locations: [] });
        }
        resource.locations.push(`${finding.path || '(object)'}${finding.line !== undefined ? ` (line ${finding.line})` : ''}: ${finding.message}`);
      }
      context.report.addViolation({
        ruleName: `${ruleId} [${findings[0].severity}]${rule ? `: ${rule.title}` : ''}`,
        recommendation: rule?.description ?? ruleId,
        fix: findings[0].remediation,
        violatingResources: [...resources.values()],
      });
    }
  }
}

/** the registries of the app's `ImagePolicy`, as recorded in `construct-metadata.json`; [] without one. */
function recordedImagePolicy(manifests: readonly string[]): string[] {
  if (manifests.length === 0) return [];
  try {
    const contents = JSON.parse(fs.readFileSync(path.join(path.dirname(manifests[0]), 'construct-metadata.json'), 'utf8')) as Record<string, unknown>;
    const recorded = (contents?.[IMAGE_POLICY_KEY] as { allowedRegistries?: unknown } | undefined)?.allowedRegistries;
    return Array.isArray(recorded) ? recorded.filter((prefix): prefix is string => typeof prefix === 'string' && registryPrefixProblem(prefix) === undefined) : [];
  } catch {
    return [];
  }
}

function objectKey(apiVersion: unknown, kind: unknown, namespace: unknown, name: unknown): string {
  return [apiVersion, kind, namespace ?? '', name].map(String).join('\u0000');
}

/**
 * Finds each finding's construct path in the `construct-metadata.json` next to the manifests:
 * exactly, from the per-object list the library's constructs and Guard record; else by name,
 * and only when no other object in the manifests has that name.
 */
function constructPathsOf(manifests: readonly string[], entries: readonly ManifestEntry[]): (finding: Finding) => string | undefined {
  const none = () => undefined;
  if (manifests.length === 0) return none;
  let contents: Record<string, unknown> | undefined;
  try {
    contents = JSON.parse(fs.readFileSync(path.join(path.dirname(manifests[0]), 'construct-metadata.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return none;
  }
  const exact = new Map<string, string>();
  const objects = contents?.[OBJECT_PATHS_KEY];
  if (Array.isArray(objects)) {
    for (const object of objects as ObjectPath[]) exact.set(objectKey(object.apiVersion, object.kind, object.namespace, object.name), object.path);
  }
  const byName = new Map<string, string>();
  const resources = contents?.resources;
  if (resources && typeof resources === 'object') {
    for (const [name, value] of Object.entries(resources as Record<string, { path?: unknown }>)) {
      if (typeof value?.path === 'string') byName.set(name, value.path);
    }
  }
  const namesSeen = new Map<string, number>();
  for (const { object } of entries) {
    const name = String((object.metadata as { name?: unknown } | undefined)?.name);
    namesSeen.set(name, (namesSeen.get(name) ?? 0) + 1);
  }
  return (finding) => exact.get(objectKey(finding.apiVersion, finding.kind, finding.namespace, finding.name))
    ?? (namesSeen.get(finding.name) === 1 ? byName.get(finding.name) : undefined);
}
