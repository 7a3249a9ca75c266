import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  automatedConfigFailures, BenchmarkReport, compareOp, executeJsonPath, explainDeviations, formatBenchmarkMarkdown, formatBenchmarkText,
  executeTests, loadBenchmark, nodeViewFromFolder, nodeViewFromKubeadm, runBenchmark,
} from '../../src/benchmark';
import { EncryptionConfiguration, EncryptionProvider, KubeadmConfiguration, KubeadmConfigurationProps } from '../../src/cluster-config';
import { CONTROL_PLANE_PATHS } from '../../src/model/control-plane-settings';
import { buildControlPlaneNodeFiles } from '../../src/platform/control-plane';
import { cisCoverageTable, README, withCoverageTable } from '../conformance/cis';

const MINI = path.join(__dirname, 'fixtures', 'mini-benchmark');
/** kube-bench's CIS 1.8 definitions beside the repository, as `npm run conformance` reads them. */
const CIS_18 = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'kube-bench-cis-1.8');
const NODE_FILES = path.resolve(__dirname, '..', '..', 'node-files');

type Doc = Record<string, any>;

/** the node a kubeadm configuration builds, with its encryption file in place; `edit` weakens the documents first. */
function nodeOf(config: KubeadmConfiguration, edit: (docs: Doc[]) => void = () => undefined, encryption = config.encryption.toYaml()) {
  const docs = parseAllDocuments(config.toYaml()).map((doc) => doc.toJS() as Doc);
  edit(docs);
  return nodeViewFromKubeadm(docs, { [CONTROL_PLANE_PATHS.encryptionConfiguration]: encryption });
}

const statusOf = (report: BenchmarkReport) => Object.fromEntries(report.results.map((result) => [result.id, result.status]));

interface CompareCase {
  readonly label: string;
  readonly op: string;
  readonly flagVal: string;
  readonly compareValue: string;
  readonly expectedResultPattern: string;
  readonly flagName?: string;
  readonly testResult: boolean;
}
const COMPARE_CASES = (JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'kube-bench-compare-op.json'), 'utf8')) as { cases: CompareCase[] }).cases;

describe('kube-bench\'s own compareOp cases |', () => {
  test('all 70 are there', () => expect(COMPARE_CASES).toHaveLength(70));
  test.each(COMPARE_CASES.map((entry) => [entry.label, entry] as const))('%s', (_label, entry) => {
    expect(compareOp(entry.op, entry.flagVal, entry.compareValue, entry.flagName ?? '')).toEqual([entry.expectedResultPattern, entry.testResult]);
  });
});

describe('kube-bench\'s own Check.execute cases |', () => {
  const unit = path.join(__dirname, 'fixtures', 'kube-bench-unit');
  const checks = loadBenchmark(unit)[0].checks;
  const cases = (JSON.parse(fs.readFileSync(path.join(unit, 'execute-cases.json'), 'utf8')) as {
    cases: { check: number; str?: string; strConfig?: string; strEnv?: string; expectedTestResult: string }[];
  }).cases;

  test('all 37 are there', () => expect(cases).toHaveLength(37));
  test.each(cases.map((entry, index) => [`${index} check ${entry.check}`, entry] as const))('%s passes with kube-bench\'s expectation text', (_label, entry) => {
    const result = executeTests(checks[entry.check], { audit: entry.str ?? '', config: entry.strConfig ?? '', env: entry.strEnv ?? '' });
    expect(result).toEqual({ passed: true, expected: entry.expectedTestResult });
  });

  test.each([
    [23, 'this is not valid json {} at all'],
    [24, '{"key": "value"}'],
    [25, 'broken } yaml\nenabled: true'],
    [26, 'currentMasterVersion: 1.11'],
    [26, 'currentMasterVersion: '],
  ])('check %s fails on config output %j (TestTestExecuteExceptions)', (index, config) => {
    expect(executeTests(checks[index], { audit: '', config, env: '' }).passed).toBe(false);
  });
});

describe('kube-bench semantics |', () => {
  const report = runBenchmark(MINI, nodeOf(new KubeadmConfiguration()));
  const results = Object.fromEntries(report.results.map((result) => [result.id, result]));

  test('reads the benchmark version and orders ids numerically', () => {
    expect(report.benchmark).toBe('mini-1.0');
    expect(report.results.map((result) => result.id).slice(8)).toEqual(['1.1.9', '1.1.10', '1.1.11']);
  });

  test('evaluates flags, set, bin_op and compare ops as kube-bench does', () => {
    expect(statusOf(report)).toEqual({
      '1.1.1': 'pass',
      '1.1.2': 'pass',
      '1.1.3': 'pass',
      '1.1.4': 'pass',
      '1.1.5': 'fail',
      '1.1.6': 'manual',
      '1.1.7': 'not-applicable',
      '1.1.8': 'not-applicable',
      '1.1.9': 'pass',
      '1.1.10': 'pass',
      '1.1.11': 'not-applicable',
    });
    expect(results['1.1.5'].kubeBenchState).toBe('WARN');
    expect(results['1.1.5'].expected).toBe('Invalid Number(s) used for comparison: \'/var/log/kubernetes/audit/audit.log\' \'5\'');
    expect(results['1.1.4'].expected).toBe('\'--audit-log-maxage\' is greater or equal to 300 OR \'--audit-log-path\' matched by regex expression \'^/var/log/.*\\.log$\'');
    expect(results['1.1.8'].reason).toMatch(/^file permissions on the node/);
    expect(results['1.1.11'].reason).toMatch(/kubectl get pods -A/);
  });

  test('fails a scored check as FAIL and reports what was expected', () => {
    const weak = runBenchmark(MINI, nodeOf(new KubeadmConfiguration(), (docs) => { docs[1].apiServer.extraArgs.profiling = 'True'; }));
    const profiling = weak.results.find((result) => result.id === '1.1.1')!;
    expect([profiling.status, profiling.kubeBenchState, profiling.expected]).toEqual(['fail', 'FAIL', '\'--profiling\' is equal to \'false\'']);
  });

  test('falls back to the kubelet config file and its JSONPath when the command line lacks the flag', () => {
    const weak = runBenchmark(MINI, nodeOf(new KubeadmConfiguration(), (docs) => { docs[2].tlsCipherSuites = ['TLS_RSA_WITH_AES_128_CBC_SHA']; }));
    expect(statusOf(weak)['1.1.10']).toBe('fail');
    const flag = runBenchmark(MINI, nodeOf(new KubeadmConfiguration(), (docs) => { docs[0].nodeRegistration = { kubeletExtraArgs: { 'read-only-port': '10255' } }; }));
    expect(statusOf(flag)['1.1.10']).toBe('fail');
  });

  test('JSONPath: fields, ranges, literals and missing keys', () => {
    const doc = { a: { b: 0, c: true }, list: ['x', 'y'], gates: {} };
    expect(executeJsonPath('{.a.b}', doc)).toBe('0');
    expect(executeJsonPath('{.a.c}', doc)).toBe('true');
    expect(executeJsonPath('{.gates.RotateKubeletServerCertificate}', doc)).toBe('');
    expect(executeJsonPath('{range .list[:]}{}{\',\'}{end}', doc)).toBe('x,y,');
    expect(() => executeJsonPath('{.a[?(@.b)]}', doc)).toThrow(/unsupported JSONPath/);
  });

  test('refuses a folder without definitions, naming it', () => {
    expect(() => loadBenchmark(__dirname + '/nothing-here')).toThrow(/nothing-here: no such benchmark definition folder/);
    expect(() => loadBenchmark(path.join(__dirname, 'fixtures'))).toThrow(/no kube-bench check definitions/);
  });
});

test('the committed node files are what the reference platform builds (npm run synth)', () => {
  for (const file of buildControlPlaneNodeFiles().files) {
    expect([file.name, fs.readFileSync(path.join(NODE_FILES, file.name), 'utf8')]).toEqual([file.name, file.text]);
  }
});

const corpusPresent = fs.existsSync(path.join(CIS_18, 'master.yaml'));
if (!corpusPresent) {
  // eslint-disable-next-line no-console
  console.warn(`kube-bench CIS 1.8 definitions not found at ${CIS_18}: the CIS conformance tests are skipped`);
}
(corpusPresent ? describe : describe.skip)('CIS 1.8 against the generated configuration |', () => {
  const byVersion = (version: string, props: KubeadmConfigurationProps = {}) =>
    explainDeviations(runBenchmark(CIS_18, nodeOf(new KubeadmConfiguration({ kubernetesVersion: version, ...props }))));

  test('every automated check of sections 1-4 passes or is a file permission/ownership check', () => {
    for (const version of ['v1.28.15', 'v1.32.4']) {
      const report = byVersion(version);
      const automated = report.results.filter((result) => ['1', '2', '3', '4'].includes(result.section) && result.automated);
      expect(automated.filter((result) => result.status !== 'pass' && result.status !== 'not-applicable').map((result) => result.id)).toEqual([]);
      for (const result of automated.filter((entry) => entry.status === 'not-applicable')) expect(result.reason).toMatch(/^file (permissions|ownership) on the node/);
      expect(automatedConfigFailures(report)).toEqual([]);
    }
  });

  test('the result per check (Kubernetes 1.28)', () => {
    expect(statusOf(byVersion('v1.28.15'))).toMatchSnapshot();
  });

  test('manual checks that fail carry the documented reason', () => {
    const report = byVersion('v1.28.15');
    const failing = report.results.filter((result) => result.status === 'fail');
    expect(failing.map((result) => result.id)).toEqual(['1.2.9', '1.2.11', '1.2.12', '4.2.9']);
    for (const result of failing) expect(result.reason).toMatch(/^deliberate: /);
    expect(statusOf(byVersion('v1.28.15', { alwaysPullImages: true }))['1.2.11']).toBe('pass');
    expect(statusOf(byVersion('v1.32.4'))['1.2.1']).toBe('fail');
  });

  const weakened: [string, string[], (docs: Doc[]) => void][] = [
    ['API server: profiling on', ['1.2.16'], (docs) => { docs[1].apiServer.extraArgs.profiling = 'true'; }],
    ['API server: AlwaysAllow and no Node authorizer', ['1.2.6', '1.2.7'], (docs) => { docs[1].apiServer.extraArgs['authorization-mode'] = 'AlwaysAllow,RBAC'; }],
    ['API server: a static token file', ['1.2.2'], (docs) => { docs[1].apiServer.extraArgs['token-auth-file'] = '/etc/kubernetes/tokens.csv'; }],
    ['API server: NodeRestriction and ServiceAccount off', ['1.2.13', '1.2.15'], (docs) => {
      docs[1].apiServer.extraArgs['enable-admission-plugins'] = 'AlwaysAdmit';
      docs[1].apiServer.extraArgs['disable-admission-plugins'] = 'ServiceAccount';
    }],
    ['API server: no audit log, short retention', ['1.2.17', '1.2.18', '1.2.19', '1.2.20', '3.2.1'], (docs) => {
      for (const flag of ['audit-log-path', 'audit-policy-file']) delete docs[1].apiServer.extraArgs[flag];
      Object.assign(docs[1].apiServer.extraArgs, { 'audit-log-maxage': '7', 'audit-log-maxbackup': '1', 'audit-log-maxsize': '10' });
    }],
    ['API server: no kubelet CA, lookup off, weak ciphers', ['1.2.5', '1.2.22', '1.2.30'], (docs) => {
      delete docs[1].apiServer.extraArgs['kubelet-certificate-authority'];
      docs[1].apiServer.extraArgs['service-account-lookup'] = 'false';
      docs[1].apiServer.extraArgs['tls-cipher-suites'] = 'TLS_RSA_WITH_RC4_128_SHA';
    }],
    ['API server: no encryption', ['1.2.28', '1.2.29'], (docs) => {
      for (const flag of ['encryption-provider-config', 'encryption-provider-config-automatic-reload']) delete docs[1].apiServer.extraArgs[flag];
    }],
    ['controller manager: on all interfaces, profiling, shared credentials', ['1.3.2', '1.3.3', '1.3.7'], (docs) => {
      Object.assign(docs[1].controllerManager.extraArgs, { 'bind-address': '0.0.0.0', 'profiling': 'true', 'use-service-account-credentials': 'false' });
    }],
    ['controller manager: kubelet server certificate rotation off', ['1.3.6'], (docs) => { docs[1].controllerManager.extraArgs['feature-gates'] = 'RotateKubeletServerCertificate=false'; }],
    ['scheduler: on all interfaces with profiling', ['1.4.1', '1.4.2'], (docs) => { Object.assign(docs[1].scheduler.extraArgs, { 'bind-address': '0.0.0.0', 'profiling': 'true' }); }],
    ['etcd: no client or peer certificate auth, auto-TLS', ['2.2', '2.3', '2.5', '2.6'], (docs) => {
      Object.assign(docs[1].etcd.local.extraArgs, { 'client-cert-auth': 'false', 'auto-tls': 'true', 'peer-client-cert-auth': 'false', 'peer-auto-tls': 'true' });
    }],
    ['kubelet: anonymous, AlwaysAllow, read-only port, no rotation', ['4.2.1', '4.2.2', '4.2.4', '4.2.10'], (docs) => {
      docs[2].authentication.anonymous.enabled = true;
      docs[2].authorization.mode = 'AlwaysAllow';
      docs[2].readOnlyPort = 10255;
      docs[2].rotateCertificates = false;
    }],
    ['kubelet: streaming timeout 0, iptables chains off, no PID limit, weak ciphers', ['4.2.5', '4.2.6', '4.2.12', '4.2.13'], (docs) => {
      docs[2].streamingConnectionIdleTimeout = 0;
      docs[2].makeIPTablesUtilChains = false;
      delete docs[2].podPidsLimit;
      docs[2].tlsCipherSuites = ['TLS_RSA_WITH_AES_128_CBC_SHA'];
    }],
    ['kubelet: hostname override and a flag that wins over the file', ['4.2.1', '4.2.7'], (docs) => {
      docs[0].nodeRegistration = { kubeletExtraArgs: { 'hostname-override': 'other', 'anonymous-auth': 'true' } };
    }],
  ];

  test.each(weakened)('fails on a weakened configuration: %s', (_name, ids, edit) => {
    const report = runBenchmark(CIS_18, nodeOf(new KubeadmConfiguration(), edit));
    const status = statusOf(report);
    expect(ids.map((id) => [id, status[id]])).toEqual(ids.map((id) => [id, 'fail']));
  });

  test('keeps kube-bench\'s substring match: the automatic-reload flag alone passes 1.2.28 but not 1.2.29', () => {
    const report = runBenchmark(CIS_18, nodeOf(new KubeadmConfiguration(), (docs) => { delete docs[1].apiServer.extraArgs['encryption-provider-config']; }));
    expect([statusOf(report)['1.2.28'], statusOf(report)['1.2.29']]).toEqual(['pass', 'fail']);
  });

  test.each([
    ['identity first (plaintext writes)', '- identity: {}'],
    ['aesgcm', '- aesgcm:'],
  ])('fails 1.2.29 on an encryption file whose last entry starts with %s', (_name, line) => {
    const encryption = new EncryptionConfiguration().toYaml().replace('- kms:', line);
    const report = runBenchmark(CIS_18, nodeOf(new KubeadmConfiguration(), undefined, encryption));
    expect(statusOf(report)['1.2.29']).toBe('fail');
  });

  test('passes 1.2.29 for secretbox and fails it when the encryption file is missing', () => {
    const secretbox = new EncryptionConfiguration({ provider: EncryptionProvider.secretbox([{ name: 'k1', secret: Buffer.alloc(32, 1).toString('base64') }]) });
    expect(statusOf(runBenchmark(CIS_18, nodeOf(new KubeadmConfiguration({ encryption: secretbox }))))['1.2.29']).toBe('pass');
    const missing = runBenchmark(CIS_18, nodeViewFromKubeadm(parseAllDocuments(new KubeadmConfiguration().toYaml()).map((doc) => doc.toJS())));
    expect(statusOf(missing)['1.2.29']).toBe('fail');
  });

  test('reports etcd checks as not applicable for an external etcd', () => {
    const report = runBenchmark(CIS_18, nodeOf(new KubeadmConfiguration(), (docs) => {
      docs[1].etcd = { external: { endpoints: ['https://etcd-0:2379'], caFile: '/etc/etcd/ca.crt', certFile: '/etc/etcd/client.crt', keyFile: '/etc/etcd/client.key' } };
    }));
    const etcd = report.results.filter((result) => result.section === '2');
    expect(etcd.every((result) => result.status === 'not-applicable' && /external etcd/.test(result.reason!))).toBe(true);
    expect(statusOf(report)['1.2.24']).toBe('pass');
  });

  test('the committed node files give the same result as the builder, and the text report lists every check', () => {
    const report = explainDeviations(runBenchmark(CIS_18, nodeViewFromFolder(NODE_FILES)));
    expect(statusOf(report)).toEqual(statusOf(byVersion('v1.28.15')));
    const text = formatBenchmarkText(report);
    for (const result of report.results) expect(text).toContain(` ${result.id} `);
    expect(formatBenchmarkMarkdown(report)).toContain('| 1.2.29 | Ensure that encryption providers are appropriately configured (Manual) | PASS |  |');
  });

  test('README\'s CIS coverage table is current (npm run docgen:cis)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    expect(withCoverageTable(readme, cisCoverageTable(CIS_18))).toBe(readme);
  });
});
