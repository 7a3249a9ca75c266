import { asRecord, podSpecUnderCheck } from './pod-spec';
import { isIsoDate, isUsableReason, MIN_REASON_LENGTH, quoteReason, SUPPRESSION_ANNOTATION_PREFIX, SUPPRESSION_EXPIRY_ANNOTATION_PREFIX } from '../model/exceptions';
import { RuleIds } from '../model/rule-ids';
import { fieldPath } from './rules/rule-helpers';
import type { KubeObject } from './types';

/** a suppression that holds: findings of `ruleId` on the object are reported as suppressed. */
export interface ActiveSuppression {
  readonly ruleId: string;
  /** the trimmed reason. */
  readonly reason: string;
  readonly expires?: string;
  /** path of the reason annotation. */
  readonly path: string;
}

/** a suppression annotation that cannot apply, reported as a meta finding on the object. */
export interface SuppressionProblem {
  readonly ruleId: typeof RuleIds.SUPPRESSION_INVALID | typeof RuleIds.SUPPRESSION_EXPIRED;
  /** the rule the annotation names. */
  readonly targetRuleId: string;
  /** path of the offending annotation: `metadata.annotations["ignore-check.cdk8s-hardened.io/x"]`. */
  readonly path: string;
  readonly message: string;
}

/** what an object's annotations say about suppressions. */
export interface ObjectSuppressions {
  /** by rule id. */
  readonly active: ReadonlyMap<string, ActiveSuppression>;
  readonly problems: readonly SuppressionProblem[];
}

const NONE: ObjectSuppressions = { active: new Map(), problems: [] };

/** true when some key starts with a suppression prefix (both prefixes start with `ignore-check`). */
function holdsSuppressionKey(annotations: Record<string, unknown> | undefined): boolean {
  if (!annotations) return false;
  for (const key of Object.keys(annotations)) {
    if (key.startsWith('ignore-check') && (key.startsWith(SUPPRESSION_ANNOTATION_PREFIX) || key.startsWith(SUPPRESSION_EXPIRY_ANNOTATION_PREFIX))) return true;
  }
  return false;
}

/** where suppression annotations may sit: the object's metadata, and the pod template's for controllers. */
function annotationSources(object: KubeObject): { annotations: Record<string, unknown>; path: string }[] {
  const sources: { annotations: Record<string, unknown>; path: string }[] = [];
  const own = asRecord(asRecord(object.metadata)?.annotations);
  if (own) sources.push({ annotations: own, path: 'metadata.annotations' });
  const pod = podSpecUnderCheck(object);
  if (pod && object.kind !== 'Pod') {
    const template = asRecord(pod.metadata.annotations);
    const templatePath = pod.path.replace(/\.spec$/, '.metadata.annotations');
    if (template) sources.push({ annotations: template, path: templatePath });
  }
  return sources;
}

/**
 * Reads the suppression annotations of an object: `ignore-check.cdk8s-hardened.io/<rule-id>`
 * holds the reason (at least 10 visible characters: letters, digits, punctuation) and the optional
 * `ignore-check-expires.cdk8s-hardened.io/<rule-id>` a `YYYY-MM-DD` date; the suppression holds
 * through that day (UTC). Annotations on a controller's pod template count as the object's own.
 * A suppression that is invalid or expired does not apply and comes back as a problem.
 *
 * @param isKnownRule whether a rule id names a suppressible rule
 */
export function readSuppressions(object: KubeObject, now: Date, isKnownRule: (id: string) => boolean): ObjectSuppressions {
  // most objects carry no suppression: say so before building anything.
  const own = asRecord(asRecord(object.metadata)?.annotations);
  if (!holdsSuppressionKey(own) && !holdsSuppressionKey(asRecord(podSpecUnderCheck(object)?.metadata.annotations))) return NONE;
  const sources = annotationSources(object);
  if (sources.length === 0) return NONE;
  const today = now.toISOString().slice(0, 10);
  const active = new Map<string, ActiveSuppression>();
  const problems: SuppressionProblem[] = [];
  const invalid = (targetRuleId: string, path: string, message: string) =>
    problems.push({ ruleId: RuleIds.SUPPRESSION_INVALID, targetRuleId, path, message });

  for (const { annotations, path } of sources) {
    for (const [key, value] of Object.entries(annotations)) {
      if (key.startsWith(SUPPRESSION_EXPIRY_ANNOTATION_PREFIX)) {
        const ruleId = key.slice(SUPPRESSION_EXPIRY_ANNOTATION_PREFIX.length);
        if (!((SUPPRESSION_ANNOTATION_PREFIX + ruleId) in annotations)) {
          invalid(ruleId, fieldPath(path, key), `suppression expiry for ${JSON.stringify(ruleId)} has no ${SUPPRESSION_ANNOTATION_PREFIX}${ruleId} reason beside it`);
        }
        continue;
      }
      if (!key.startsWith(SUPPRESSION_ANNOTATION_PREFIX)) continue;
      const ruleId = key.slice(SUPPRESSION_ANNOTATION_PREFIX.length);
      const annotationPath = fieldPath(path, key);
      if (!isKnownRule(ruleId)) {
        invalid(ruleId, annotationPath, `suppression names ${JSON.stringify(ruleId)}, which is not a rule that can be suppressed`);
        continue;
      }
      if (!isUsableReason(value)) {
        invalid(ruleId, annotationPath, `suppression of ${ruleId} has reason ${quoteReason(value)}: give at least ${MIN_REASON_LENGTH} visible characters (letters, digits, punctuation) that say why the rule cannot hold`);
        continue;
      }
      const reason = value.trim();
      const expiryKey = SUPPRESSION_EXPIRY_ANNOTATION_PREFIX + ruleId;
      const expires = annotations[expiryKey];
      if (expires !== undefined) {
        const expiryPath = fieldPath(path, expiryKey);
        if (typeof expires !== 'string' || !isIsoDate(expires)) {
          invalid(ruleId, expiryPath, `suppression of ${ruleId} expires ${JSON.stringify(expires)}: write the date as YYYY-MM-DD`);
          continue;
        }
        if (today > expires) {
          problems.push({ ruleId: RuleIds.SUPPRESSION_EXPIRED, targetRuleId: ruleId, path: expiryPath, message: `suppression of ${ruleId} expired on ${expires} (reason: ${reason})` });
          continue;
        }
      }
      if (!active.has(ruleId)) active.set(ruleId, { ruleId, reason, path: annotationPath, ...(typeof expires === 'string' ? { expires } : {}) });
    }
  }
  return { active, problems };
}
