import { RuleIds } from '../../../rule-ids';
import { asArray, asRecord, podSpecOf, POD_SPEC_KINDS } from '../../pod-spec';
import type { CheckContext, KubeObject, Rule } from '../../types';
import { asString, nameOf, namespaceOf } from '../rule-helpers';

/** provisioners that create hostPath PersistentVolumes for every claim of their StorageClass. */
const HOST_PATH_PROVISIONERS = ['kubernetes.io/host-path', 'rancher.io/local-path', 'microk8s.io/hostpath', 'k8s.io/minikube-hostpath', 'docker.io/hostpath'];

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
  description: 'Indicates when a PersistentVolume has a hostPath source, or a StorageClass provisions hostPath volumes: any pod whose PersistentVolumeClaim binds one mounts that node directory (/ included) even in a namespace that enforces the restricted Pod Security Standard, which only inspects the pod\'s own volumes.',
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
    const hostPath = asRecord(asRecord(object.spec)?.hostPath);
    if (!hostPath) return [];
    const path = asString(hostPath.path) ?? '';
    const reach = claimsOf(object, context).map((claim) => {
      const users = workloadsMounting(claim, context);
      return `PersistentVolumeClaim ${namespaceOf(claim) ?? ''}/${nameOf(claim)}${users.length > 0 ? ` (mounted by ${users.join(', ')})` : ''}`;
    });
    return [{
      message: `PersistentVolume mounts node directory ${JSON.stringify(path)} into any pod that claims it, past Pod Security Admission${reach.length > 0 ? `; bound by ${reach.join(', ')}` : ''}`,
      path: 'spec.hostPath.path',
    }];
  },
};
