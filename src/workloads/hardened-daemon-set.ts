import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HardenedWorkload, HardenedWorkloadExceptions, HardenedWorkloadProps, volumeNameOf } from './hardened-workload';
import { exposedSocket } from '../checker/rules/hygiene/host-path-cri-socket';
import { declarationAnnotation, exceptionAnnotations, SecurityException, validateException } from '../model/exceptions';
import { RuleIds } from '../model/rule-ids';

/** a node directory or file a node agent reads, mounted read-only in every container, with a reason. */
export interface HostPathMount extends SecurityException {
  /** the absolute path on the node, e.g. `/var/log/pods`; never `/`. */
  readonly path: string;
  /**
   * Where the containers see it.
   *
   * @default - the same path as on the node
   */
  readonly mountPath?: string;
  /**
   * What must exist at the path for the pod to start.
   *
   * @default kplus.HostPathVolumeType.DIRECTORY
   */
  readonly type?: kplus.HostPathVolumeType;
}

/** a node taint the agent's pods tolerate, as the Kubernetes API spells it. */
export interface NodeToleration {
  /** the taint key; leave it out with operator `Exists` to tolerate every taint. @default - every key */
  readonly key?: string;
  /** `Equal` or `Exists`. @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  /** the taint value for `Equal`. @default - none */
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule` or `NoExecute`. @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** tolerations with the reason the agent must run on tainted nodes. */
export interface TolerationsException extends SecurityException {
  /** at least one toleration. */
  readonly tolerations: NodeToleration[];
}

/** reasoned exceptions a node agent may need on top of the shared workload exceptions. */
export interface HardenedDaemonSetExceptions extends HardenedWorkloadExceptions {
  /**
   * Use the node's network namespace (`hostNetwork: true`).
   *
   * @default - the pod network
   */
  readonly hostNetwork?: SecurityException;
  /**
   * See the node's processes (`hostPID: true`).
   *
   * @default - the pod's own process namespace
   */
  readonly hostPID?: SecurityException;
  /**
   * Mount a container runtime socket (or a directory holding one) through `hostPaths`: root on
   * the node. Needed in addition to the path's own reason.
   *
   * @default - runtime sockets are refused
   */
  readonly runtimeSocket?: SecurityException;
  /**
   * Run on nodes with these taints (control plane, dedicated pools). Written as the annotation
   * `declared.cdk8s-hardened.io/tolerations`.
   *
   * @default - no tolerations: only untainted nodes
   */
  readonly tolerations?: TolerationsException;
}

/** props of `HardenedDaemonSet`. */
export interface HardenedDaemonSetProps extends HardenedWorkloadProps {
  /**
   * Node paths the agent reads, each with a reason, mounted read-only in every container.
   * Suppresses `pss-host-path-volumes` and `pss-restricted-volumes` with the reasons; the
   * self-check fails on any other hostPath and on any writable mount of these.
   *
   * @default - no host paths
   */
  readonly hostPaths?: HostPathMount[];
  /**
   * Seconds a new pod must be ready before the rollout moves to the next node.
   *
   * @default 0
   */
  readonly minReadySeconds?: number;
  /**
   * Reasoned exceptions to the secure defaults.
   *
   * @default - none: the pods pass Pod Security `restricted`
   */
  readonly exceptions?: HardenedDaemonSetExceptions;
}

/**
 * A DaemonSet on the hardened pod core, for node agents (log shippers, monitoring): what an
 * agent needs of the node — read-only host paths, host network, host PIDs, tolerations — is a
 * typed exception with a reason, never `/` and never a runtime socket without its own exception.
 */
export class HardenedDaemonSet extends HardenedWorkload {
  /** the underlying cdk8s-plus DaemonSet. */
  declare public readonly resource: kplus.DaemonSet;

  constructor(scope: Construct, id: string, props: HardenedDaemonSetProps) {
    const exceptions: HardenedDaemonSetExceptions = props?.exceptions ?? {};
    const hostPaths = validateHostPaths(props?.hostPaths ?? [], exceptions.runtimeSocket !== undefined);
    const annotations = daemonSetAnnotations(hostPaths, exceptions);
    const minReadySeconds = props?.minReadySeconds ?? 0;
    if (!Number.isInteger(minReadySeconds) || minReadySeconds < 0) throw new Error(`minReadySeconds is ${minReadySeconds}: use a whole number, 0 or more`);
    super(scope, id, props, {
      kind: 'DaemonSet',
      podTemplatePath: '/spec/template',
      hostNetwork: exceptions.hostNetwork !== undefined,
      annotations,
      allowedHostPaths: hostPaths.map((mount) => mount.path),
      create: (self, settings) => new kplus.DaemonSet(self, 'Resource', { ...settings, minReadySeconds }),
    });
    const patches: JsonPatch[] = [];
    // patches apply before cdk8s maps the typed props to JSON, so the field has its TypeScript name.
    if (exceptions.hostPID) patches.push(JsonPatch.add('/spec/template/spec/hostPid', true));
    if (exceptions.tolerations) patches.push(JsonPatch.add('/spec/template/spec/tolerations', exceptions.tolerations.tolerations.map((t) => ({ ...t }))));
    if (patches.length > 0) ApiObject.of(this.resource).addJsonPatch(...patches);

    for (const mount of hostPaths) {
      const name = volumeNameOf('host', mount.path, 'hostPaths path');
      const volume = kplus.Volume.fromHostPath(this, `HostPath-${name}`, name, { path: mount.path, type: mount.type ?? kplus.HostPathVolumeType.DIRECTORY });
      const volumeMount: kplus.VolumeMount = { path: mount.mountPath ?? mount.path, volume, readOnly: true };
      for (const container of [...this.resource.containers, ...this.resource.initContainers]) {
        container.mount(volumeMount.path, volume, { readOnly: true });
      }
      this.addSharedMount(volumeMount);
    }
  }
}

function validateHostPaths(mounts: HostPathMount[], runtimeSocketAllowed: boolean): HostPathMount[] {
  const seen = new Set<string>();
  return mounts.map((mount, index) => {
    const prop = `hostPaths[${index}]`;
    const path = mount?.path;
    if (typeof path !== 'string' || !path.startsWith('/') || path.includes('..') || path.includes('//') || (path.endsWith('/') && path !== '/')) {
      throw new Error(`${prop}.path is ${JSON.stringify(path)}: use an absolute, normalized node path such as "/var/log/pods"`);
    }
    if (path === '/') throw new Error(`${prop}.path is "/": the whole node filesystem is never mounted; name the directories the agent reads, e.g. "/var/log/pods"`);
    if (seen.has(path)) throw new Error(`${prop}.path is "${path}" again: list each host path once`);
    seen.add(path);
    validateException(prop, mount);
    const socket = exposedSocket(path);
    if (socket !== undefined && !runtimeSocketAllowed) {
      throw new Error(`${prop}.path is "${path}": ${socket}, which gives root on the node; mount a narrower path, or add exceptions.runtimeSocket with a reason`);
    }
    if (mount.mountPath !== undefined && (!mount.mountPath.startsWith('/') || mount.mountPath === '/' || mount.mountPath.includes('..'))) {
      throw new Error(`${prop}.mountPath is ${JSON.stringify(mount.mountPath)}: use an absolute directory below the root`);
    }
    return mount;
  });
}

function daemonSetAnnotations(hostPaths: HostPathMount[], exceptions: HardenedDaemonSetExceptions): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (hostPaths.length > 0) {
    // one annotation per rule, so the reasons of every path are joined, each named by its path.
    const reason = hostPaths.map((mount) => `${mount.path}: ${mount.reason.trim()}`).join('; ');
    const expiries = hostPaths.map((mount) => mount.expires).filter((date): date is string => date !== undefined).sort();
    Object.assign(annotations, exceptionAnnotations('hostPaths', { reason, expires: expiries[0] }, [RuleIds.PSS_HOST_PATH_VOLUMES, RuleIds.PSS_RESTRICTED_VOLUMES]));
  }
  const namespaces = [exceptions.hostNetwork && ['hostNetwork', exceptions.hostNetwork], exceptions.hostPID && ['hostPID', exceptions.hostPID]]
    .filter((entry): entry is [string, SecurityException] => Array.isArray(entry));
  for (const [prop, exception] of namespaces) validateException(`exceptions.${prop}`, exception);
  if (namespaces.length > 0) {
    const reason = namespaces.map(([prop, exception]) => `${prop}: ${exception.reason.trim()}`).join('; ');
    const expiries = namespaces.map(([, exception]) => exception.expires).filter((date): date is string => date !== undefined).sort();
    Object.assign(annotations, exceptionAnnotations('exceptions.hostNetwork', { reason, expires: expiries[0] }, [RuleIds.PSS_HOST_NAMESPACES]));
  }
  if (exceptions.runtimeSocket) {
    if (!hostPaths.some((mount) => exposedSocket(mount.path) !== undefined)) {
      throw new Error('exceptions.runtimeSocket is set but no hostPaths entry is a runtime socket: drop the exception');
    }
    Object.assign(annotations, exceptionAnnotations('exceptions.runtimeSocket', exceptions.runtimeSocket, [RuleIds.HOST_PATH_CRI_SOCKET]));
  }
  if (exceptions.tolerations) {
    const tolerations = exceptions.tolerations.tolerations;
    if (!Array.isArray(tolerations) || tolerations.length === 0) {
      throw new Error('exceptions.tolerations.tolerations is empty: list the taints the agent tolerates, or drop the exception');
    }
    tolerations.forEach((toleration, index) => {
      const prop = `exceptions.tolerations.tolerations[${index}]`;
      if (toleration.operator === 'Exists' && toleration.value !== undefined) throw new Error(`${prop} has operator Exists and a value: drop the value or use Equal`);
      if ((toleration.operator ?? 'Equal') === 'Equal' && toleration.key === undefined) throw new Error(`${prop} has operator Equal without a key: name the taint key`);
    });
    Object.assign(annotations, declarationAnnotation('exceptions.tolerations', 'tolerations', exceptions.tolerations));
  }
  return annotations;
}
