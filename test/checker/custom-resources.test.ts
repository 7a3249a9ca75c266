import { checkManifests } from '../../src/checker/engine';
import type { CheckOptions } from '../../src/checker/engine';
import { parseManifests } from '../../src/checker/input';
import { SourceLines } from '../../src/checker/source-lines';

/** checks YAML text as the CLI does, with lines. */
function check(text: string, options: CheckOptions = {}) {
  const lines = new SourceLines(new Map([['m.yaml', text]]));
  return checkManifests(parseManifests(text, 'm.yaml'), { pack: 'pss-baseline', locate: (source, path) => lines.lineOf(source, path), ...options });
}

function summary(text: string, options: CheckOptions = {}) {
  return check(text, options).findings.map(({ ruleId, kind, path, line }) => ({ ruleId, kind, path, line }));
}

const PRIVILEGED_CONTAINER = `
      containers:
      - name: app
        image: nginx
        securityContext:
          privileged: true`;

describe('pod specs inside well-known custom resources', () => {
  test.each([
    ['an Argo Rollout', 'argoproj.io/v1alpha1', 'Rollout', 'spec.template.spec', `spec:\n  template:\n    spec:${PRIVILEGED_CONTAINER}\n`, 13],
    ['a Knative Service', 'serving.knative.dev/v1', 'Service', 'spec.template.spec', `spec:\n  template:\n    spec:${PRIVILEGED_CONTAINER}\n`, 13],
    ['a Knative Configuration', 'serving.knative.dev/v1', 'Configuration', 'spec.template.spec', `spec:\n  template:\n    spec:${PRIVILEGED_CONTAINER}\n`, 13],
    ['a KEDA ScaledJob', 'keda.sh/v1alpha1', 'ScaledJob', 'spec.jobTargetRef.template.spec',
      `spec:\n  jobTargetRef:\n    template:\n      spec:${PRIVILEGED_CONTAINER.replace(/\n/g, '\n  ')}\n`, 14],
  ])('%s carrying a privileged container is reported at the field', (_name, apiVersion, kind, specPath, spec, line) => {
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: web\n  namespace: team\n${spec}`;
    expect(summary(text)).toEqual([{ ruleId: 'pss-privileged', kind, path: `${specPath}.containers[0].securityContext.privileged`, line }]);
  });

  test('a core Service is not read as a Knative one', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: team}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: [{name: a, image: x}]\n';
    expect(summary(text).filter((finding) => finding.ruleId.startsWith('pss-'))).toEqual([]);
  });

  test('every pod rule of the pack checks a Rollout, as it checks a Deployment', () => {
    const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team\nspec:\n  template:\n    spec:${PRIVILEGED_CONTAINER}\n      hostNetwork: true\n`;
    const rollout = deployment.replace('apps/v1', 'argoproj.io/v1alpha1').replace('Deployment', 'Rollout');
    const rules = (text: string) => check(text, { pack: 'hardened' }).findings.map((finding) => `${finding.ruleId} ${finding.path}`).sort();
    expect(rules(rollout)).toEqual(rules(deployment));
    expect(rules(rollout).length).toBeGreaterThan(5);
  });
});

describe('Argo Workflows', () => {
  const workflow = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Workflow',
    'metadata:',
    '  name: build',
    '  namespace: ci',
    'spec:',
    '  hostNetwork: true',
    '  templates:',
    '  - name: main',
    '    steps: [[{name: compile, template: compile}]]',
    '  - name: compile',
    '    container:',
    '      image: golang',
    '      securityContext:',
    '        privileged: true',
    '  - name: test',
    '    script:',
    '      image: python',
    '      source: print(1)',
    '    sidecars:',
    '    - name: db',
    '      image: postgres',
    '      securityContext: {capabilities: {add: [SYS_ADMIN]}}',
    '  - name: patched',
    '    podSpecPatch: \'{"containers":[{"name":"main","securityContext":{"privileged":true}}]}\'',
    '    container:',
    '      image: alpine',
    '  - name: set',
    '    containerSet:',
    '      containers:',
    '      - name: a',
    '        image: alpine',
    '        securityContext: {procMount: Unmasked}',
    '',
  ].join('\n');

  test('checks the pod of every template that runs one: container, script, sidecars, podSpecPatch, containerSet', () => {
    expect(summary(workflow)).toEqual([
      { ruleId: 'pss-host-namespaces', kind: 'Workflow', path: 'spec.hostNetwork', line: 7 },
      { ruleId: 'pss-privileged', kind: 'Workflow', path: 'spec.templates[1].container.securityContext.privileged', line: 15 },
      { ruleId: 'pss-capabilities-baseline', kind: 'Workflow', path: 'spec.templates[2].sidecars[0].securityContext.capabilities.add[0]', line: 23 },
      { ruleId: 'pss-privileged', kind: 'Workflow', path: 'spec.templates[3].podSpecPatch', line: 25 },
      { ruleId: 'pss-proc-mount', kind: 'Workflow', path: 'spec.templates[4].containerSet.containers[0].securityContext.procMount', line: 33 },
    ]);
  });

  test('a pod-level field the workflow sets is reported once, not once per template', () => {
    expect(check(workflow).findings.filter((finding) => finding.ruleId === 'pss-host-namespaces')).toHaveLength(1);
    expect(check(workflow).summary).toMatchObject({ objects: 1, checked: 1 });
  });

  test.each([
    ['CronWorkflow', 'spec:\n  workflowSpec:\n    templates:\n    - name: t\n      container: {image: x, securityContext: {privileged: true}}\n', 'spec.workflowSpec.templates[0].container.securityContext.privileged'],
    ['WorkflowTemplate', 'spec:\n  templates:\n  - name: t\n    container: {image: x, securityContext: {privileged: true}}\n', 'spec.templates[0].container.securityContext.privileged'],
    ['ClusterWorkflowTemplate', 'spec:\n  templates:\n  - name: t\n    container: {image: x, securityContext: {privileged: true}}\n', 'spec.templates[0].container.securityContext.privileged'],
  ])('a %s is checked like a Workflow', (kind, spec, path) => {
    const text = `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata: {name: w, namespace: ci}\n${spec}`;
    expect(summary(text).map((finding) => finding.path)).toEqual([path]);
  });

  test('templateDefaults and the workflow securityContext apply to templates that set none', () => {
    const text = 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w, namespace: ci}\nspec:\n  templateDefaults:\n    securityContext: {seLinuxOptions: {type: spc_t}}\n  templates:\n  - name: t\n    container: {image: x}\n';
    expect(summary(text)).toEqual([{ ruleId: 'pss-se-linux-options', kind: 'Workflow', path: 'spec.templateDefaults.securityContext.seLinuxOptions.type', line: 6 }]);
  });

  test('a podSpecPatch that cannot be read is reported, not ignored', () => {
    const text = 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w, namespace: ci}\nspec:\n  podSpecPatch: "{not: [valid"\n  templates:\n  - name: t\n    container: {image: x}\n';
    expect(summary(text)).toEqual([{ ruleId: 'pod-spec-unchecked', kind: 'Workflow', path: 'spec.podSpecPatch', line: 5 }]);
  });

  test('an argoproj.io kind named like an Object property (constructor, toString) is not a workflow', () => {
    for (const kind of ['constructor', 'toString', '__proto__']) {
      const text = `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata: {name: w, namespace: ci}\nspec:\n  templates:\n  - name: t\n    container: {image: x}\n`;
      const report = check(text);
      expect(report.findings).toEqual([]);
      expect(report.summary.skipped).toEqual({ [kind]: 1 });
    }
  });
});

describe('kinds declared with --pod-spec-path, and pod-spec-unchecked', () => {
  const thing = `apiVersion: example.com/v1\nkind: Runner\nmetadata:\n  name: r\n  namespace: team\nspec:\n  worker:\n    podSpec:${PRIVILEGED_CONTAINER.replace(/\n {6}/g, '\n      ')}\n`;

  test('an unknown kind holding a pod spec is reported as info, not silently skipped', () => {
    const report = check(thing);
    expect(report.findings.map(({ ruleId, severity, path }) => ({ ruleId, severity, path }))).toEqual([
      { ruleId: 'pod-spec-unchecked', severity: 'info', path: 'spec.worker.podSpec' },
    ]);
    expect(report.findings[0].message).toContain('--pod-spec-path Runner=spec.worker.podSpec');
    expect(report.summary.skipped).toEqual({ Runner: 1 });
  });

  test('a declared kind is checked by every pod rule', () => {
    for (const declared of [{ kind: 'Runner', path: 'spec.worker.podSpec' }, { group: 'example.com', kind: 'Runner', path: 'spec.worker.podSpec' }]) {
      expect(summary(thing, { podSpecPaths: [declared] })).toEqual([
        { ruleId: 'pss-privileged', kind: 'Runner', path: 'spec.worker.podSpec.containers[0].securityContext.privileged', line: 13 },
      ]);
    }
  });

  test('a declaration for another group does not apply', () => {
    expect(summary(thing, { podSpecPaths: [{ group: 'other.io', kind: 'Runner', path: 'spec.worker.podSpec' }] }).map((finding) => finding.ruleId)).toEqual(['pod-spec-unchecked']);
  });

  test('kinds without anything pod-shaped stay silently skipped', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team}\ndata: {containers: "- image: x"}\n';
    expect(check(text).findings).toEqual([]);
  });
});

describe('items on any kind', () => {
  test('the items of a ConfigMap (or a Pod) are checked, as kubectl applies them', () => {
    for (const kind of ['ConfigMap', 'Pod']) {
      const text = `apiVersion: v1\nkind: ${kind}\nmetadata: {name: outer}\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: hidden, namespace: team}\n  spec:\n    hostPID: true\n    containers: [{name: a, image: x}]\n`;
      expect(summary(text)).toEqual([{ ruleId: 'pss-host-namespaces', kind: 'Pod', path: 'spec.hostPID', line: 9 }]);
    }
  });
});

describe('image-registry-not-allowed inside custom resources', () => {
  const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;
  test('Argo workflow templates (containers, sidecars, init containers) and an Argo Rollout are judged by the image policy', () => {
    const text = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Workflow',
      'metadata: {name: wf, namespace: jobs}',
      'spec:',
      '  templates:',
      '  - name: main',
      `    container: {image: "quay.io/example/step@${DIGEST}"}`,
      '  - name: with-sidecar',
      `    container: {image: "ghcr.io/example/step@${DIGEST}"}`,
      `    sidecars: [{name: proxy, image: "ghcr.io/example-evil/proxy@${DIGEST}"}]`,
      `    initContainers: [{name: init, image: "ghcr.io/example/init@${DIGEST}"}]`,
      '---',
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Rollout',
      'metadata: {name: ro, namespace: jobs}',
      'spec:',
      '  template:',
      '    spec:',
      `      containers: [{name: app, image: "nginx@${DIGEST}"}]`,
      '',
    ].join('\n');
    const findings = check(text, { pack: 'hardened', imagePolicy: { allowedRegistries: ['ghcr.io/example'] } }).findings
      .filter((finding) => finding.ruleId === 'image-registry-not-allowed')
      .map(({ kind, path, line, severity }) => ({ kind, path, line, severity }));
    expect(findings).toEqual([
      { kind: 'Workflow', path: 'spec.templates[0].container.image', line: 7, severity: 'error' },
      { kind: 'Workflow', path: 'spec.templates[1].sidecars[0].image', line: 10, severity: 'error' },
      { kind: 'Rollout', path: 'spec.template.spec.containers[0].image', line: 19, severity: 'error' },
    ]);
    expect(check(text, { pack: 'hardened' }).findings.filter((finding) => finding.ruleId === 'image-registry-not-allowed')).toEqual([]);
  });
});
