import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Result } from 'sarif';
import type { RuleId } from '../../rule-ids';
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

/**
 * A file name as a SARIF artifact URI: relative to the working directory (which code scanning
 * resolves against the repository root) with forward slashes; a file outside it as a file: URI.
 */
export function artifactUri(file: string, cwd = process.cwd()): string {
  const relative = path.isAbsolute(file) ? path.relative(cwd, file) : path.normalize(file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return pathToFileURL(path.resolve(cwd, file)).href;
  return relative.split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function fingerprint(finding: Finding): string {
  const key = [finding.ruleId, finding.kind, finding.namespace ?? '', finding.name, finding.path, finding.message].join('\u0000');
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
export function renderSarif(report: CheckReport, tool: SarifToolInfo): string {
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
  for (const rule of pack.rules) describe(rule.id, rule.title, rule.description, rule.remediation, referencesText(rule), rule.references.links?.[0]);
  for (const meta of META_RULES) describe(meta.id, meta.title, meta.description, meta.remediation, '');

  for (const finding of report.findings) {
    const object = `${finding.kind} ${finding.namespace ? `${finding.namespace}/` : ''}${finding.name}`;
    const result = new sarif.SarifResultBuilder().initSimple({
      level: LEVEL[finding.severity],
      messageText: `${finding.message} (${object}${finding.path ? `, at ${finding.path}` : ''}). ${finding.remediation}`,
      ruleId: finding.ruleId,
      fileUri: finding.file !== undefined ? artifactUri(finding.file) : undefined,
      startLine: finding.line,
    });
    result.result.locations = result.result.locations ?? [];
    if (result.result.locations.length === 0) result.result.locations.push({});
    result.result.locations[0].logicalLocations = [{ fullyQualifiedName: `${object}${finding.path ? `:${finding.path}` : ''}`, kind: 'object' }];
    result.result.partialFingerprints = { 'cdk8sHardenedFinding/v1': fingerprint(finding) };
    if (finding.suppressed) result.result.suppressions = [{ kind: 'inSource', justification: finding.reason }];
    run.addResult(result);
  }

  const log = new sarif.SarifBuilder();
  log.addRun(run);
  return `${log.buildSarifJsonString({ indent: true })}\n`;
}
