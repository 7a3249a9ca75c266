import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Result } from 'sarif';
import type { RuleId } from '../../model/rule-ids';
import type { CheckReport } from '../engine';
import { META_RULES } from '../meta-rules';
import { packOf } from '../packs';
import type { Finding, Rule, Severity } from '../types';

/** what the SARIF log says about the tool. */
export interface SarifToolInfo {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
}

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };
/** GitHub code scanning ranks security alerts by this score (0-10). */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/** the base id of artifact URIs relative to the source root, as GitHub code scanning expects. */
export const SRCROOT = '%SRCROOT%';
/** where the docs of rules without a link of their own live; anchors are rule ids. */
export const RULES_DOC_URL = 'https://github.com/cdk8s-hardened/cdk8s-hardened/blob/main/docs/RULES.md';

/** how findings' files become SARIF artifact locations. */
export interface SarifPaths {
  /** the source root (`%SRCROOT%`): paths are relative to it. @default - the working directory */
  readonly root?: string;
  /** the working directory relative file names are resolved against. @default - process.cwd() */
  readonly cwd?: string;
  /** the file name findings from standard input carry; written as `stdin`. @default '<stdin>' */
  readonly stdinName?: string;
}

/** an artifact location: a URI relative to `%SRCROOT%`, or an absolute file: URI outside it. */
export interface ArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

/**
 * A file name as a SARIF artifact location: relative to the source root with forward slashes and
 * `uriBaseId: %SRCROOT%`; a file outside the root as an absolute file: URI; standard input as
 * `stdin`.
 */
export function artifactLocation(file: string, paths: SarifPaths = {}): ArtifactLocation {
  if (file === (paths.stdinName ?? '<stdin>')) return { uri: 'stdin', uriBaseId: SRCROOT };
  const cwd = paths.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(path.resolve(cwd, paths.root ?? cwd), absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(absolute).href };
  return { uri: relative.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** the artifact URI alone (see `artifactLocation`), relative to `cwd` taken as the root. */
export function artifactUri(file: string, cwd = process.cwd()): string {
  return artifactLocation(file, { cwd, root: cwd }).uri;
}

/** stable across runs and line moves; distinct per file, so two overlays of one object stay two alerts. */
function fingerprint(finding: Finding, uri: string): string {
  const key = [uri, finding.ruleId, finding.kind, finding.namespace ?? '', finding.name, finding.path, finding.message].join('\u0000');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

function referencesText(rule: Rule): string {
  const references = rule.references;
  return [
    references.pss ? `PSS ${references.pss.level} (${references.pss.check})` : undefined,
    references.cis?.length ? `CIS ${references.cis.join(', ')}` : undefined,
    references.nsa?.length ? `NSA/CISA ${references.nsa.join(', ')}` : undefined,
    references.cves?.length ? references.cves.join(', ') : undefined,
  ].filter((text) => text !== undefined).join('; ');
}

/**
 * The report as a SARIF 2.1.0 log (built with node-sarif-builder, loaded only here): the pack's
 * rules with help text, one result per finding with the file and line code scanning annotates,
 * suppressed findings carrying an `inSource` suppression with their reason.
 */
export function renderSarif(report: CheckReport, tool: SarifToolInfo, paths: SarifPaths = {}): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sarif = require('node-sarif-builder') as typeof import('node-sarif-builder');
  const pack = packOf(report.summary.pack);
  const run = new sarif.SarifRunBuilder().initSimple({ toolDriverName: tool.name, toolDriverVersion: tool.version, url: tool.informationUri });

  const describe = (id: RuleId, title: string, description: string, remediation: string, references: string, helpUri?: string) => {
    const builder = new sarif.SarifRuleBuilder().initSimple({ ruleId: id, shortDescriptionText: title, fullDescriptionText: description, helpUri });
    const severity = pack.severityOf(id);
    builder.rule.help = {
      text: `${remediation}${references ? `\n\nReferences: ${references}` : ''}`,
      markdown: `**${title}**\n\n${description}\n\n**Fix:** ${remediation}${references ? `\n\n**References:** ${references}` : ''}`,
    };
    builder.rule.defaultConfiguration = { level: LEVEL[severity] };
    builder.rule.properties = { 'tags': ['security', 'kubernetes'], 'security-severity': SECURITY_SEVERITY[severity] };
    run.addRule(builder);
  };
  for (const rule of pack.rules) {
    describe(rule.id, rule.title, rule.description, rule.remediation, referencesText(rule), rule.references.links?.[0] ?? `${RULES_DOC_URL}#${rule.id}`);
  }
  for (const meta of META_RULES) describe(meta.id, meta.title, meta.description, meta.remediation, '', `${RULES_DOC_URL}#${meta.id}`);

  const root = path.resolve(paths.cwd ?? process.cwd(), paths.root ?? paths.cwd ?? process.cwd());
  for (const finding of report.findings) {
    const location = finding.file !== undefined ? artifactLocation(finding.file, paths) : undefined;
    const object = `${finding.kind} ${finding.namespace ? `${finding.namespace}/` : ''}${finding.name}`;
    const result = new sarif.SarifResultBuilder().initSimple({
      level: LEVEL[finding.severity],
      messageText: `${finding.message} (${object}${finding.path ? `, at ${finding.path}` : ''}). ${finding.remediation}`,
      ruleId: finding.ruleId,
      fileUri: location?.uri,
      startLine: finding.line,
    });
    result.result.locations = result.result.locations ?? [];
    if (result.result.locations.length === 0) result.result.locations.push({});
    const artifact = result.result.locations[0].physicalLocation?.artifactLocation;
    if (artifact && location?.uriBaseId) artifact.uriBaseId = location.uriBaseId;
    result.result.locations[0].logicalLocations = [{ fullyQualifiedName: `${object}${finding.path ? `:${finding.path}` : ''}`, kind: 'object' }];
    result.result.partialFingerprints = { 'cdk8sHardenedFinding/v2': fingerprint(finding, location?.uri ?? '') };
    if (finding.suppressed) result.result.suppressions = [{ kind: 'inSource', justification: finding.reason }];
    run.addResult(result);
  }

  run.run.originalUriBaseIds = { [SRCROOT]: { uri: `${pathToFileURL(root).href.replace(/\/?$/, '/')}` } };
  const log = new sarif.SarifBuilder();
  log.addRun(run);
  const output = log.buildSarifOutput();
  // node-sarif-builder lists artifacts by URI only: relative ones are under %SRCROOT% too.
  for (const artifact of output.runs.flatMap((built) => built.artifacts ?? [])) {
    if (artifact.location?.uri !== undefined && !/^[a-z]+:/.test(artifact.location.uri)) artifact.location.uriBaseId = SRCROOT;
  }
  return `${JSON.stringify(output, null, 2)}\n`;
}
