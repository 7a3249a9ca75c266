/**
 * Recognises credentials written as literals into manifests (env values, ConfigMap data): known
 * key formats, URLs that carry a password, private key blocks, and a high-entropy heuristic.
 *
 * Pure data and functions: the checker rules and the constructs read the same table.
 */

/** one well-known credential format. */
export interface SecretLiteralPattern {
  /** what the credential is, for messages: `AWS access key id`. */
  readonly name: string;
  /** matches the credential anywhere in a value (unanchored, no flags needed). */
  readonly pattern: RegExp;
}

/**
 * Formats with a fixed, documented prefix: a match is a credential, not a guess. The lengths
 * and alphabets follow the issuers' documentation (and gitleaks' rules for the same formats).
 */
export const SECRET_LITERAL_PATTERNS: readonly SecretLiteralPattern[] = [
  // AWS: long-term (AKIA) and temporary (ASIA) access key ids are 20 characters of base32 upper case.
  { name: 'AWS access key id', pattern: /(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Z2-7])/ },
  // GitHub: classic tokens ghp_/gho_/ghu_/ghs_/ghr_ with 36 characters, fine-grained github_pat_ with 82.
  { name: 'GitHub token', pattern: /(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}(?![A-Za-z0-9])/ },
  { name: 'GitHub fine-grained token', pattern: /github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/ },
  // GitLab personal access tokens.
  { name: 'GitLab personal access token', pattern: /glpat-[A-Za-z0-9_-]{20}(?![A-Za-z0-9_-])/ },
  // Slack bot, user, app-level and legacy tokens, and incoming webhooks.
  { name: 'Slack token', pattern: /xox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]{16,}/ },
  // Stripe secret and restricted keys, live and test mode.
  { name: 'Stripe secret key', pattern: /[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/ },
  // Google API keys.
  { name: 'Google API key', pattern: /AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/ },
  // npm access tokens.
  { name: 'npm access token', pattern: /npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/ },
  // PEM private keys of every algorithm, encrypted or not (a certificate is public and not matched).
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
];

/**
 * The high-entropy heuristic, tuned for few false positives. A token counts only when all hold:
 * - it is at least `MIN_LENGTH` characters of the base64/base64url alphabet (`A-Za-z0-9+/_-`,
 *   trailing `=` padding ignored), so words, paths, hostnames and version strings fall out;
 * - it mixes upper case, lower case and digits, so hex digests, UUIDs, git SHAs and
 *   lower-case generated names (`api-7d9f8c6b5-x2x9z`) fall out;
 * - its Shannon entropy reaches `entropyThreshold(length)`: `BASE_BITS` at `MIN_LENGTH`
 *   characters, rising by `BITS_PER_EXTRA_CHARACTER` per character up to `MAX_BITS`. That is
 *   below the 1st percentile of random base64 strings of each length (measured: 4.23 bits at 32
 *   characters, 4.47 at 40, 4.66 at 48, 4.92 at 64) and above long CamelCase identifiers such as
 *   Java class names (4.1 to 4.45 bits at 40 to 50 characters).
 *
 * Random strings shorter than 32 characters cannot be told from identifiers by entropy (a
 * 24-character random string and `ThisIsMyPassword1234567` both score about 4.2), so those are
 * left to the known formats.
 */
export const HIGH_ENTROPY = {
  MIN_LENGTH: 32,
  BASE_BITS: 4.2,
  BITS_PER_EXTRA_CHARACTER: 0.025,
  MAX_BITS: 4.8,
} as const;

/** the entropy, in bits per character, a token of `length` characters needs to count as random. */
export function entropyThreshold(length: number): number {
  const extra = Math.max(0, length - HIGH_ENTROPY.MIN_LENGTH);
  return Math.min(HIGH_ENTROPY.BASE_BITS + extra * HIGH_ENTROPY.BITS_PER_EXTRA_CHARACTER, HIGH_ENTROPY.MAX_BITS);
}

/** what a scan found in a value. */
export interface SecretLiteralMatch {
  /** the format (`AWS access key id`), `URL with password` or `high-entropy string`. */
  readonly kind: string;
  /** the match with everything but its first 4 characters masked, safe to print. */
  readonly preview: string;
}

/** Shannon entropy of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * The first 4 characters, then `...` and the length: never the credential itself. ASCII on
 * purpose: one non-ASCII character makes a report's whole text twice as large in memory and
 * slower to write.
 */
export function maskSecret(text: string): string {
  return `${text.slice(0, 4)}... (${text.length} characters)`;
}

/** a Kubernetes `$(VAR)` or shell/Flux `${VAR}` reference: the value comes from elsewhere. */
const REFERENCE = /\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\$\{[A-Za-z_][A-Za-z0-9_.:-]*\}/;
/** `scheme://user:password@host`: a password in a URL's userinfo. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:([^\s/?#@]+)@[^\s/?#@]/i;
const BASE64_TOKEN = /^[A-Za-z0-9+/_-]+$/;
/** what separates tokens in a free-form value: whitespace, quotes and the usual key/value punctuation. */
const TOKEN_SEPARATORS = /[\s"'`,;&=:|()[\]{}<>]+/;
/** public material that is random by nature: PEM certificates and public keys, SSH public keys. */
const PUBLIC_MATERIAL = [
  /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST|PGP PUBLIC KEY BLOCK)-----[\s\S]*?-----END [A-Z0-9 ]+-----/g,
  /(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+/g,
];
/** a Subresource Integrity or similar labelled digest: `sha256-<base64>`. */
const LABELLED_DIGEST = /^sha(?:1|256|384|512)-/i;

/** true when `token` passes every clause of the high-entropy heuristic. */
export function isHighEntropyToken(token: string): boolean {
  const body = token.replace(/=+$/, '');
  if (body.length < HIGH_ENTROPY.MIN_LENGTH || !BASE64_TOKEN.test(body)) return false;
  if (!/[A-Z]/.test(body) || !/[a-z]/.test(body) || !/[0-9]/.test(body)) return false;
  return shannonEntropy(body) >= entropyThreshold(body.length);
}

/**
 * The credentials a literal value holds: known formats first, then a password in a URL, then
 * high-entropy tokens. Values (and tokens) that are `$(VAR)`/`${VAR}` references, paths, URLs
 * without a password, labelled digests (`sha256-...`), PEM certificates and public keys, and SSH
 * public keys are never reported as high-entropy. Each kind is reported once per value.
 */
export function findSecretLiterals(value: string): readonly SecretLiteralMatch[] {
  if (typeof value !== 'string' || value.trim() === '') return NOTHING_FOUND;
  if (value.length > MAX_REMEMBERED_LENGTH) return scanValue(value);
  // the same values (`LOG_LEVEL: info`, a shared URL) repeat across workloads and namespaces.
  let found = SCANNED.get(value);
  if (found === undefined) {
    found = Object.freeze(scanValue(value));
    if (SCANNED.size >= MAX_REMEMBERED_VALUES) SCANNED.clear();
    SCANNED.set(value, found);
  }
  return found;
}

const NOTHING_FOUND: readonly SecretLiteralMatch[] = Object.freeze([]);
/** what the last scans found, by value: bounded, and only short values. */
const SCANNED = new Map<string, readonly SecretLiteralMatch[]>();
const MAX_REMEMBERED_VALUES = 4096;
const MAX_REMEMBERED_LENGTH = 512;

function scanValue(value: string): SecretLiteralMatch[] {
  const found: SecretLiteralMatch[] = [];
  for (const { name, pattern } of SECRET_LITERAL_PATTERNS) {
    const match = pattern.exec(value);
    if (match) found.push({ kind: name, preview: maskSecret(match[0]) });
  }
  if (found.length > 0) return found;
  const url = URL_WITH_PASSWORD.exec(value);
  if (url && !REFERENCE.test(url[1]) && !/^\*+$/.test(url[1])) {
    found.push({ kind: 'URL with password', preview: maskSecret(url[1]) });
    return found;
  }
  const scanned = PUBLIC_MATERIAL.reduce((text, pattern) => text.replace(pattern, ' '), value);
  for (const token of scanned.split(TOKEN_SEPARATORS)) {
    if (token.includes('$') || token.startsWith('/') || token.startsWith('./') || token.includes('//') || LABELLED_DIGEST.test(token)) continue;
    if (isHighEntropyToken(token)) {
      found.push({ kind: 'high-entropy string', preview: maskSecret(token) });
      break;
    }
  }
  return found;
}
