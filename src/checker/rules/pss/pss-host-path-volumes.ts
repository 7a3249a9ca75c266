import { notAListViolation, pssRule } from './pss-helpers';
import { RuleIds } from '../../../rule-ids';
import { asRecord } from '../../pod-spec';
import type { Violation } from '../../types';

/** PSS baseline: hostPath volumes are forbidden. */
export const pssHostPathVolumes = pssRule({
  id: RuleIds.PSS_HOST_PATH_VOLUMES,
  title: 'HostPath volume',
  description: 'Indicates when a pod mounts a hostPath volume.',
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
  level: 'baseline',
  check: 'hostPathVolumes',
  cis: ['5.2.12'],
  evaluate: (pod) => {
    const volumes = pod.spec.volumes;
    if (volumes === undefined || volumes === null) return [];
    if (!Array.isArray(volumes)) return [notAListViolation('pod', 'volumes', `${pod.specPath}.volumes`)];
    const violations: Violation[] = [];
    volumes.forEach((item, index) => {
      const path = `${pod.specPath}.volumes[${index}]`;
      const volume = asRecord(item);
      if (!volume) {
        violations.push({ message: `pod: volumes[${index}] is not a mapping, so it cannot be verified`, path });
      } else if (volume.hostPath !== undefined && volume.hostPath !== null) {
        const name = typeof volume.name === 'string' ? volume.name : `volumes[${index}]`;
        violations.push({ message: `volume "${name}" is a hostPath volume`, path: `${path}.hostPath` });
      }
    });
    return violations;
  },
});
