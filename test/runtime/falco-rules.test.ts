import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  checkFalcoRulesShape, conditionReferences, CidrEgressFlow, FALCO_PRIORITIES, FALCO_UPSTREAM_RULES, FalcoRules, FlowPort, HardenedDeployment,
  HardenedNamespace, HardenedStatefulSet, InternetEgressFlow, Labels, MinimalServiceAccount, WorkloadFlow,
} from '../../src';

const IMAGE = `ghcr.io/example/app:1.0.0@sha256:${'c'.repeat(64)}`;
const REASON = 'documented in the platform runbook';
const probes = () => ({ readiness: kplus.Probe.fromTcpSocket({ port: 8080 }), liveness: kplus.Probe.fromTcpSocket({ port: 8080 }) });

function app() {
  const root = Testing.app();
  new HardenedNamespace(new Chart(root, 'namespaces'), 'apps', { name: 'apps' });
  const chart = new Chart(root, 'apps', { namespace: 'apps' });
  const web = new HardenedDeployment(chart, 'web', { component: 'frontend', containers: [{ image: IMAGE, portNumber: 8080, ...probes() }], writablePaths: [{ path: '/var/cache/nginx' }] });
  const db = new HardenedStatefulSet(chart, 'db', { containers: [{ image: IMAGE, portNumber: 5432, ...probes() }], volumeClaims: [{ name: 'data', mountPath: '/var/lib/db' }] });
  new WorkloadFlow(chart, 'web-to-db', { from: web, to: db, ports: [FlowPort.tcp(5432)] });
  new InternetEgressFlow(chart, 'web-out', { from: web });
  new CidrEgressFlow(chart, 'web-range', { from: web, cidrs: ['203.0.113.0/24'], ports: [FlowPort.tcpRange(8000, 8100), FlowPort.udp(514)] });
  return { root, chart };
}

const rule = (rules: FalcoRules, prefix: string) => rules.items.find((item) => typeof item.rule === 'string' && (item.rule as string).startsWith(prefix)) as Record<string, any> | undefined;

describe('FalcoRules |', () => {
  test('rules file and chart values', () => {
    const rules = FalcoRules.of(app().root);
    expect(rules.toYaml()).toMatchSnapshot();
    expect(rules.helmValuesYaml()).toMatchSnapshot();
  });

  test('requires the upstream engine and the container plugin, and passes its own shape check', () => {
    const rules = FalcoRules.of(app().root);
    expect(rules.items[0]).toEqual({ required_engine_version: '0.57.0' });
    expect(rules.items[1]).toEqual({ required_plugin_versions: [{ name: 'container', version: '0.4.0' }] });
    expect(rules.shapeProblems()).toEqual([]);
    for (const item of rules.items.filter((i) => i.rule !== undefined)) expect(FALCO_PRIORITIES).toContain(item.priority);
    expect(parse(rules.toYaml())).toEqual(rules.items);
  });

  test('each rule names the namespace and workload and is scoped by namespace and pod labels', () => {
    const rules = FalcoRules.of(app().root);
    expect(rules.items.filter((i) => i.macro === 'cdk8s_hardened_apps_web')).toEqual([{
      macro: 'cdk8s_hardened_apps_web',
      condition: '(k8s.ns.name = "apps" and k8s.pod.label[app.kubernetes.io/component] = "frontend" and k8s.pod.label[app.kubernetes.io/name] = "web")',
    }]);
    const names = rules.items.filter((i) => i.rule !== undefined).map((i) => i.rule);
    expect(names).toEqual([
      'cdk8s-hardened: shell or package manager in apps/db',
      'cdk8s-hardened: write outside writable paths in apps/db',
      'cdk8s-hardened: undeclared outbound connection from apps/db',
      'cdk8s-hardened: ServiceAccount token read in apps/db',
      'cdk8s-hardened: shell or package manager in apps/web',
      'cdk8s-hardened: write outside writable paths in apps/web',
      'cdk8s-hardened: undeclared outbound connection from apps/web',
      'cdk8s-hardened: ServiceAccount token read in apps/web',
    ]);
    for (const item of rules.items.filter((i) => i.rule !== undefined)) {
      const where = (item.rule as string).endsWith('apps/web') ? 'cdk8s_hardened_apps_web' : 'cdk8s_hardened_apps_db';
      expect(item.condition).toContain(` and ${where}`);
    }
  });

  test('shell or package manager: upstream lists, probe pods excluded', () => {
    const shell = rule(FalcoRules.of(app().root), 'cdk8s-hardened: shell or package manager in apps/web')!;
    expect(shell.condition).toBe('spawned_process and container and cdk8s_hardened_apps_web and (proc.name in (shell_binaries) or proc.name in (package_mgmt_binaries))'
      + ` and not k8s.pod.label[${Labels.NETPOL_PROBE}] exists`);
    expect(shell.priority).toBe('WARNING');
  });

  test('a shell entrypoint is not reported, its children are', () => {
    const root = Testing.app();
    new HardenedNamespace(new Chart(root, 'namespaces'), 'apps', { name: 'apps' });
    new HardenedDeployment(new Chart(root, 'apps', { namespace: 'apps' }), 'script', { containers: [{ image: IMAGE, command: ['/bin/sh', '-c', 'exec /app'], ...probes() }] });
    expect(rule(FalcoRules.of(root), 'cdk8s-hardened: shell')!.condition).toContain(' and not proc.vpid = 1 and ');
  });

  test('writes: only the writable mounts (the /tmp default, writable paths, volume claims) and /dev', () => {
    const rules = FalcoRules.of(app().root);
    expect(rules.workloads.map((w) => [w.name, w.writablePaths])).toEqual([['db', ['/tmp', '/var/lib/db']], ['web', ['/tmp', '/var/cache/nginx']]]);
    expect(rule(rules, 'cdk8s-hardened: write outside writable paths in apps/web')!.condition)
      .toBe('open_write and container and cdk8s_hardened_apps_web and not (fd.name startswith "/dev/" or fd.name startswith "/tmp/" or fd.name startswith "/var/cache/nginx/")');
    expect(rule(rules, 'cdk8s-hardened: write outside writable paths in apps/web')!.priority).toBe('ERROR');
  });

  test('no write rule for a workload whose root filesystem is writable by exception', () => {
    const root = Testing.app();
    new HardenedNamespace(new Chart(root, 'namespaces'), 'apps', { name: 'apps' });
    new HardenedDeployment(new Chart(root, 'apps', { namespace: 'apps' }), 'legacy', {
      containers: [{ image: IMAGE, ...probes() }], exceptions: { writableRootFilesystem: { reason: REASON } },
    });
    const rules = FalcoRules.of(root);
    expect(rules.workloads[0].writableRoot).toBe(true);
    expect(rule(rules, 'cdk8s-hardened: write outside')).toBeUndefined();
  });

  test('outbound: every declared destination and port is excepted, in-cluster flows through the cluster networks', () => {
    const outbound = rule(FalcoRules.of(app().root), 'cdk8s-hardened: undeclared outbound connection from apps/web')!;
    expect(outbound.condition.startsWith('cdk8s_hardened_outbound and container and cdk8s_hardened_apps_web and not (')).toBe(true);
    // the flow to db (pods: cluster networks on 5432), DNS, the internet on 443 minus metadata and non-public ranges, the CIDR with its port range and UDP port.
    expect(outbound.condition).toContain('(fd.snet in (cdk8s_hardened_cluster_networks) and (fd.l4proto = tcp and fd.sport in (5432)))');
    expect(outbound.condition).toContain('(fd.snet in (cdk8s_hardened_cluster_networks) and ((fd.l4proto = tcp and fd.sport in (53)) or (fd.l4proto = udp and fd.sport in (53))))');
    expect(outbound.condition).toMatch(/\(\(fd\.snet in \("0\.0\.0\.0\/0"\) and not fd\.snet in \([^)]*"169\.254\.169\.254\/32"[^)]*\)\) and \(fd\.l4proto = tcp and fd\.sport in \(443\)\)\)/);
    expect(outbound.condition).toContain('(fd.snet in ("203.0.113.0/24") and ((fd.l4proto = tcp and (fd.sport >= 8000 and fd.sport <= 8100)) or (fd.l4proto = udp and fd.sport in (514))))');
    const db = rule(FalcoRules.of(app().root), 'cdk8s-hardened: undeclared outbound connection from apps/db')!;
    // db declares no egress but DNS.
    expect(db.condition).toBe('cdk8s_hardened_outbound and container and cdk8s_hardened_apps_db and not ('
      + '(fd.snet in (cdk8s_hardened_cluster_networks) and ((fd.l4proto = tcp and fd.sport in (53)) or (fd.l4proto = udp and fd.sport in (53)))))');
  });

  test('no outbound rule when a policy allows every destination on every port', () => {
    const { root, chart } = app();
    new kplus.k8s.KubeNetworkPolicy(chart, 'open', {
      metadata: { name: 'allow-all-egress', namespace: 'apps' },
      spec: { podSelector: { matchLabels: { [Labels.NAME]: 'web' } }, policyTypes: ['Egress'], egress: [{}] },
    });
    const rules = FalcoRules.of(root);
    expect(rules.workloads.find((w) => w.name === 'web')!.allowedEgress).toBeUndefined();
    expect(rule(rules, 'cdk8s-hardened: undeclared outbound connection from apps/web')).toBeUndefined();
  });

  test('the token rule only where no token is mounted', () => {
    const root = Testing.app();
    new HardenedNamespace(new Chart(root, 'namespaces'), 'apps', { name: 'apps' });
    const chart = new Chart(root, 'apps', { namespace: 'apps' });
    new HardenedDeployment(chart, 'operator', { containers: [{ image: IMAGE, ...probes() }], exceptions: { automountServiceAccountToken: { reason: REASON } } });
    new HardenedDeployment(chart, 'plain', { containers: [{ image: IMAGE, ...probes() }] });
    const rules = FalcoRules.of(root);
    expect(rules.workloads.map((w) => [w.name, w.automountServiceAccountToken])).toEqual([['operator', true], ['plain', false]]);
    expect(rule(rules, 'cdk8s-hardened: ServiceAccount token read in apps/operator')).toBeUndefined();
    const token = rule(rules, 'cdk8s-hardened: ServiceAccount token read in apps/plain')!;
    expect(token.condition).toBe('open_read and container and cdk8s_hardened_apps_plain and (fd.name startswith "/var/run/secrets/kubernetes.io/serviceaccount/"'
      + ' or fd.name startswith "/run/secrets/kubernetes.io/serviceaccount/")');
  });

  test('chart values ship the file under customRules', () => {
    const rules = FalcoRules.of(app().root, { fileName: 'apps.yaml' });
    expect(Object.keys(rules.helmValues().customRules)).toEqual(['apps.yaml']);
    expect(parse(rules.helmValuesYaml())).toEqual({ customRules: { 'apps.yaml': rules.toYaml() } });
  });

  test('cluster networks are an option', () => {
    const rules = FalcoRules.of(app().root, { clusterNetworks: ['10.244.0.0/16', '10.96.0.0/12'] });
    expect(rules.items[2]).toEqual({ list: 'cdk8s_hardened_cluster_networks', items: ['"10.244.0.0/16"', '"10.96.0.0/12"'] });
  });

  test('fails on bad options and on manifests without hardened workloads', () => {
    expect(() => FalcoRules.of(app().root, { fileName: 'rules.txt' })).toThrow(/fileName is "rules.txt": use a plain file name ending in .yaml/);
    expect(() => FalcoRules.of(app().root, { clusterNetworks: [] })).toThrow(/clusterNetworks is empty/);
    expect(() => FalcoRules.of(app().root, { clusterNetworks: ['ten'] })).toThrow(/clusterNetworks has "ten"/);
    const empty = Testing.app();
    new MinimalServiceAccount(new Chart(empty, 'c', { namespace: 'apps' }), 'sa');
    expect(() => FalcoRules.of(empty)).toThrow(/no hardened workload found/);
  });

  test('is deterministic and reads its input without changing it', () => {
    const objects = app().root.charts.flatMap((chart) => chart.toJson());
    const before = JSON.stringify(objects);
    expect(FalcoRules.fromManifests(objects).toYaml()).toEqual(FalcoRules.fromManifests(objects).toYaml());
    expect(JSON.stringify(objects)).toBe(before);
  });
});

describe('checkFalcoRulesShape |', () => {
  const ok = '- required_engine_version: 0.57.0\n- macro: m\n  condition: (evt.type = open)\n- rule: r\n  desc: d\n  condition: m and container\n  output: o\n  priority: NOTICE\n';

  test('a well-formed file passes', () => {
    expect(checkFalcoRulesShape(ok)).toEqual([]);
  });

  test.each([
    ['malformed YAML', '- rule: [', /^not well-formed YAML/],
    ['not a list', 'rule: r', /a YAML list of items/],
    ['no engine version', ok.replace('- required_engine_version: 0.57.0\n', ''), /^missing: Falco cannot tell/],
    ['a bad engine version', ok.replace('0.57.0', 'latest'), /is not a semantic version/],
    ['a bad priority', ok.replace('NOTICE', 'LOUD'), /"LOUD" is not one of EMERGENCY/],
    ['a missing output', ok.replace('  output: o\n', ''), /missing or empty/],
    ['an unknown rule key', ok.replace('  priority: NOTICE\n', '  priority: NOTICE\n  severity: high\n'), /not a rule key/],
    ['an undefined macro', ok.replace('m and container', 'm and container and not my_exceptions'), /macro "my_exceptions" is defined neither in the file nor in the upstream/],
    ['an undefined list', ok.replace('m and container', 'm and proc.name in (my_binaries)'), /list "my_binaries" is defined neither/],
    ['unbalanced parentheses', ok.replace('m and container', '(m and container'), /1 "\(" not closed/],
    ['a rule defined twice', `${ok}- rule: r\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n`, /defined twice/],
    ['an item of two kinds', `${ok}- macro: x\n  list: y\n  condition: a\n`, /exactly one of rule, macro, list/],
  ])('reports %s', (_name, text, message) => {
    const problems = checkFalcoRulesShape(text as string);
    expect(problems.map((p) => p.message).some((m) => (message as RegExp).test(m))).toBe(true);
  });

  test('references: macros as terms, lists inside in (...), values after operators are neither', () => {
    expect(conditionReferences('spawned_process and container and proc.name in (shell_binaries, bash) and fd.l4proto = tcp and evt.res = EINPROGRESS and not my_macro'))
      .toEqual({ macros: ['spawned_process', 'container', 'my_macro'], lists: ['shell_binaries'] });
    expect(conditionReferences('fd.name startswith "/tmp/" and k8s.pod.label[app.kubernetes.io/name] = "web"')).toEqual({ macros: [], lists: [] });
  });

  test('the vendored upstream names hold what the generated rules use', () => {
    expect(FALCO_UPSTREAM_RULES.version).toBe('falco-rules-5.1.0');
    expect(FALCO_UPSTREAM_RULES.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const macro of ['spawned_process', 'container', 'open_write', 'open_read']) expect(FALCO_UPSTREAM_RULES.macros).toContain(macro);
    for (const list of ['shell_binaries', 'package_mgmt_binaries']) expect(FALCO_UPSTREAM_RULES.lists).toContain(list);
    // removed upstream in 5.x: the generated file must not rely on it.
    expect(FALCO_UPSTREAM_RULES.macros).not.toContain('package_mgmt_procs');
  });
});
