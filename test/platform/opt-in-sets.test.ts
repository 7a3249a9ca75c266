import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { checkManifests, evaluateProbeReport, parseProbeReport, RuleIds } from '../../src';
import type { KubeObject } from '../../src/checker/types';
import {
  buildReferenceFalcoRules, buildReferencePlatform, buildReferenceProbes, CIS_SCAN_EXCEPTION_EXPIRES,
} from '../../src/platform/reference-platform';
import { validateAgainstSchema } from '../support/schema';

const ROOT = path.join(__dirname, '..', '..');
const TODAY = '2026-12-01';
const NOW = new Date(`${TODAY}T00:00:00Z`);

function synthesized() {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'opt-in-'));
  const app = new App({ outdir: tmp() });
  buildReferencePlatform(app);
  const networkApp = new App({ outdir: tmp() });
  const cisApp = new App({ outdir: tmp() });
  const probes = buildReferenceProbes(networkApp, cisApp, app, { today: TODAY });
  return { app, probes, falco: buildReferenceFalcoRules(app) };
}

function committed(folder: string): { files: string[]; objects: KubeObject[] } {
  const dir = path.join(ROOT, folder);
  const files = fs.readdirSync(dir).sort();
  return { files, objects: files.filter((f) => f.endsWith('.yaml')).flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(dir, f), 'utf8')) as KubeObject[]) };
}

describe('reference platform opt-in sets |', () => {
  test('probes/ and runtime/ hold exactly what synth writes, apart from their READMEs', () => {
    const { probes, falco } = synthesized();
    expect(fs.readdirSync(path.join(ROOT, 'probes')).sort()).toEqual(['README.md', 'cis-scan', 'network']);
    const network = committed('probes/network');
    expect(network.files).toEqual(['netpol-probe.k8s.yaml']);
    expect(network.objects).toEqual(Testing.synth(probes.network));
    const cis = committed('probes/cis-scan');
    expect(cis.files).toEqual(['cis-scan.k8s.yaml']);
    expect(cis.objects).toEqual(Testing.synth(probes.cis));
    expect(fs.readdirSync(path.join(ROOT, 'runtime')).sort()).toEqual(['README.md', 'cdk8s-hardened-rules.yaml', 'falco-values.yaml']);
    expect(fs.readFileSync(path.join(ROOT, 'runtime', 'cdk8s-hardened-rules.yaml'), 'utf8')).toBe(falco.toYaml());
    expect(fs.readFileSync(path.join(ROOT, 'runtime', 'falco-values.yaml'), 'utf8')).toBe(falco.helmValuesYaml());
  });

  test('nothing of the opt-in sets is in dist/', () => {
    const dist = fs.readdirSync(path.join(ROOT, 'dist')).flatMap((f) => yaml.loadAll(fs.readFileSync(path.join(ROOT, 'dist', f), 'utf8')) as KubeObject[]);
    expect(dist.filter((o: any) => o.kind === 'Job' || o.metadata?.namespace === 'cis-scan' || o.metadata?.name === 'netpol-probe-canary')).toEqual([]);
  });

  test('the probe set and the CIS scan pass the hardened pack, the scan only through reasoned suppressions', () => {
    for (const folder of ['probes/network', 'probes/cis-scan']) {
      const { objects } = committed(folder);
      const report = checkManifests(objects.map((object) => ({ object, source: {} })), { pack: 'hardened', now: NOW });
      expect(report.findings.filter((f) => !f.suppressed && f.severity !== 'info')).toEqual([]);
      expect(report.findings.filter((f) => f.suppressed).every((f) => (f.reason ?? '').length >= 10)).toBe(true);
      expect(validateAgainstSchema(objects).validated).toBe(objects.length);
    }
    const network = checkManifests(committed('probes/network').objects.map((object) => ({ object, source: {} })), { pack: 'hardened', now: NOW });
    expect(network.findings).toEqual([]);
  });

  test('the probe set covers every declared flow between workloads of dist/', () => {
    const { probes } = synthesized();
    const declared = probes.probe.plans.flatMap((plan) => plan.checks.filter((c) => c.category === 'declared').map((c) => `${plan.namespace}/${plan.name} -> ${c.target}`));
    expect(declared).toEqual([
      'jobs/nightly-report -> api.shop.svc.cluster.local:8080',
      'jobs/worker -> api.shop.svc.cluster.local:8080',
      'shop/api -> db.shop.svc.cluster.local:5432',
      'shop/web -> api.shop.svc.cluster.local:8080',
    ]);
    for (const plan of probes.probe.plans) {
      expect(plan.checks.filter((c) => c.category === 'metadata').map((c) => c.target)).toContain('[fd00:ec2::254]:80');
      expect(plan.checks.filter((c) => c.category === 'canary')).toHaveLength(3);
      expect(plan.skipped).toEqual([]);
    }
  });

  test('a passing run of the committed probe Jobs evaluates to pass', () => {
    const { objects } = committed('probes/network');
    const log = objects.filter((o: any) => o.kind === 'Job').flatMap((job: any) => {
      const source = `${job.metadata.namespace}/${job.metadata.labels['security.cdk8s-hardened.io/netpol-probe']}`;
      const checks = [...String(job.spec.template.spec.containers[0].command[2]).matchAll(/^check '([^']+)' (\S+) (\S+) '([^']+)'$/gm)];
      const observed: Record<string, string> = { connect: 'CONNECTED', blocked: 'TIMEOUT', unreachable: 'TIMEOUT', refused: 'REFUSED' };
      return checks.map(([, check, category, expected, target]) => JSON.stringify({
        format: 'cdk8s-hardened.io/netpol-probe/v1', check, category, source, target, expected, observed: observed[expected], verdict: 'pass',
      }));
    }).join('\n');
    const report = evaluateProbeReport(parseProbeReport(log));
    expect(report.verdict).toBe('pass');
    const planned = objects.filter((o: any) => o.kind === 'Job').reduce((sum, job: any) => sum + Number(job.metadata.annotations['netpol-probe.cdk8s-hardened.io/checks']), 0);
    expect(report.checks).toHaveLength(planned);
    expect(planned).toBe(46);
  });

  test('the CIS scan is pinned to cis-1.8 and its exception runs out on the stated date', () => {
    const { objects } = committed('probes/cis-scan');
    const cron = objects.find((o: any) => o.kind === 'CronJob') as any;
    expect(cron.spec.jobTemplate.spec.template.spec.containers[0].args).toEqual(['run', '--targets', 'node', '--benchmark', 'cis-1.8', '--json', '--exit-code', '1']);
    expect(cron.metadata.annotations[`ignore-check-expires.cdk8s-hardened.io/${RuleIds.PSS_HOST_NAMESPACES}`]).toBe(CIS_SCAN_EXCEPTION_EXPIRES);
    const observed = new App();
    buildReferencePlatform(observed);
    expect(() => buildReferenceProbes(new App(), new App(), observed, { today: '2027-07-01' })).toThrow(/privilegedNamespace expired on 2027-06-30/);
  });

  test('Falco rules cover every hardened workload of dist/', () => {
    const { falco } = synthesized();
    expect(falco.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name}`)).toEqual([
      'CronJob jobs/nightly-report', 'Deployment jobs/worker', 'DaemonSet logging/log-shipper', 'Deployment shop/api', 'StatefulSet shop/db', 'Deployment shop/web',
    ]);
    expect(falco.shapeProblems()).toEqual([]);
  });
});
