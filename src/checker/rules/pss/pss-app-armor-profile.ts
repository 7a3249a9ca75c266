import { keySegment, pssRule, show } from './pss-helpers';
import { RuleIds } from '../../../model/rule-ids';
import type { Violation } from '../../types';

/** annotation key prefix of a container's AppArmor profile (beta annotations, as of v1.28). */
export const APP_ARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function allowedProfile(value: unknown): boolean {
  return value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
}

/** PSS baseline: AppArmor may only be the runtime default or a localhost profile. */
export const pssAppArmorProfile = pssRule({
  id: RuleIds.PSS_APP_ARMOR_PROFILE,
  title: 'AppArmor profile overridden',
  description: 'Indicates when a pod annotation container.apparmor.security.beta.kubernetes.io/* sets an AppArmor profile other than runtime/default or localhost/*, such as unconfined.',
  remediation: 'Set every container.apparmor.security.beta.kubernetes.io/* annotation to runtime/default or localhost/<profile>, or remove it.',
  level: 'baseline',
  check: 'appArmorProfile',
  nsa: ['C-0055'],
  evaluate: (pod) => {
    const annotations = pod.metadata.annotations;
    const annotationsPath = `${pod.metadataPath}.annotations`;
    if (annotations === undefined || annotations === null) return [];
    if (typeof annotations !== 'object' || Array.isArray(annotations)) {
      return [{ message: 'pod: annotations is not a mapping, so it cannot be verified', path: annotationsPath }];
    }
    const violations: Violation[] = [];
    for (const key of Object.keys(annotations).sort()) {
      if (!key.startsWith(APP_ARMOR_ANNOTATION_PREFIX)) continue;
      const value = (annotations as Record<string, unknown>)[key];
      if (allowedProfile(value)) continue;
      const container = key.slice(APP_ARMOR_ANNOTATION_PREFIX.length);
      violations.push({
        message: `container "${container}" sets AppArmor profile ${show(value)} via annotation ${key}`,
        path: `${annotationsPath}${keySegment(key)}`,
      });
    }
    return violations;
  },
});
