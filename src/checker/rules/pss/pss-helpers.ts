/**
 * Shared plumbing for the Pod Security Standards v1.28 rules.
 *
 * Wrong-typed input (user data is not trusted) never throws. The policy is fail-closed:
 * - `null` counts as unset, as the Kubernetes API decodes it;
 * - a structure on a path a check reads (`securityContext: []`, `capabilities: "x"`, `ports: 7`,
 *   `volumes: {}`, `sysctls: 1`, a list item that is not a mapping) is a finding of that check,
 *   because the API server rejects it and the checker cannot prove it safe;
 * - a leaf value outside the allowed set is a finding whatever its type (`privileged: "false"`,
 *   `hostPort: "0"`, `runAsNonRoot: "true"`);
 * - a container list that is not a list (`containers: "x"`) or an item that is not a mapping is a
 *   finding of every container-level check;
 * - a pod spec that is not a mapping is skipped here: there is nothing to evaluate, and the
 *   engine reports malformed objects.
 */
import type { RuleId } from '../../../model/rule-ids';
import { ObjectMemo } from '../../object-memo';
import { asRecord, ContainerLocation, containersOf, CONTAINER_LISTS, podSpecUnderCheck, POD_SPEC_KINDS } from '../../pod-spec';
import type { CheckContext, KubeObject, PssCheckId, PssLevel, Rule, RuleReferences, Violation } from '../../types';

/** the Pod Security Standards page, per level. */
export const PSS_LINKS: Record<PssLevel, string> = {
  baseline: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  restricted: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
};

/** a pod spec under check, with the paths reports need. */
export interface PodView {
  readonly object: KubeObject;
  readonly spec: Record<string, unknown>;
  /** dotted path of the pod spec from the object root. */
  readonly specPath: string;
  /** the pod metadata (template metadata for controllers). */
  readonly metadata: Record<string, unknown>;
  /** dotted path of that metadata from the object root. */
  readonly metadataPath: string;
}

/** a container under check with its dotted path from the object root and its name for messages. */
export interface ContainerView extends ContainerLocation {
  /** dotted path of the container from the object root. */
  readonly fullPath: string;
  /** `container "app"`, for messages. */
  readonly label: string;
}

/** what a rule file declares; `pssRule` fills in the parts every PSS rule shares. */
export interface PssRuleDefinition {
  readonly id: RuleId;
  readonly title: string;
  readonly description: string;
  readonly remediation: string;
  readonly level: PssLevel;
  readonly check: PssCheckId;
  /**
   * CIS Kubernetes Benchmark 1.8 ids.
   * @default - none
   */
  readonly cis?: readonly string[];
  /**
   * NSA/CISA controls as Kubescape numbers them.
   * @default - none
   */
  readonly nsa?: readonly string[];
  /** the check itself over one pod spec. */
  readonly evaluate: (pod: PodView, context: CheckContext) => Violation[];
}

/** builds a PSS rule: severity `error`, every pod-spec kind, references with the PSA check id. */
export function pssRule(definition: PssRuleDefinition): Rule {
  const references: RuleReferences = {
    pss: { level: definition.level, check: definition.check },
    ...(definition.cis ? { cis: definition.cis } : {}),
    ...(definition.nsa ? { nsa: definition.nsa } : {}),
    links: [PSS_LINKS[definition.level]],
  };
  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    severity: 'error',
    remediation: definition.remediation,
    references,
    kinds: POD_SPEC_KINDS,
    check(object: KubeObject, context: CheckContext): Violation[] {
      const pod = podViewOf(object);
      return pod ? definition.evaluate(pod, context) : [];
    },
  };
}

/** the pod spec of an object, or undefined when it carries none. */
export function podViewOf(object: KubeObject): PodView | undefined {
  // the 17 rules look at the same object one after another: the view is built once per object.
  return POD_VIEWS.get(object);
}

const POD_VIEWS = new ObjectMemo<KubeObject, PodView | undefined>((object) => buildPodView(object));
const CONTAINER_VIEWS = new ObjectMemo<PodView, ContainerView[]>((pod) => buildContainerViews(pod));
const MALFORMED_LISTS = new ObjectMemo<PodView, readonly Violation[]>((pod) => readMalformedContainerLists(pod));

function buildPodView(object: KubeObject): PodView | undefined {
  const location = podSpecUnderCheck(object);
  if (!location) return undefined;
  const metadataPath = location.path === 'spec' ? 'metadata' : `${location.path.slice(0, -'.spec'.length)}.metadata`;
  return { object, spec: location.spec, specPath: location.path, metadata: location.metadata, metadataPath };
}

/** every container PSA visits (containers, initContainers, ephemeralContainers). */
export function containerViews(pod: PodView): ContainerView[] {
  return CONTAINER_VIEWS.get(pod);
}

function buildContainerViews(pod: PodView): ContainerView[] {
  return containersOf(pod.spec).map((location) => ({
    container: location.container,
    path: location.path,
    list: location.list,
    name: location.name,
    fullPath: `${pod.specPath}.${location.path}`,
    label: `container "${location.name}"`,
  }));
}

/** findings for container lists that are not lists and list items that are not mappings: a fresh list, the caller's to extend. */
export function malformedContainerLists(pod: PodView): Violation[] {
  // every container-level PSS rule asks about the same pod: the lists are read once.
  const malformed = MALFORMED_LISTS.get(pod);
  return malformed.length === 0 ? [] : [...malformed];
}

function readMalformedContainerLists(pod: PodView): Violation[] {
  const violations: Violation[] = [];
  for (const list of CONTAINER_LISTS) {
    const value = pod.spec[list];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      violations.push({ message: `pod: ${list} is not a list, so it cannot be verified`, path: `${pod.specPath}.${list}` });
      continue;
    }
    value.forEach((item, index) => {
      if (!asRecord(item)) {
        violations.push({ message: `pod: ${list}[${index}] is not a mapping, so it cannot be verified`, path: `${pod.specPath}.${list}[${index}]` });
      }
    });
  }
  return violations;
}

/** runs a per-container check over every container, plus the malformed-list findings. */
export function checkEachContainer(pod: PodView, checkContainer: (container: ContainerView) => Violation[]): Violation[] {
  // every PSS rule runs this on every pod: append to the fresh list rather than spread and flatten.
  const violations = malformedContainerLists(pod);
  for (const container of containerViews(pod)) {
    const found = checkContainer(container);
    for (let i = 0; i < found.length; i++) violations.push(found[i]);
  }
  return violations;
}

/** the outcome of reading a nested field from untrusted data. */
export type FieldRead =
  | { readonly state: 'absent'; readonly path: string }
  | { readonly state: 'present'; readonly value: unknown; readonly path: string }
  | { readonly state: 'malformed'; readonly path: string; readonly key: string };

/**
 * reads `keys` below `root`. Every step but the last must be a mapping: `null`/missing is
 * `absent`, anything else that is not a mapping is `malformed` at that step. The last value is
 * returned as is (`null` counts as absent). `path` is the dotted path of the field read.
 */
export function readField(root: Record<string, unknown>, keys: readonly string[], basePath: string): FieldRead {
  let current: unknown = root;
  for (let index = 0; index < keys.length; index++) {
    const record = asRecord(current);
    if (!record) {
      // only reached for index > 0: root is always a record
      return new FieldReadResult('malformed', undefined, basePath, keys, index) as FieldRead;
    }
    current = record[keys[index]];
    if (current === undefined || current === null) return new FieldReadResult('absent', undefined, basePath, keys, keys.length) as FieldRead;
  }
  return new FieldReadResult('present', current, basePath, keys, keys.length) as FieldRead;
}

/**
 * One shape for every outcome, with the path written only when asked: most reads end absent or
 * allowed, every rule reads, and only findings need the path.
 */
class FieldReadResult {
  private written?: string;

  constructor(
    readonly state: FieldRead['state'],
    readonly value: unknown,
    private readonly basePath: string,
    private readonly keys: readonly string[],
    /** how many keys the path holds. */
    private readonly depth: number,
  ) {}

  get path(): string {
    return this.written ??= joinPath(this.basePath, this.keys, this.depth);
  }

  /** for `malformed`: the key whose value is not a mapping. */
  get key(): string {
    return this.keys[this.depth - 1];
  }
}

/** `basePath.keys[0]...keys[count - 1]`. */
function joinPath(basePath: string, keys: readonly string[], count: number): string {
  let path = basePath;
  for (let index = 0; index < count; index++) path = `${path}.${keys[index]}`;
  return path;
}

/** a finding for a field that should be a mapping or list and is not. */
export function malformedViolation(owner: string, read: { readonly path: string; readonly key: string }, expected = 'a mapping'): Violation {
  return { message: `${owner}: ${read.key} is not ${expected}, so it cannot be verified`, path: read.path };
}

/** a finding for a list field that is not a list. */
export function notAListViolation(owner: string, key: string, path: string): Violation {
  return { message: `${owner}: ${key} is not a list, so it cannot be verified`, path };
}

/** true when the pod declares `spec.os.name: windows` (v1.25+ relaxations). */
export function isWindowsPod(pod: PodView): boolean {
  const os = asRecord(pod.spec.os);
  return os?.name === 'windows';
}

/** renders a value for a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** a dotted-path segment for a map key: plain when it is a simple word, else `["key"]`. */
export function keySegment(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * checks one optional field: nothing when unset, a malformed finding when a parent is not a
 * mapping, and `message(value)` when the value is present and not allowed.
 */
export function checkOptionalField(
  root: Record<string, unknown>, keys: readonly string[], basePath: string, owner: string,
  allowed: (value: unknown) => boolean, message: (value: unknown) => string,
): Violation[] {
  const read = readField(root, keys, basePath);
  if (read.state === 'absent') return [];
  if (read.state === 'malformed') return [malformedViolation(owner, read)];
  return allowed(read.value) ? [] : [{ message: message(read.value), path: read.path }];
}

/** a volume of a pod spec, with its name (or position) for messages and its dotted path. */
export interface VolumeView {
  readonly volume: Record<string, unknown>;
  readonly name: string;
  readonly path: string;
}

/** runs a per-volume check over every volume, plus findings for a volumes field that is not a list and items that are not mappings. */
export function checkEachVolume(pod: PodView, checkVolume: (view: VolumeView) => Violation[]): Violation[] {
  const volumes = pod.spec.volumes;
  if (volumes === undefined || volumes === null) return [];
  if (!Array.isArray(volumes)) return [notAListViolation('pod', 'volumes', `${pod.specPath}.volumes`)];
  return volumes.flatMap((item, index) => {
    const path = `${pod.specPath}.volumes[${index}]`;
    const volume = asRecord(item);
    if (!volume) return [{ message: `pod: volumes[${index}] is not a mapping, so it cannot be verified`, path }];
    return checkVolume({ volume, name: typeof volume.name === 'string' ? volume.name : `volumes[${index}]`, path });
  });
}
