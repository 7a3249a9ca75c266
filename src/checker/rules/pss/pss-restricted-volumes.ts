import { checkEachVolume, pssRule } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

/** volume sources the restricted level allows (v1.28; `image` only arrives later). */
export const ALLOWED_VOLUME_SOURCES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

/** PSS restricted: volumes may only use the core non-host, non-network sources. */
export const pssRestrictedVolumes = pssRule({
  id: RuleIds.PSS_RESTRICTED_VOLUMES,
  title: 'Restricted volume type',
  description: 'Indicates when a pod uses a volume source other than configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret.',
  remediation: 'Use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret volumes; move host and network storage behind a PersistentVolumeClaim.',
  level: 'restricted',
  check: 'restrictedVolumes',
  evaluate: (pod) => checkEachVolume(pod, ({ volume, name, path }) => {
    // a volume with no source is defaulted to emptyDir by the API server, which PSA then allows.
    // any other key is a source (known or not) and must be on the allow-list, even beside an allowed one.
    const violations: Violation[] = [];
    for (const key of Object.keys(volume).sort()) {
      if (key === 'name' || volume[key] === undefined || volume[key] === null) continue;
      if (ALLOWED_VOLUME_SOURCES.includes(key)) continue;
      violations.push({ message: `volume "${name}" uses the ${key} source, which the restricted level forbids`, path: `${path}.${key}` });
    }
    return violations;
  }),
});
