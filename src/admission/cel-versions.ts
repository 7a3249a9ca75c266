/**
 * Which CEL functions a Kubernetes API server accepts in a new or changed ValidatingAdmissionPolicy
 * expression, by minor version. The server compiles new expressions against the library set of the
 * previous minor (the compatibility version), so a library introduced in 1.N is usable from 1.N+1
 * (kubernetes/apiserver pkg/cel/environment/base.go; see docs/admission.md).
 */

/** the oldest minor the generated policies target: ValidatingAdmissionPolicy is beta (v1beta1) there. */
export const MIN_KUBERNETES_MINOR = 28;
/** the first minor that serves `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy. */
export const V1_KUBERNETES_MINOR = 30;
/** the last minor that serves v1beta1 (removed in 1.34, deprecated from 1.31). */
export const LAST_V1BETA1_KUBERNETES_MINOR = 33;

/** operators and core functions: usable in every version. */
const CORE = [
  '_&&_', '_||_', '!_', '-_', '_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_', '_+_', '_-_', '_*_', '_/_', '_%_', '_?_:_', '_[_]',
  '@in', '@not_strictly_false', 'size', 'type', 'int', 'uint', 'double', 'string', 'bool', 'bytes', 'dyn', 'duration', 'timestamp',
  'matches', 'startsWith', 'endsWith', 'contains',
  'getDate', 'getDayOfMonth', 'getDayOfWeek', 'getDayOfYear', 'getFullYear', 'getHours', 'getMilliseconds', 'getMinutes', 'getMonth', 'getSeconds',
];

/** ext.Strings v0, the Kubernetes URL, regex and list libraries: in every version with VAP. */
const ALWAYS = [
  'charAt', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'replace', 'split', 'substring', 'trim', 'join',
  'url', 'isURL', 'getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath', 'getQuery',
  'find', 'findAll', 'isSorted', 'sum', 'min', 'max',
];

/** the first minor whose API server accepts each later function in a new expression. */
export const CEL_FUNCTION_FLOOR: Readonly<Record<string, number>> = {
  ...Object.fromEntries([...CORE, ...ALWAYS].map((name) => [name, MIN_KUBERNETES_MINOR])),
  // authz (1.27)
  ...Object.fromEntries(['check', 'allowed', 'reason', 'errored', 'path', 'group', 'resource', 'subresource', 'namespace', 'name', 'serviceAccount'].map((name) => [name, 28])),
  // optionals, quantity, cross-type numeric comparisons (1.28)
  ...Object.fromEntries(['optional.of', 'optional.none', 'optional.ofNonZeroValue', 'hasValue', 'value', 'or', 'orValue', '_?._', '_[?_]',
    'quantity', 'isQuantity', 'isInteger', 'asInteger', 'asApproximateFloat', 'sign', 'add', 'sub', 'isLessThan', 'isGreaterThan', 'compareTo'].map((name) => [name, 29])),
  // ext.Strings v2, sets (1.29)
  ...Object.fromEntries(['format', 'strings.quote', 'sets.contains', 'sets.equivalent', 'sets.intersects'].map((name) => [name, 30])),
  // ip and cidr (1.30)
  ...Object.fromEntries(['ip', 'isIP', 'ip.isCanonical', 'family', 'isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast', 'isGlobalUnicast',
    'cidr', 'isCIDR', 'containsIP', 'containsCIDR', 'masked', 'prefixLength'].map((name) => [name, 31])),
  // format library (1.31), semver (1.33), ext.Lists v3 (1.34)
  ...Object.fromEntries(['validate'].map((name) => [name, 32])),
  ...Object.fromEntries(['semver', 'isSemver', 'major', 'minor', 'patch'].map((name) => [name, 34])),
  ...Object.fromEntries(['slice', 'flatten', 'sort', 'sortBy', 'distinct', 'lists.range', 'reverse'].map((name) => [name, 35])),
};

/** the minor of a `1.N` version string; throws naming the prop for anything else. */
export function kubernetesMinorOf(version: string, prop: string): number {
  const match = /^1\.(\d+)$/.exec(version);
  if (!match) throw new Error(`${prop} is ${JSON.stringify(version)}: write the Kubernetes version as 1.<minor>, for example 1.30`);
  const minor = Number(match[1]);
  if (minor < MIN_KUBERNETES_MINOR) {
    throw new Error(`${prop} is ${JSON.stringify(version)}: ValidatingAdmissionPolicy needs Kubernetes 1.28 or later (beta, behind the ValidatingAdmissionPolicy feature gate, up to 1.29)`);
  }
  return minor;
}
