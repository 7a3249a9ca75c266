import { checkEachVolume, pssRule } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';

/** PSS baseline: hostPath volumes are forbidden. */
export const pssHostPathVolumes = pssRule({
  id: RuleIds.PSS_HOST_PATH_VOLUMES,
  title: 'HostPath volume',
  description: 'Indicates when a pod mounts a hostPath volume.',
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
  level: 'baseline',
  check: 'hostPathVolumes',
  cis: ['5.2.12'],
  evaluate: (pod) => checkEachVolume(pod, ({ volume, name, path }) => (volume.hostPath !== undefined && volume.hostPath !== null
    ? [{ message: `volume "${name}" is a hostPath volume`, path: `${path}.hostPath` }]
    : [])),
});
