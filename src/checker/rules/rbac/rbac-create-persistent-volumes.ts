import { dangerousGrantViolations } from './dangerous-grant-helpers';
import { ROLE_KINDS } from './rbac-helpers';
import { DANGEROUS_GRANTS } from '../../../model/rbac-catalogue';
import { RuleIds } from '../../../model/rule-ids';
import type { Rule } from '../../types';

/** flags a ClusterRole that can create PersistentVolumes. */
export const rbacCreatePersistentVolumesRule: Rule = {
  id: RuleIds.RBAC_CREATE_PERSISTENT_VOLUMES,
  title: 'RBAC can create PersistentVolumes',
  description: 'Indicates when a ClusterRole grants create on persistentvolumes, which lets the holder create a hostPath PersistentVolume and mount any node directory into its pods through a claim, past Pod Security Admission.',
  severity: 'error',
  remediation: 'Leave PersistentVolume creation to the storage provisioners; workloads request storage through PersistentVolumeClaims of a StorageClass.',
  references: {
    cis: ['5.1.9'],
    links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation'],
  },
  kinds: ROLE_KINDS,
  check(object) {
    return dangerousGrantViolations(object, DANGEROUS_GRANTS.createPersistentVolumes, 'a hostPath volume mounts any node directory into its pods');
  },
};
