import * as fs from 'fs';
import { CheckReport, checkManifests, failingFindings } from './engine';
import { decodeText, InputError, parseManifests } from './input';
import { metaRuleDoc } from './meta-rules';
import { DEFAULT_PACK, isPackName, PACK_NAMES, PackName } from './packs';
import { ruleById } from './rules';
import { SourceLines } from './source-lines';
import type { Finding, ManifestEntry, Severity } from './types';

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
}

/** the `properties` of the plugin in `cdk8s.yaml`. */
export interface HardenedValidationProps {
  /** @default 'hardened' */
  readonly pack?: PackName;
  /** the lowest severity of an unsuppressed finding that fails `cdk8s synth`. @default 'error' */
  readonly failOn?: Extract<Severity, 'error' | 'warning'>;
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

  constructor(props: HardenedValidationProps = {}) {
    if (props.pack !== undefined && !isPackName(props.pack)) {
      throw new Error(`HardenedValidation: pack is ${JSON.stringify(props.pack)}: use one of ${PACK_NAMES.join(', ')}`);
    }
    if (props.failOn !== undefined && props.failOn !== 'error' && props.failOn !== 'warning') {
      throw new Error(`HardenedValidation: failOn is ${JSON.stringify(props.failOn)}: use error or warning`);
    }
    this.pack = props.pack ?? DEFAULT_PACK;
    this.failOn = props.failOn ?? 'error';
  }

  public async validate(context: ValidationContextLike): Promise<void> {
    const texts = new Map<string, string>();
    const entries: ManifestEntry[] = [];
    try {
      for (const manifest of context.manifests) {
        const text = decodeText(fs.readFileSync(manifest), manifest);
        texts.set(manifest, text);
        entries.push(...parseManifests(text, manifest));
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
    const lines = new SourceLines(texts);
    const report = checkManifests(entries, { pack: this.pack, locate: (source, path) => lines.lineOf(source, path) });
    this.addViolations(context, report);
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
  private addViolations(context: ValidationContextLike, report: CheckReport): void {
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
        if (!resource) resources.set(key, resource = { resourceName: finding.name, manifestPath: finding.file ?? '', locations: [] });
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
