import { ApiObject, Names } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { checkManifests } from '../checker/engine';
import { asArray, asRecord, containersOf, podSpecOf } from '../checker/pod-spec';
import type { Finding, KubeObject } from '../checker/types';
import { DECLARATION_ANNOTATION_PREFIX, SUPPRESSION_ANNOTATION_PREFIX } from '../model/exceptions';
import { registeredImagePolicy } from '../model/image-policy';
import { RuleId, RuleIds } from '../model/rule-ids';
import { SYSTEM_NAMESPACES } from '../model/security-defaults';

/** what the self-check needs of a hardened workload (kept structural so this file imports no construct). */
export interface SelfCheckedWorkload extends IConstruct {
  readonly resource: IConstruct;
  readonly kind: string;
  readonly appName: string;
  readonly namespaceName?: string;
  readonly allowedHostPaths: readonly string[];
}

/** the label cdk8s-plus puts on pods and selects by; hardened workloads remove it from their pods. */
export const PATH_LABEL = 'cdk8s.io/metadata.addr';

/** the secret type whose long-lived token the one-hour projected token replaces. */
export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';

/**
 * Warnings of the `hardened` pack that are errors for a hardened construct's own output: the
 * construct sets these fields, so a different value can only come from a bypass (a JSON patch,
 * `resource`), not from a choice the typed props offer.
 */
const ESCALATED_TO_ERROR: readonly RuleId[] = [RuleIds.CONTAINER_WRITABLE_ROOT, RuleIds.CONTAINER_ROOT_GROUP, RuleIds.SECRET_IN_ENV];

/**
 * Meta findings left to the Guard and the CLI: whether an exception has expired depends on the
 * day, and synth must give the same result on every day for the same code.
 */
const LEFT_TO_THE_CHECKER: readonly RuleId[] = [RuleIds.SUPPRESSION_EXPIRED];

/** how to fix what each rule reports, in terms of the constructs. */
const FIXES: Partial<Record<RuleId, string>> = {
  [RuleIds.CONTAINER_WRITABLE_ROOT]: 'remove the patch or call that sets readOnlyRootFilesystem; add writablePaths for directories the app writes, or exceptions.writableRootFilesystem with a reason',
  [RuleIds.CONTAINER_ROOT_GROUP]: 'remove the patch that sets group id 0; use group/fsGroup props with a non-zero id, or exceptions.runAsRoot with a reason',
  [RuleIds.SECRET_IN_ENV]: 'mount the Secret as read-only files with mountSecret() instead of adding it to the environment (container.env / envFrom), or add exceptions.secretInEnv with a reason',
  [RuleIds.PSS_CAPABILITIES_RESTRICTED]: 'add containers through the construct\'s addContainer/addInitContainer (not resource.addContainer), or exceptions.capabilities with a reason',
  [RuleIds.PSS_SECCOMP_PROFILE_RESTRICTED]: 'add containers through the construct\'s addContainer/addInitContainer (not resource.addContainer) and remove patches to seccompProfile',
  [RuleIds.PSS_HOST_PATH_VOLUMES]: 'use the construct\'s addVolume with an emptyDir, ConfigMap, Secret or claim; node agents declare read-only host paths on a HardenedDaemonSet with a reason',
  [RuleIds.PSS_RESTRICTED_VOLUMES]: 'use the construct\'s addVolume with an emptyDir, ConfigMap, Secret, projected or claim volume',
};

function fixOf(finding: Finding): string {
  return FIXES[finding.ruleId] ?? `${finding.remediation} Do it through the construct's props, addContainer, addInitContainer or addVolume, or add the matching typed exception with a reason`;
}

/** per app, per synth turn: the objects other constructs emit that a workload's checks look at. */
interface AppIndex {
  readonly hardenedNamespaces: Set<string>;
  readonly pathLabelSelections: { readonly value: string; readonly what: string }[];
  readonly tokenSecrets: Set<string>;
}

/** per app: how deep we are in `synth()`/`synthYaml()`, which synth this is, and what it computed. */
interface SynthState {
  depth: number;
  index?: AppIndex;
  results: WeakMap<IConstruct, string[]>;
  /** ApiObjects whose JSON the self-check rendered and lends to cdk8s until the synth ends. */
  lent: ApiObject[];
}

const SYNTH_STATES = new WeakMap<object, SynthState>();

/**
 * cdk8s validates the whole app once per `synth()`/`synthYaml()` and again for every chart it
 * renders; nothing can change in between (synth is synchronous), so inside one such call the app
 * index and each workload's result are computed once. The app's two methods are wrapped to know
 * when a synth starts and ends; outside them (`Testing.synth(chart)`, `chart.toJson()`) every
 * validation computes afresh, so a change between two synths is never missed.
 */
function synthStateOf(root: IConstruct): SynthState {
  let state = SYNTH_STATES.get(root);
  if (state) return state;
  const current: SynthState = state = { depth: 0, results: new WeakMap(), lent: [] };
  SYNTH_STATES.set(root, current);
  const app = root as unknown as Record<string, unknown>;
  for (const method of ['synth', 'synthYaml']) {
    const original = app[method];
    if (typeof original !== 'function') continue;
    app[method] = function wrapped(this: unknown, ...args: unknown[]) {
      if (current.depth++ === 0) {
        current.index = undefined;
        current.results = new WeakMap();
      }
      try {
        return original.apply(this, args);
      } finally {
        if (--current.depth === 0) {
          current.index = undefined;
          current.results = new WeakMap();
          for (const apiObject of current.lent) delete (apiObject as unknown as Record<string, unknown>).toJson;
          current.lent = [];
        }
      }
    };
  }
  return state;
}

/**
 * Renders an ApiObject. Inside a synth, cdk8s renders every object again to write it; nothing can
 * change in between (synth is synchronous, and checks never mutate what they read), so the JSON is
 * lent to the object's `toJson()` until the synth ends, as the Guard does.
 */
function render(apiObject: ApiObject, state: SynthState): KubeObject {
  const json = apiObject.toJson() as KubeObject;
  if (state.depth > 0 && !Object.prototype.hasOwnProperty.call(apiObject, 'toJson')) {
    Object.defineProperty(apiObject, 'toJson', { value: () => json, configurable: true, writable: true });
    state.lent.push(apiObject);
  }
  return json;
}

function appIndexOf(root: IConstruct): AppIndex {
  const state = synthStateOf(root);
  if (state.depth > 0 && state.index) return state.index;
  const index: AppIndex = { hardenedNamespaces: new Set(), pathLabelSelections: [], tokenSecrets: new Set() };
  for (const construct of root.node.findAll()) {
    const marker = (construct as unknown as { [HARDENED_NAMESPACE]?: string })[HARDENED_NAMESPACE];
    if (typeof marker === 'string') index.hardenedNamespaces.add(marker);
    if (!ApiObject.isApiObject(construct)) continue;
    const kind = construct.kind;
    if (kind !== 'Service' && kind !== 'NetworkPolicy' && kind !== 'Secret') continue;
    const json = render(construct, state);
    const metadata = asRecord(json.metadata) ?? {};
    const where = `${kind} ${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')} (${construct.node.path})`;
    if (kind === 'Secret') {
      if (json.type === SERVICE_ACCOUNT_TOKEN_SECRET_TYPE) index.tokenSecrets.add(`${String(metadata.namespace ?? '')}/${String(metadata.name ?? '')}`);
      continue;
    }
    for (const value of pathLabelValues(json)) index.pathLabelSelections.push({ value, what: where });
  }
  if (state.depth > 0) state.index = index;
  return index;
}

/** values of the path label a Service or NetworkPolicy selects pods by, anywhere in its spec. */
function pathLabelValues(object: KubeObject): string[] {
  const values: string[] = [];
  const visit = (node: unknown, depth: number) => {
    if (depth > 12) return;
    if (Array.isArray(node)) return node.forEach((item) => visit(item, depth + 1));
    const record = asRecord(node);
    if (!record) return;
    for (const [key, value] of Object.entries(record)) {
      if (key === PATH_LABEL && typeof value === 'string') values.push(value);
      else visit(value, depth + 1);
    }
  };
  visit(object.spec, 0);
  return values;
}

/** marks a construct as creating a hardened namespace of the given name (set by `HardenedNamespace`). */
export const HARDENED_NAMESPACE = Symbol.for('cdk8s-hardened.namespace');

/**
 * Adds the synth-time self-check to a hardened workload: its own objects are run through the
 * `hardened` pack, and synth fails (naming the construct path and the fix) on an unsuppressed
 * error, on a writable root or a root group id, on a hostPath the construct did not declare, on
 * a namespace no `HardenedNamespace` creates, on a Service or NetworkPolicy that selects its pods
 * by the removed path label, and on a ServiceAccount token Secret in its pods.
 */
export function addSelfCheck(workload: SelfCheckedWorkload): void {
  const state = synthStateOf(workload.node.root);
  workload.node.addValidation({
    validate: () => {
      if (state.depth === 0) return selfCheck(workload);
      let errors = state.results.get(workload);
      if (!errors) {
        errors = selfCheck(workload);
        state.results.set(workload, errors);
      }
      return errors;
    },
  });
}

/** the self-check's errors for one workload; empty when its output is as hardened as declared. */
export function selfCheck(workload: SelfCheckedWorkload): string[] {
  const errors: string[] = [];
  const fail = (problem: string, fix: string) => errors.push(`${workload.kind} "${workload.appName}": ${problem}. Fix: ${fix}`);

  const state = synthStateOf(workload.node.root);
  const own = workload.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
  const rendered = own.map((apiObject) => ({ apiObject, json: render(apiObject, state) }));
  const report = checkManifests(rendered.map(({ apiObject, json }) => ({ object: json, source: { constructPath: apiObject.node.path } })), { pack: 'hardened', imagePolicy: registeredImagePolicy(workload.node.root) });
  for (const finding of report.findings) {
    if (finding.suppressed || LEFT_TO_THE_CHECKER.includes(finding.ruleId)) continue;
    if (finding.severity !== 'error' && !ESCALATED_TO_ERROR.includes(finding.ruleId)) continue;
    fail(`${finding.ruleId}: ${finding.message}${finding.path ? ` [${finding.path}]` : ''}`, fixOf(finding));
  }

  const workloadObject = rendered.find(({ apiObject }) => apiObject.node.scope === workload.resource)?.json;
  const pod = workloadObject ? podSpecOf(workloadObject) : undefined;
  // the rendered namespace, so a patch that removes it is seen too.
  const renderedNamespace = asRecord(workloadObject?.metadata)?.namespace;
  const namespace = typeof renderedNamespace === 'string' && renderedNamespace !== '' ? renderedNamespace : undefined;
  if (pod) checkHostPaths(pod.spec, workload.allowedHostPaths, fail);

  const index = appIndexOf(workload.node.root);
  const annotations = asRecord(asRecord(workloadObject?.metadata)?.annotations) ?? {};
  checkNamespace(namespace, annotations, index, fail);
  const matcher = Names.toLabelValue(workload.resource);
  for (const selection of index.pathLabelSelections) {
    if (selection.value !== matcher) continue;
    fail(`${selection.what} selects its pods by the label ${PATH_LABEL}, which hardened workloads remove from their pods, so it matches no pod`,
      'use expose() for a Service and WorkloadFlow / NamespaceIngressFlow / InternetEgressFlow (with this workload as endpoint) for NetworkPolicies, instead of resource.exposeViaService() or resource.connections');
  }
  if (pod) {
    checkProjectedTokens(pod.spec, annotations[`${SUPPRESSION_ANNOTATION_PREFIX}${RuleIds.WORKLOAD_TOKEN_AUTOMOUNT}`] !== undefined, fail);
    for (const name of secretNamesOf(pod.spec)) {
      if (!index.tokenSecrets.has(`${namespace ?? ''}/${name}`)) continue;
      fail(`the pod uses Secret "${name}" of type ${SERVICE_ACCOUNT_TOKEN_SECRET_TYPE}, a ServiceAccount token that never expires`,
        'remove the Secret from volumes and env; use serviceAccountOptions.projectedToken for a one-hour token with an audience, or exceptions.automountServiceAccountToken with a reason');
    }
  }
  return errors;
}

/** the longest a projected ServiceAccount token may live, in seconds: the library's one-hour design. */
export const MAX_PROJECTED_TOKEN_SECONDS = 3600;

/**
 * A projected ServiceAccount token is the construct's audience-bound, one-hour token: one that
 * lives longer, or one without an audience (which the API server accepts, like the automounted
 * token), gets around `projectedToken` and the automount exception.
 */
function checkProjectedTokens(spec: Record<string, unknown>, automountAllowed: boolean, fail: (problem: string, fix: string) => void): void {
  for (const item of asArray(spec.volumes)) {
    const volume = asRecord(item);
    for (const source of asArray(asRecord(volume?.projected)?.sources)) {
      const token = asRecord(asRecord(source)?.serviceAccountToken);
      if (!token) continue;
      const seconds = typeof token.expirationSeconds === 'number' ? token.expirationSeconds : MAX_PROJECTED_TOKEN_SECONDS;
      const fix = 'use serviceAccountOptions.projectedToken, which projects an audience-bound token of at most one hour';
      if (seconds > MAX_PROJECTED_TOKEN_SECONDS) {
        fail(`volume "${String(volume?.name)}" projects a ServiceAccount token valid for ${seconds}s, longer than ${MAX_PROJECTED_TOKEN_SECONDS}s`, fix);
      }
      if ((typeof token.audience !== 'string' || token.audience === '') && !automountAllowed) {
        fail(`volume "${String(volume?.name)}" projects a ServiceAccount token without an audience, which the API server accepts like the automounted token`,
          `${fix}, or exceptions.automountServiceAccountToken with a reason`);
      }
    }
  }
}

function checkHostPaths(spec: Record<string, unknown>, allowed: readonly string[], fail: (problem: string, fix: string) => void): void {
  const hostVolumes = new Map<string, string>();
  asArray(spec.volumes).forEach((item) => {
    const volume = asRecord(item);
    const hostPath = asRecord(volume?.hostPath)?.path;
    if (typeof hostPath !== 'string' || typeof volume?.name !== 'string') return;
    hostVolumes.set(volume.name, hostPath);
    if (!allowed.includes(hostPath)) {
      fail(`volume "${volume.name}" mounts hostPath ${JSON.stringify(hostPath)}, which the construct did not declare`,
        'remove the hostPath volume (use addVolume with an emptyDir, ConfigMap, Secret or claim); a HardenedDaemonSet declares read-only host paths in hostPaths with a reason');
    }
  });
  for (const location of containersOf(spec)) {
    asArray(location.container.volumeMounts).forEach((item) => {
      const mount = asRecord(item);
      if (typeof mount?.name !== 'string' || !hostVolumes.has(mount.name) || mount.readOnly === true) return;
      fail(`container "${location.name}" mounts hostPath volume "${mount.name}" (${hostVolumes.get(mount.name)}) writable`,
        'mount host paths read-only (readOnly: true); a node agent never writes to the node through a hostPath');
    });
  }
}

function checkNamespace(
  namespace: string | undefined, annotations: Record<string, unknown>, index: AppIndex, fail: (problem: string, fix: string) => void,
): void {
  if (namespace === undefined) {
    fail('it has no namespace, so it lands in whatever namespace kubectl points at, without default-deny policies or Pod Security labels',
      'set namespace (or the chart\'s namespace) to one a HardenedNamespace in this app creates, or declare externallyHardenedNamespace with a reason');
    return;
  }
  if (SYSTEM_NAMESPACES.includes(namespace)) {
    if (annotations[`${DECLARATION_ANNOTATION_PREFIX}system-namespace`] === undefined) {
      fail(`its namespace "${namespace}" is created by Kubernetes itself and isolated by no HardenedNamespace`,
        'run it in a namespace a HardenedNamespace creates, or add exceptions.systemNamespace with a reason');
    }
    return;
  }
  if (index.hardenedNamespaces.has(namespace) || annotations[`${DECLARATION_ANNOTATION_PREFIX}externally-hardened-namespace`] !== undefined) return;
  fail(`its namespace "${namespace}" is created by no HardenedNamespace in this app, so nothing guarantees default-deny policies, DNS-only egress or Pod Security labels there`,
    `add new HardenedNamespace(scope, '${namespace}', { name: '${namespace}' }) to the app, or declare externallyHardenedNamespace with a reason when another app creates it`);
}

/** the Secrets a pod spec refers to: secret and projected volumes, env and envFrom. */
function secretNamesOf(spec: Record<string, unknown>): string[] {
  const names = new Set<string>();
  const add = (value: unknown) => { if (typeof value === 'string') names.add(value); };
  for (const item of asArray(spec.volumes)) {
    const volume = asRecord(item);
    add(asRecord(volume?.secret)?.secretName);
    for (const source of asArray(asRecord(volume?.projected)?.sources)) add(asRecord(asRecord(source)?.secret)?.name);
  }
  for (const location of containersOf(spec)) {
    for (const env of asArray(location.container.env)) add(asRecord(asRecord(asRecord(env)?.valueFrom)?.secretKeyRef)?.name);
    for (const from of asArray(location.container.envFrom)) add(asRecord(asRecord(from)?.secretRef)?.name);
  }
  for (const ref of asArray(spec.imagePullSecrets)) add(asRecord(ref)?.name);
  return [...names].sort();
}
