/**
 * Typed exceptions to secure defaults.
 *
 * Every weakening needs a reason, and is written to the emitted object as a suppression
 * annotation the checker understands, so a reviewer sees it in the YAML diff:
 *
 *   ignore-check.cdk8s-hardened.io/<rule-id>: "<reason>"
 *   ignore-check-expires.cdk8s-hardened.io/<rule-id>: "YYYY-MM-DD"   (optional)
 */

/** annotation key prefix of a suppression: `<prefix><rule-id>` holds the reason. */
export const SUPPRESSION_ANNOTATION_PREFIX = 'ignore-check.cdk8s-hardened.io/';
/** annotation key prefix of a suppression's expiry date: `<prefix><rule-id>` holds `YYYY-MM-DD`. */
export const SUPPRESSION_EXPIRY_ANNOTATION_PREFIX = 'ignore-check-expires.cdk8s-hardened.io/';
/**
 * annotation key prefix of a reasoned declaration that is not a rule suppression (a namespace
 * hardened elsewhere, a system namespace, node tolerations): `<prefix><name>` holds the reason.
 */
export const DECLARATION_ANNOTATION_PREFIX = 'declared.cdk8s-hardened.io/';
/** the shortest reason accepted for an exception or suppression, in visible characters. */
export const MIN_REASON_LENGTH = 10;

/** a character that carries meaning on its own: a Unicode letter, digit or punctuation mark. */
const VISIBLE = /[\p{L}\p{N}\p{P}]/gu;

/**
 * How many visible characters a reason has: Unicode letters, digits and punctuation. Spaces,
 * zero-width and other format characters (U+200B, U+2060, U+FEFF...), control characters,
 * combining marks and symbols do not count, so ten zero-width spaces are not a reason.
 */
export function visibleLength(text: string): number {
  return text.match(VISIBLE)?.length ?? 0;
}

/** a reason as JSON for error messages, with invisible (format) characters written as `\u200b` so they show. */
export function quoteReason(reason: unknown): string {
  const json = JSON.stringify(reason) ?? String(reason);
  return json.replace(/[\p{Cf}\u0085\u2028\u2029]/gu, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The same test as an RE2 (and JavaScript `u`) pattern, for CEL `matches` in admission twins:
 * at least `MIN_REASON_LENGTH` letters, digits or punctuation marks, anything between them.
 */
export const VISIBLE_REASON_PATTERN = `^(?:[^\\p{L}\\p{N}\\p{P}]*[\\p{L}\\p{N}\\p{P}]){${MIN_REASON_LENGTH}}`;

/** true when `reason` is a string with at least `MIN_REASON_LENGTH` visible characters. */
export function isUsableReason(reason: unknown): reason is string {
  return typeof reason === 'string' && visibleLength(reason) >= MIN_REASON_LENGTH;
}

/**
 * An explicit, reasoned exception to one secure default.
 */
export interface SecurityException {
  /**
   * Why the secure default cannot hold here; at least 10 characters. Written to the YAML.
   */
  readonly reason: string;
  /**
   * The date (`YYYY-MM-DD`) after which the checker reports the exception as expired.
   *
   * @default - never expires
   */
  readonly expires?: string;
}

/**
 * An exception that must end: the reason and an expiry date are both required. Used where the
 * library knowingly emits something dangerous (a privileged namespace for a CIS scan).
 */
export interface ExpiringSecurityException extends SecurityException {
  /** the last day (`YYYY-MM-DD`, UTC) the exception holds; synth fails after it. */
  readonly expires: string;
}

/** today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Checks an exception that must carry an expiry, and fails once that date has passed, so an
 * exception nobody renewed stops being deployed instead of lingering.
 *
 * @param today the date to compare with, `YYYY-MM-DD`
 */
export function validateExpiringException(prop: string, exception: ExpiringSecurityException, today: string): void {
  validateException(prop, exception);
  if (exception.expires === undefined) {
    throw new Error(`${prop}.expires is missing: this exception must end; give the last day it holds as YYYY-MM-DD (e.g. three months ahead) and renew it with a fresh reason when it runs out`);
  }
  if (!isIsoDate(today)) throw new Error(`today is ${JSON.stringify(today)}: use a calendar date in the form YYYY-MM-DD`);
  if (today > exception.expires) {
    throw new Error(`${prop} expired on ${exception.expires} (today is ${today}; reason was ${quoteReason(exception.reason.trim())}): review whether it is still needed, then set a new expires date, or remove what it allows`);
  }
}

/**
 * Checks an exception and returns its suppression annotations for the given rule ids.
 *
 * @param prop the prop path that carried the exception, named in error messages
 */
export function exceptionAnnotations(prop: string, exception: SecurityException, ruleIds: readonly string[]): Record<string, string> {
  validateException(prop, exception);
  const annotations: Record<string, string> = {};
  for (const ruleId of ruleIds) {
    annotations[SUPPRESSION_ANNOTATION_PREFIX + ruleId] = exception.reason.trim();
    if (exception.expires !== undefined) {
      annotations[SUPPRESSION_EXPIRY_ANNOTATION_PREFIX + ruleId] = exception.expires;
    }
  }
  return annotations;
}

/** throws when an exception has no usable reason or a malformed expiry date. */
export function validateException(prop: string, exception: SecurityException): void {
  if (!isUsableReason(exception?.reason)) {
    throw new Error(`${prop}.reason is ${quoteReason(exception?.reason)}: an exception needs a reason of at least ${MIN_REASON_LENGTH} characters that says why the secure default cannot hold (counting letters, digits and punctuation; spaces, zero-width and format characters do not count)`);
  }
  if (exception.expires !== undefined && !isIsoDate(exception.expires)) {
    throw new Error(`${prop}.expires is ${JSON.stringify(exception.expires)}: use a calendar date in the form YYYY-MM-DD`);
  }
}

/** true for a real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** checks a reasoned declaration and returns its annotation (`declared.cdk8s-hardened.io/<name>: <reason>`). */
export function declarationAnnotation(prop: string, name: string, exception: SecurityException): Record<string, string> {
  validateException(prop, exception);
  return { [DECLARATION_ANNOTATION_PREFIX + name]: exception.reason.trim() };
}
