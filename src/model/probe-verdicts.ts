/**
 * The NetworkPolicyProbe's vocabulary: what each check expects, what `agnhost connect` can
 * observe, and the verdict of each pair. One table, read by the probe script generator (the
 * Job's own exit code) and by the offline report evaluator, so the two cannot disagree.
 */

/** the report format's identifier, on every line the probe writes. */
export const PROBE_REPORT_FORMAT = 'cdk8s-hardened.io/netpol-probe/v1';

/**
 * What a check expects:
 * - `connect`: a declared flow; the policies allow it and a listener answers;
 * - `blocked`: an undeclared flow to a Service; the policies drop it (a `REFUSED` here proves
 *   nothing: kube-proxy refuses for a Service without ready endpoints);
 * - `unreachable`: a direct address (a metadata endpoint); any answer, even a refusal, means the
 *   packet was not dropped; no route to it (`OTHER`) keeps it unreachable too;
 * - `refused`: the open canary's second port, allowed but with nothing listening: it tells
 *   "nothing listening" (`REFUSED`) from "dropped" (`TIMEOUT`) on this cluster.
 */
export type ProbeExpectation = 'connect' | 'blocked' | 'unreachable' | 'refused';

/**
 * What `agnhost connect` reported: exit 0 is `CONNECTED`; otherwise the fixed prefix it prints
 * on stderr (`TIMEOUT`, `REFUSED`, `DNS`, `OTHER`, `UNKNOWN`).
 */
export type ProbeObservation = 'CONNECTED' | 'TIMEOUT' | 'REFUSED' | 'DNS' | 'OTHER' | 'UNKNOWN';

/** the verdict of one check. */
export type ProbeVerdict = 'pass' | 'fail' | 'inconclusive';

export const PROBE_EXPECTATIONS: readonly ProbeExpectation[] = ['connect', 'blocked', 'unreachable', 'refused'];
export const PROBE_OBSERVATIONS: readonly ProbeObservation[] = ['CONNECTED', 'TIMEOUT', 'REFUSED', 'DNS', 'OTHER', 'UNKNOWN'];

/** per expectation, the observations that pass and those that fail; anything else is inconclusive. */
/** the observations that pass and those that fail one expectation. */
export interface ProbeVerdictRule {
  readonly pass: readonly ProbeObservation[];
  readonly fail: readonly ProbeObservation[];
}

export const PROBE_VERDICTS: Readonly<Record<ProbeExpectation, ProbeVerdictRule>> = {
  connect: { pass: ['CONNECTED'], fail: ['TIMEOUT'] },
  blocked: { pass: ['TIMEOUT'], fail: ['CONNECTED'] },
  // OTHER is "no route" (an IPv6 address on an IPv4-only cluster): unreachable either way.
  unreachable: { pass: ['TIMEOUT', 'OTHER'], fail: ['CONNECTED', 'REFUSED'] },
  refused: { pass: ['REFUSED'], fail: ['TIMEOUT'] },
};

/** the verdict of one check. */
export function probeVerdict(expected: ProbeExpectation, observed: ProbeObservation): ProbeVerdict {
  const entry = PROBE_VERDICTS[expected];
  if (entry.pass.includes(observed)) return 'pass';
  if (entry.fail.includes(observed)) return 'fail';
  return 'inconclusive';
}
