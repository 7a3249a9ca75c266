import { load } from 'js-yaml';
import { apiGroupOf, asArray, asRecord, PodSpecLocation } from './pod-spec';
import type { KubeObject } from './types';
import { KUBERNETES_YAML_SCHEMA } from './yaml-schema';

/**
 * Argo Workflows runs one pod per template that has a container (`container`, `script`,
 * `containerSet`), built from the template, the workflow's `templateDefaults` and the workflow
 * spec, then patched with `podSpecPatch` (a JSON or YAML string). This file builds that pod spec
 * for each such template, so pod rules check what Argo runs, and maps the paths rules report on
 * the built spec back to the fields the manifest holds.
 */

/** the kinds of argoproj.io that carry workflow templates, with the path of the workflow spec. */
const WORKFLOW_SPECS: Readonly<Record<string, string>> = {
  Workflow: 'spec',
  WorkflowTemplate: 'spec',
  ClusterWorkflowTemplate: 'spec',
  CronWorkflow: 'spec.workflowSpec',
};

/** pod-level fields a template may set, falling back to `templateDefaults` and the workflow spec. */
const POD_FIELDS = [
  'securityContext', 'automountServiceAccountToken', 'serviceAccountName', 'nodeSelector', 'tolerations', 'affinity',
  'hostAliases', 'priorityClassName', 'schedulerName',
] as const;
/** pod-level fields only the workflow spec sets. */
const WORKFLOW_ONLY_FIELDS = ['hostNetwork', 'dnsPolicy', 'dnsConfig', 'imagePullSecrets', 'runtimeClassName'] as const;

/** the pod one template runs: its spec, where the spec "sits", and how built paths map back. */
export interface WorkflowPod {
  readonly location: PodSpecLocation;
  /** maps a path on the built spec (`spec.templates[1].spec.containers[0].image`) to the manifest's field. */
  readonly translate: (path: string) => string;
}

/** true for argoproj.io kinds whose templates run pods. */
export function isArgoWorkflowKind(object: KubeObject): boolean {
  // own keys only: `constructor` is not a workflow kind.
  return typeof object.kind === 'string' && Object.prototype.hasOwnProperty.call(WORKFLOW_SPECS, object.kind) && apiGroupOf(object) === 'argoproj.io';
}

function get(object: unknown, dotted: string): unknown {
  let current = object;
  for (const key of dotted.split('.')) current = asRecord(current)?.[key];
  return current;
}

/** a pod spec patch as an object, or a string saying why it cannot be read. */
function parsePatch(patch: unknown): Record<string, unknown> | string | undefined {
  if (patch === undefined || patch === null || patch === '') return undefined;
  if (typeof patch !== 'string') return 'podSpecPatch is not a string';
  try {
    const parsed = asRecord(load(patch, { schema: KUBERNETES_YAML_SCHEMA }));
    return parsed ?? 'podSpecPatch is not a mapping';
  } catch {
    return 'podSpecPatch is not valid JSON or YAML';
  }
}

/** prefix → manifest path pairs, longest prefix first when translating. */
class PathMap {
  private readonly pairs: [string, string, boolean][] = [];
  /** `whole`: everything under `built` maps to `real` itself (a field inside a patch string). */
  add(built: string, real: string, whole = false): void {
    this.pairs.push([built, real, whole]);
  }
  translate(path: string): string {
    let best: [string, string, boolean] | undefined;
    for (const pair of this.pairs) {
      const [built] = pair;
      const boundary = path.length === built.length || path[built.length] === '.' || path[built.length] === '[';
      if (path.startsWith(built) && boundary && (!best || built.length > best[0].length)) best = pair;
    }
    if (!best) return path;
    return best[2] ? best[1] : best[1] + path.slice(best[0].length);
  }
}

/** merges a patch into a built value: mappings deeply, containers by name, anything else replaced. */
function applyPatch(target: Record<string, unknown>, patch: Record<string, unknown>, builtPath: string, patchPath: string, paths: PathMap): void {
  for (const [key, value] of Object.entries(patch)) {
    const at = `${builtPath}.${key}`;
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value) && Array.isArray(target[key])) {
      const list = target[key] as unknown[];
      for (const item of value) {
        const patchContainer = asRecord(item);
        if (!patchContainer) continue;
        const index = list.findIndex((existing) => asRecord(existing)?.name === patchContainer.name);
        if (index === -1) {
          list.push({ ...patchContainer });
          paths.add(`${at}[${list.length - 1}]`, patchPath, true);
        } else {
          const merged = { ...asRecord(list[index]) };
          list[index] = merged;
          applyPatch(merged, patchContainer, `${at}[${index}]`, patchPath, paths);
        }
      }
      continue;
    }
    const existing = asRecord(target[key]);
    const patchValue = asRecord(value);
    if (existing && patchValue) {
      const merged = { ...existing };
      target[key] = merged;
      applyPatch(merged, patchValue, at, patchPath, paths);
    } else {
      target[key] = value;
      paths.add(at, patchPath, true);
    }
  }
}

/**
 * The pods the templates of an Argo Workflow, CronWorkflow, WorkflowTemplate or
 * ClusterWorkflowTemplate run. A template without containers (steps, dag, suspend...) runs none.
 * A `podSpecPatch` that cannot be read is reported by `unreadable`.
 */
export function workflowPods(object: KubeObject, unreadable: (path: string, reason: string) => void): WorkflowPod[] {
  const specPath = WORKFLOW_SPECS[object.kind as string];
  const workflow = asRecord(get(object, specPath));
  if (!workflow) return [];
  const defaults = asRecord(workflow.templateDefaults) ?? {};
  const pods: WorkflowPod[] = [];
  asArray(workflow.templates).forEach((item, index) => {
    const template = asRecord(item);
    if (!template) return;
    const templatePath = `${specPath}.templates[${index}]`;
    const builtPath = `${templatePath}.spec`;
    const paths = new PathMap();
    paths.add(builtPath, templatePath);
    const containers: unknown[] = [];
    const addContainer = (value: unknown, real: string, main = false) => {
      const given = asRecord(value);
      if (!given) return;
      // Argo names the container of `container` and `script` templates "main".
      const container = main && given.name === undefined ? { name: 'main', ...given } : given;
      paths.add(`${builtPath}.containers[${containers.length}]`, real);
      containers.push(container);
    };
    addContainer(template.container, `${templatePath}.container`, true);
    addContainer(template.script, `${templatePath}.script`, true);
    asArray(asRecord(template.containerSet)?.containers).forEach((container, i) => addContainer(container, `${templatePath}.containerSet.containers[${i}]`));
    if (containers.length === 0) return;
    asArray(template.sidecars).forEach((container, i) => addContainer(container, `${templatePath}.sidecars[${i}]`));
    const initContainers = asArray(template.initContainers);
    const spec: Record<string, unknown> = { containers };
    if (initContainers.length > 0) spec.initContainers = initContainers;
    for (const field of POD_FIELDS) {
      if (template[field] !== undefined) {
        spec[field] = template[field];
      } else if (defaults[field] !== undefined) {
        spec[field] = defaults[field];
        paths.add(`${builtPath}.${field}`, `${specPath}.templateDefaults.${field}`);
      } else if (workflow[field] !== undefined) {
        spec[field] = workflow[field];
        paths.add(`${builtPath}.${field}`, `${specPath}.${field}`);
      }
    }
    for (const field of WORKFLOW_ONLY_FIELDS) {
      if (workflow[field] !== undefined) {
        spec[field] = workflow[field];
        paths.add(`${builtPath}.${field}`, `${specPath}.${field}`);
      }
    }
    // volumes of the workflow and of the template are both mounted.
    const volumes: unknown[] = [];
    asArray(workflow.volumes).forEach((volume, i) => {
      paths.add(`${builtPath}.volumes[${volumes.length}]`, `${specPath}.volumes[${i}]`);
      volumes.push(volume);
    });
    asArray(template.volumes).forEach((volume, i) => {
      paths.add(`${builtPath}.volumes[${volumes.length}]`, `${templatePath}.volumes[${i}]`);
      volumes.push(volume);
    });
    if (volumes.length > 0) spec.volumes = volumes;
    // the workflow's patch applies first, then the template's (Argo merges both into the pod).
    for (const [patch, patchPath] of [[workflow.podSpecPatch, `${specPath}.podSpecPatch`], [template.podSpecPatch, `${templatePath}.podSpecPatch`]] as const) {
      const parsed = parsePatch(patch);
      if (typeof parsed === 'string') unreadable(patchPath, parsed);
      else if (parsed) applyPatch(spec, parsed, builtPath, patchPath, paths);
    }
    pods.push({
      location: { spec, path: builtPath, metadata: asRecord(template.metadata) ?? {} },
      translate: (path) => paths.translate(path),
    });
  });
  return pods;
}
