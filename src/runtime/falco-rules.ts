import { IConstruct } from 'constructs';
import { Document, stringify } from 'yaml';
import { checkFalcoRulesShape, FalcoShapeProblem } from './falco-shape-check';
import { asArray, asRecord, containersOf, podSpecOf } from '../checker/pod-spec';
import type { KubeObject } from '../checker/types';
import { renderedObjects } from '../construct-helpers/rendered-objects';
import { FALCO_UPSTREAM_RULES } from '../model/falco-upstream';
import { Labels, MANAGED_BY_VALUE } from '../model/labels';
import { selectorMatches } from '../semantics/network-policy-evaluator';

/** a Falco rule priority, highest first. */
export enum FalcoPriority {
  EMERGENCY = 'EMERGENCY',
  ALERT = 'ALERT',
  CRITICAL = 'CRITICAL',
  ERROR = 'ERROR',
  WARNING = 'WARNING',
  NOTICE = 'NOTICE',
  INFORMATIONAL = 'INFORMATIONAL',
  DEBUG = 'DEBUG',
}

/** options of `FalcoRules`. */
export interface FalcoRulesOptions {
  /**
   * The cluster's pod and Service ranges: a flow to another workload (or to cluster DNS) is a
   * connection into these, since pod IPs are not known at synth.
   *
   * @default - the RFC 1918 ranges, CGNAT 100.64.0.0/10 and IPv6 ULA fc00::/7
   */
  readonly clusterNetworks?: string[];
  /**
   * The file name under the chart's `customRules` (it must end in `.yaml`: since Falco 0.41 only
   * `.yaml`/`.yml` files of `rules.d` are read).
   *
   * @default 'cdk8s-hardened-rules.yaml'
   */
  readonly fileName?: string;
  /**
   * The namespace of objects that carry none (as `kubectl apply` would place them).
   *
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

/** what the library knows a hardened workload intends, read from its manifests. */
export interface FalcoWorkloadIntent {
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  /** the pod labels the rules scope by (`app.kubernetes.io/name`, `app.kubernetes.io/component`). */
  readonly podLabels: Record<string, string>;
  /** mount paths the containers may write (writable volume mounts); empty when the root is writable. */
  readonly writablePaths: string[];
  /** true when a container's root filesystem is writable (an exception): no write rule then. */
  readonly writableRoot: boolean;
  readonly automountServiceAccountToken: boolean;
  /** true when a container's entrypoint is a shell: the entrypoint (PID 1) is then not reported. */
  readonly shellEntrypoint: boolean;
  /** Falco terms of the connections the NetworkPolicies allow; undefined when any destination on any port is allowed. */
  readonly allowedEgress?: string[];
}

/** an item of a Falco rules file. */
export type FalcoItem = Record<string, unknown>;

const SHELLS = ['ash', 'bash', 'csh', 'dash', 'ksh', 'sh', 'tcsh', 'zsh'];
const TOKEN_DIRS = ['/var/run/secrets/kubernetes.io/serviceaccount/', '/run/secrets/kubernetes.io/serviceaccount/'];
const DEFAULT_CLUSTER_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const PREFIX = 'cdk8s_hardened';
const RULE_PREFIX = 'cdk8s-hardened';
const CLUSTER_LIST = `${PREFIX}_cluster_networks`;
const OUTBOUND_MACRO = `${PREFIX}_outbound`;
/** the engine version of the upstream default rules the generated file builds on. */
export const FALCO_REQUIRED_ENGINE_VERSION = FALCO_UPSTREAM_RULES.requiredEngineVersion;
const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/;
const OUTPUT_CONTEXT = 'ns=%k8s.ns.name pod=%k8s.pod.name container=%container.name image=%container.image.repository';

const quote = (value: string) => `"${value}"`;
const identifier = (value: string) => value.replace(/[^A-Za-z0-9]+/g, '_');
const sortedUnique = (values: string[]) => [...new Set(values)].sort();

function portsTerm(ports: unknown[]): string | undefined {
  if (ports.length === 0) return undefined;
  const byProtocol = new Map<string, { numbers: number[]; ranges: string[]; any: boolean }>();
  for (const entry of ports) {
    const port = asRecord(entry) ?? {};
    const protocol = String(port.protocol ?? 'TCP').toLowerCase();
    let group = byProtocol.get(protocol);
    if (!group) byProtocol.set(protocol, group = { numbers: [], ranges: [], any: false });
    if (typeof port.port !== 'number') group.any = true; // no port, or a named port: any port of the protocol
    else if (typeof port.endPort === 'number' && port.endPort > port.port) group.ranges.push(`(fd.sport >= ${port.port} and fd.sport <= ${port.endPort})`);
    else group.numbers.push(port.port);
  }
  const terms = [...byProtocol.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([protocol, group]) => {
    const l4 = `fd.l4proto = ${protocol}`;
    if (group.any) return `(${l4})`;
    const parts = [...(group.numbers.length > 0 ? [`fd.sport in (${sortedUnique(group.numbers.map(String)).sort((a, b) => Number(a) - Number(b)).join(', ')})`] : []), ...sortedUnique(group.ranges)];
    return `(${l4} and ${parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`})`;
  });
  return terms.length === 1 ? terms[0] : `(${terms.join(' or ')})`;
}

function peerTerm(peer: Record<string, unknown>): string {
  const block = asRecord(peer.ipBlock);
  if (block) {
    const cidr = String(block.cidr ?? '');
    if (!CIDR.test(cidr)) throw new Error(`NetworkPolicy ipBlock.cidr ${JSON.stringify(cidr)} is not a CIDR`);
    const except = asArray(block.except).map(String);
    for (const entry of except) if (!CIDR.test(entry)) throw new Error(`NetworkPolicy ipBlock.except ${JSON.stringify(entry)} is not a CIDR`);
    const inside = `fd.snet in (${quote(cidr)})`;
    return except.length === 0 ? inside : `(${inside} and not fd.snet in (${sortedUnique(except).map(quote).join(', ')}))`;
  }
  // pod and namespace selectors name pods (or cluster DNS): addresses in the cluster's networks.
  return `fd.snet in (${CLUSTER_LIST})`;
}

/** the egress a workload's NetworkPolicies allow, as Falco terms; undefined when anything is allowed. */
function allowedEgressOf(
  objects: readonly KubeObject[], namespace: string, labels: Record<string, string>, defaultNamespace: string,
): string[] | undefined {
  const terms: string[] = [];
  for (const policy of objects) {
    if (policy.kind !== 'NetworkPolicy') continue;
    const metadata = asRecord(policy.metadata) ?? {};
    if ((typeof metadata.namespace === 'string' ? metadata.namespace : defaultNamespace) !== namespace) continue;
    const spec = asRecord(policy.spec) ?? {};
    const types = asArray(spec.policyTypes).map(String);
    const egress = asArray(spec.egress);
    if (!(types.includes('Egress') || (types.length === 0 && egress.length > 0))) continue;
    if (!selectorMatches((asRecord(spec.podSelector) ?? {}) as never, labels)) continue;
    for (const entry of egress) {
      const rule = asRecord(entry) ?? {};
      const ports = portsTerm(asArray(rule.ports));
      const peers = asArray(rule.to).map((peer) => asRecord(peer) ?? {});
      if (peers.length === 0) {
        if (ports === undefined) return undefined;
        terms.push(ports);
        continue;
      }
      for (const peer of peers) {
        const destination = peerTerm(peer);
        terms.push(ports === undefined ? destination : `(${destination} and ${ports})`);
      }
    }
  }
  return sortedUnique(terms);
}

function intentsOf(objects: readonly KubeObject[], defaultNamespace: string): FalcoWorkloadIntent[] {
  const intents: FalcoWorkloadIntent[] = [];
  for (const object of objects) {
    if (!WORKLOAD_KINDS.includes(String(object.kind))) continue;
    const metadata = asRecord(object.metadata) ?? {};
    if (asRecord(metadata.labels)?.[Labels.MANAGED_BY] !== MANAGED_BY_VALUE) continue;
    const location = podSpecOf(object);
    if (!location) continue;
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : defaultNamespace;
    const templateLabels: Record<string, string> = {};
    for (const [key, value] of Object.entries(asRecord(location.metadata.labels) ?? {})) if (typeof value === 'string') templateLabels[key] = value;
    const podLabels: Record<string, string> = {};
    for (const key of [Labels.NAME, Labels.COMPONENT]) if (templateLabels[key] !== undefined) podLabels[key] = templateLabels[key];
    if (podLabels[Labels.NAME] === undefined) continue;
    const writable: string[] = [];
    let writableRoot = false;
    let shellEntrypoint = false;
    let tokenAtDefaultPath = false;
    for (const { container } of containersOf(location.spec)) {
      const security = asRecord(container.securityContext) ?? {};
      if (security.readOnlyRootFilesystem !== true) writableRoot = true;
      const command = asArray(container.command).map(String);
      if (command.length > 0 && SHELLS.includes(command[0].split('/').pop() ?? '')) shellEntrypoint = true;
      for (const entry of asArray(container.volumeMounts)) {
        const mount = asRecord(entry) ?? {};
        const path = String(mount.mountPath ?? '');
        if (TOKEN_DIRS.some((dir) => `${path}/`.startsWith(dir) || dir.startsWith(`${path}/`))) tokenAtDefaultPath = true;
        if (mount.readOnly !== true && path.startsWith('/')) writable.push(path);
      }
    }
    intents.push({
      namespace,
      name: String(metadata.name),
      kind: String(object.kind),
      podLabels,
      writablePaths: writableRoot ? [] : sortedUnique(writable),
      writableRoot,
      automountServiceAccountToken: location.spec.automountServiceAccountToken === true || tokenAtDefaultPath,
      shellEntrypoint,
      allowedEgress: allowedEgressOf(objects, namespace, templateLabels, defaultNamespace),
    });
  }
  return intents.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/**
 * Falco detection rules generated from what the library knows each hardened workload intends,
 * scoped to the workload by `k8s.ns.name` and its pod labels:
 * - a shell or package manager started in its containers (`WARNING`);
 * - a file opened for writing outside its writable mounts (`ERROR`; none when the root is writable);
 * - an outbound connection no NetworkPolicy allows it (`WARNING`; none when egress is open);
 * - a read of the ServiceAccount token path when no token is mounted (`ERROR`).
 *
 * The output is a rules file for Falco's `rules.d` and the Falco Helm chart (9.x) values that
 * ship it (`customRules`). Uses the upstream default macros `spawned_process`, `container`,
 * `open_write`, `open_read` and lists `shell_binaries`, `package_mgmt_binaries`, so it loads after
 * `falco_rules.yaml`, as the chart does. Not a cluster object: keep it out of `kubectl apply`.
 */
export class FalcoRules {
  /** rules for every hardened workload under a construct (an App or a Chart). */
  public static of(scope: IConstruct, options: FalcoRulesOptions = {}): FalcoRules {
    return FalcoRules.fromManifests(renderedObjects(scope) as KubeObject[], options);
  }

  /** rules for every hardened workload (`app.kubernetes.io/managed-by: cdk8s-hardened`) in plain manifest objects. */
  public static fromManifests(objects: readonly KubeObject[], options: FalcoRulesOptions = {}): FalcoRules {
    return new FalcoRules(objects, options);
  }

  /** what each workload intends, as the rules read it. */
  public readonly workloads: FalcoWorkloadIntent[];
  /** the items of the rules file, in order. */
  public readonly items: FalcoItem[];
  /** the file name under `customRules`. */
  public readonly fileName: string;

  private constructor(objects: readonly KubeObject[], options: FalcoRulesOptions) {
    this.fileName = options.fileName ?? 'cdk8s-hardened-rules.yaml';
    if (!/^[A-Za-z0-9._-]+\.ya?ml$/.test(this.fileName)) {
      throw new Error(`fileName is ${JSON.stringify(this.fileName)}: use a plain file name ending in .yaml (Falco reads only .yaml/.yml files of rules.d)`);
    }
    const networks = options.clusterNetworks ?? DEFAULT_CLUSTER_NETWORKS;
    if (!Array.isArray(networks) || networks.length === 0) throw new Error('clusterNetworks is empty: list the pod and Service ranges, e.g. ["10.0.0.0/8"]');
    for (const cidr of networks) if (!CIDR.test(cidr)) throw new Error(`clusterNetworks has ${JSON.stringify(cidr)}: use CIDRs such as "10.244.0.0/16"`);
    this.workloads = intentsOf(objects, options.defaultNamespace ?? 'default');
    if (this.workloads.length === 0) throw new Error('no hardened workload found: FalcoRules reads Deployments, StatefulSets, DaemonSets, Jobs and CronJobs labelled app.kubernetes.io/managed-by: cdk8s-hardened');

    const items: FalcoItem[] = [
      { required_engine_version: FALCO_REQUIRED_ENGINE_VERSION },
      { required_plugin_versions: [{ name: 'container', version: '0.4.0' }] },
      { list: CLUSTER_LIST, items: sortedUnique(networks).map(quote) },
      {
        macro: OUTBOUND_MACRO,
        // upstream `outbound` without its RFC 1918 exclusion: flows inside the cluster count here.
        condition: '((evt.type = connect or (evt.type in (sendto, sendmsg) and fd.l4proto != tcp and fd.connected = false and fd.name_changed = true))'
          + ' and (fd.typechar = 4 or fd.typechar = 6) and fd.ip != "0.0.0.0" and fd.net != "127.0.0.0/8" and fd.net != "::1/128"'
          + ' and (evt.rawres >= 0 or evt.res = EINPROGRESS))',
      },
    ];
    for (const workload of this.workloads) items.push(...rulesOf(workload));
    this.items = items;
    const problems = checkFalcoRulesShape(this.toYaml());
    if (problems.length > 0) throw new Error(`generated Falco rules fail the shape check: ${problems.map((p) => `${p.name ?? p.item}: ${p.field}: ${p.message}`).join('; ')}`);
  }

  /** the rules file, with a header saying where it goes. */
  public toYaml(): string {
    const document = new Document(this.items);
    document.commentBefore = [
      ' Generated by cdk8s-hardened from the workloads\' declared intent; do not edit.',
      ` Loads after the upstream default rules (${FALCO_UPSTREAM_RULES.version}): install it through the Falco chart's customRules`,
      ' (falco-values.yaml) or copy it into /etc/falco/rules.d/.',
    ].join('\n');
    return document.toString({ lineWidth: 0 });
  }

  /** the Falco Helm chart (9.x) values that ship the file: `customRules: { <fileName>: <rules> }`. */
  public helmValues(): { customRules: Record<string, string> } {
    return { customRules: { [this.fileName]: this.toYaml() } };
  }

  /** `helmValues()` as YAML, for `helm install -f` or a GitOps HelmRelease. */
  public helmValuesYaml(): string {
    return stringify(this.helmValues(), { lineWidth: 0, blockQuote: 'literal' });
  }

  /** the shape check of the rules file (empty when it passes; construction already throws otherwise). */
  public shapeProblems(): FalcoShapeProblem[] {
    return checkFalcoRulesShape(this.toYaml());
  }
}

function rulesOf(workload: FalcoWorkloadIntent): FalcoItem[] {
  const where = `${workload.namespace}/${workload.name}`;
  const scope = `${PREFIX}_${identifier(workload.namespace)}_${identifier(workload.name)}`;
  const scopeCondition = [
    `k8s.ns.name = ${quote(workload.namespace)}`,
    ...Object.keys(workload.podLabels).sort().map((key) => `k8s.pod.label[${key}] = ${quote(workload.podLabels[key])}`),
  ].join(' and ');
  const tags = (...more: string[]) => [PREFIX, 'container', ...more];
  const items: FalcoItem[] = [{ macro: scope, condition: `(${scopeCondition})` }];

  items.push({
    rule: `${RULE_PREFIX}: shell or package manager in ${where}`,
    desc: `A shell or package manager started in a container of ${workload.kind} ${where}, which declares neither.`,
    condition: `spawned_process and container and ${scope} and (proc.name in (shell_binaries) or proc.name in (package_mgmt_binaries))`
      + (workload.shellEntrypoint ? ' and not proc.vpid = 1' : '')
      // a NetworkPolicyProbe pod carries the workload's labels and runs its checks from /bin/sh.
      + ` and not k8s.pod.label[${Labels.NETPOL_PROBE}] exists`,
    output: `Shell or package manager in ${where} (proc=%proc.name cmdline=%proc.cmdline parent=%proc.pname uid=%user.uid ${OUTPUT_CONTEXT})`,
    priority: FalcoPriority.WARNING,
    tags: tags('process', 'mitre_execution', 'T1059'),
  });

  if (!workload.writableRoot) {
    const allowed = ['/dev/', ...workload.writablePaths.map((path) => `${path}/`)];
    items.push({
      rule: `${RULE_PREFIX}: write outside writable paths in ${where}`,
      desc: `A file of ${workload.kind} ${where} opened for writing outside its declared writable paths (${workload.writablePaths.join(', ') || 'none'}).`,
      condition: `open_write and container and ${scope} and not (${allowed.map((path) => `fd.name startswith ${quote(path)}`).join(' or ')})`,
      output: `Write outside writable paths in ${where} (file=%fd.name proc=%proc.name cmdline=%proc.cmdline ${OUTPUT_CONTEXT})`,
      priority: FalcoPriority.ERROR,
      tags: tags('filesystem', 'mitre_persistence', 'T1543'),
    });
  }

  if (workload.allowedEgress !== undefined) {
    const allowed = workload.allowedEgress;
    items.push({
      rule: `${RULE_PREFIX}: undeclared outbound connection from ${where}`,
      desc: `An outbound connection from ${workload.kind} ${where} that none of its NetworkPolicies allows: an attempt the CNI should drop, or proof that it does not.`,
      condition: `${OUTBOUND_MACRO} and container and ${scope}` + (allowed.length > 0 ? ` and not (${allowed.join(' or ')})` : ''),
      output: `Undeclared outbound connection from ${where} (connection=%fd.name server=%fd.sip port=%fd.sport proto=%fd.l4proto proc=%proc.name ${OUTPUT_CONTEXT})`,
      priority: FalcoPriority.WARNING,
      tags: tags('network', 'mitre_command_and_control', 'TA0011'),
    });
  }

  if (!workload.automountServiceAccountToken) {
    items.push({
      rule: `${RULE_PREFIX}: ServiceAccount token read in ${where}`,
      desc: `A read of the ServiceAccount token path in ${workload.kind} ${where}, which mounts no token: a token put there by other means.`,
      condition: `open_read and container and ${scope} and (${TOKEN_DIRS.map((dir) => `fd.name startswith ${quote(dir)}`).join(' or ')})`,
      output: `ServiceAccount token read in ${where} (file=%fd.name proc=%proc.name cmdline=%proc.cmdline ${OUTPUT_CONTEXT})`,
      priority: FalcoPriority.ERROR,
      tags: tags('filesystem', 'mitre_credential_access', 'T1528'),
    });
  }
  return items;
}
