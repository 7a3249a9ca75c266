import type { BenchmarkCheckResult, BenchmarkReport, BenchmarkStatus } from './kube-bench';
import { CIS_DEVIATIONS } from '../model/control-plane-settings';

/**
 * The report with the library's documented reason on each failing check it deliberately does not
 * follow (`CIS_DEVIATIONS`); the status stays `fail`.
 */
export function explainDeviations(report: BenchmarkReport): BenchmarkReport {
  const results = report.results.map((result) => {
    if (result.status !== 'fail') return result;
    const deviation = CIS_DEVIATIONS.find((entry) => entry.cis.some((ref) => ref.benchmark === report.benchmark && ref.id === result.id));
    return deviation ? { ...result, reason: `deliberate: ${deviation.reason} (${result.reason})` } : result;
  });
  return { ...report, results };
}


const LABEL: Record<BenchmarkStatus, string> = { 'pass': 'PASS', 'fail': 'FAIL', 'manual': 'MANUAL', 'not-applicable': 'N/A' };

/** one line per check, then the totals; failures and every non-pass carry their reason. */
export function formatBenchmarkText(report: BenchmarkReport): string {
  const lines = [`${report.benchmark}: kube-bench checks evaluated offline against the generated node files`];
  let section = '';
  for (const result of report.results) {
    if (result.section !== section) {
      section = result.section;
      lines.push('', `[${result.section}] ${result.sectionText}`);
    }
    lines.push(`${LABEL[result.status].padEnd(6)} ${result.id} ${result.text}`);
    if (result.status !== 'pass' && result.reason) lines.push(`       ${result.reason}`);
  }
  const { counts } = report;
  lines.push('', `== ${counts.pass} pass, ${counts.fail} fail, ${counts.manual} manual, ${counts['not-applicable']} not applicable ==`, '');
  return lines.join('\n');
}

/** the report as stable JSON (results in id order). */
export function formatBenchmarkJson(report: BenchmarkReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** results of the automated checks that a configuration file decides and that do not pass. */
export function automatedConfigFailures(report: BenchmarkReport): BenchmarkCheckResult[] {
  return report.results.filter((result) => result.automated && result.status === 'fail');
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** a Markdown coverage table: id, check, status and reason, for the sections given. */
export function formatBenchmarkMarkdown(report: BenchmarkReport, sections: readonly string[] = ['1', '2', '3', '4']): string {
  const rows = report.results.filter((result) => sections.includes(result.section));
  const lines = [
    `| ${report.benchmark} | Check | Result | Why |`,
    '|---|---|---|---|',
    ...rows.map((result) => `| ${result.id} | ${escapeCell(result.text)} | ${LABEL[result.status]} | ${escapeCell(result.status === 'pass' ? '' : result.reason ?? '')} |`),
  ];
  const count = (status: BenchmarkStatus) => rows.filter((result) => result.status === status).length;
  lines.push('', `Sections ${sections.join(', ')}: ${count('pass')} pass, ${count('fail')} fail, ${count('manual')} manual, ${count('not-applicable')} not applicable.`);
  return `${lines.join('\n')}\n`;
}
