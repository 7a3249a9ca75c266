import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord, podSpecOf, POD_SPEC_KINDS } from '../../pod-spec';
import type { CheckContext, KubeObject, Rule } from '../../types';
import { asString, nameOf, namespaceOf } from '../rule-helpers';

/** provisioners that create hostPath PersistentVolumes for every claim of their StorageClass. */
export const HOST_PATH_PROVISIONERS = ['kubernetes.io/host-path', 'rancher.io/local-path', 'microk8s.io/hostpath', 'k8s.io/minikube-hostpath', 'docker.io/hostpath'];

/** node directories a `local` PersistentVolume must never expose: the root, and system trees. */
export const SYSTEM_ROOTS = ['/', '/bin', '/boot', '/dev', '/etc', '/home', '/lib', '/proc', '/root', '/run', '/sbin', '/sys', '/usr', '/var'];
export const SYSTEM_TREES = ['/boot', '/dev', '/etc', '/proc', '/root', '/run', '/sys', '/var/run', '/var/lib/kubelet', '/var/lib/containerd', '/var/lib/docker', '/var/log'];

/** true for a node path that is the root, a top-level system directory, or inside a system tree. */
function isSystemPath(path: string): boolean {
  const normal = `/${path.split('/').filter((part) => part !== '' && part !== '.').join('/')}`;
  return SYSTEM_ROOTS.includes(normal) || SYSTEM_TREES.some((tree) => normal === tree || normal.startsWith(`${tree}/`));
}

/** the PVCs in the input that bind a PV: by the PV's claimRef or the claim's volumeName. */
function claimsOf(volume: KubeObject, context: CheckContext): KubeObject[] {
  const name = nameOf(volume);
  const claimRef = asRecord(asRecord(volume.spec)?.claimRef);
  const claims: KubeObject[] = [];
  const byRef = claimRef && asString(claimRef.name) ? context.find('PersistentVolumeClaim', asString(claimRef.namespace), asString(claimRef.name)!) : undefined;
  if (byRef) claims.push(byRef);
  for (const namespace of context.namespaces()) {
    for (const claim of context.objectsOf('PersistentVolumeClaim', namespace)) {
      if (asString(asRecord(claim.spec)?.volumeName) === name && !claims.includes(claim)) claims.push(claim);
    }
  }
  return claims;
}

/** `Deployment/web` for each workload in the claim's namespace that mounts it. */
function workloadsMounting(claim: KubeObject, context: CheckContext): string[] {
  const namespace = namespaceOf(claim);
  const claimName = nameOf(claim);
  const users: string[] = [];
  for (const kind of POD_SPEC_KINDS) {
    for (const workload of context.objectsOf(kind, namespace)) {
      const volumes = asArray(podSpecOf(workload)?.spec.volumes);
      if (volumes.some((volume) => asRecord(asRecord(volume)?.persistentVolumeClaim)?.claimName === claimName)) users.push(`${kind}/${nameOf(workload)}`);
    }
  }
  return users.sort();
}

/**
 * Flags a PersistentVolume with a hostPath source. Pod Security Admission checks only a pod's
 * own volumes, so a pod that mounts a PVC bound to this PV gets the node's directory in a
 * "restricted" namespace. The finding is on the PV (the object to change) and names the claims
 * and workloads in the input that reach it.
 */
export const pvHostPathRule: Rule = {
  id: RuleIds.PV_HOST_PATH,
  title: 'hostPath PersistentVolume',
  description: 'Indicates when a PersistentVolume has a hostPath source (or a local source on /, /etc, /var/lib/kubelet or another system path), or a StorageClass provisions hostPath volumes: any pod whose PersistentVolumeClaim binds one mounts that node directory (/ included) even in a namespace that enforces the restricted Pod Security Standard, which only inspects the pod\'s own volumes.',
  severity: 'error',
  remediation: 'Use a CSI driver or a local volume with node affinity instead of hostPath; if node storage is unavoidable, point it at a dedicated directory, never / or a system path.',
  references: {
    cis: ['5.2.12'],
    links: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath', 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
  },
  kinds: ['PersistentVolume', 'StorageClass'],
  check(object, context) {
    if (object.kind === 'StorageClass') {
      const provisioner = asString(object.provisioner);
      if (provisioner === undefined || !HOST_PATH_PROVISIONERS.includes(provisioner)) return [];
      return [{ message: `StorageClass provisioner ${JSON.stringify(provisioner)} creates hostPath volumes, which reach pods past Pod Security Admission through their claims`, path: 'provisioner' }];
    }
    const spec = asRecord(object.spec);
    const hostPath = asRecord(spec?.hostPath);
    // a local volume is meant for a dedicated disk; on a system path it is hostPath by another name.
    const local = asRecord(spec?.local);
    const localPath = asString(local?.path);
    if (!hostPath && !(localPath !== undefined && isSystemPath(localPath))) return [];
    const path = hostPath ? asString(hostPath.path) ?? '' : localPath!;
    const reach = claimsOf(object, context).map((claim) => {
      const users = workloadsMounting(claim, context);
      return `PersistentVolumeClaim ${namespaceOf(claim) ?? ''}/${nameOf(claim)}${users.length > 0 ? ` (mounted by ${users.join(', ')})` : ''}`;
    });
    return [{
      message: `PersistentVolume mounts node directory ${JSON.stringify(path)}${hostPath ? '' : ' (a local volume on a system path)'} into any pod that claims it, past Pod Security Admission${reach.length > 0 ? `; bound by ${reach.join(', ')}` : ''}`,
      path: hostPath ? 'spec.hostPath.path' : 'spec.local.path',
    }];
  },
};
