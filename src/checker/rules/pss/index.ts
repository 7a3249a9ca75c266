import { pssAllowPrivilegeEscalation } from './pss-allow-privilege-escalation';
import { pssAppArmorProfile } from './pss-app-armor-profile';
import { pssCapabilitiesBaseline } from './pss-capabilities-baseline';
import { pssCapabilitiesRestricted } from './pss-capabilities-restricted';
import { pssHostNamespaces } from './pss-host-namespaces';
import { pssHostPathVolumes } from './pss-host-path-volumes';
import { pssHostPorts } from './pss-host-ports';
import { pssPrivileged } from './pss-privileged';
import { pssProcMount } from './pss-proc-mount';
import { pssRestrictedVolumes } from './pss-restricted-volumes';
import { pssRunAsNonRoot } from './pss-run-as-non-root';
import { pssRunAsUser } from './pss-run-as-user';
import { pssSeLinuxOptions } from './pss-se-linux-options';
import { pssSeccompProfileBaseline } from './pss-seccomp-profile-baseline';
import { pssSeccompProfileRestricted } from './pss-seccomp-profile-restricted';
import { pssSysctls } from './pss-sysctls';
import { pssWindowsHostProcess } from './pss-windows-host-process';
import type { Rule } from '../../types';

export {
  pssAllowPrivilegeEscalation, pssAppArmorProfile, pssCapabilitiesBaseline, pssCapabilitiesRestricted, pssHostNamespaces,
  pssHostPathVolumes, pssHostPorts, pssPrivileged, pssProcMount, pssRestrictedVolumes, pssRunAsNonRoot, pssRunAsUser,
  pssSeLinuxOptions, pssSeccompProfileBaseline, pssSeccompProfileRestricted, pssSysctls, pssWindowsHostProcess,
};

/** the 11 baseline checks, as PSA evaluates `level: baseline`. */
export const PSS_BASELINE_RULES: readonly Rule[] = [
  pssWindowsHostProcess, pssHostNamespaces, pssPrivileged, pssCapabilitiesBaseline, pssHostPathVolumes, pssHostPorts,
  pssAppArmorProfile, pssSeLinuxOptions, pssProcMount, pssSeccompProfileBaseline, pssSysctls,
];

/** the 6 checks only the restricted level adds. */
export const PSS_RESTRICTED_ONLY_RULES: readonly Rule[] = [
  pssRestrictedVolumes, pssAllowPrivilegeEscalation, pssRunAsNonRoot, pssRunAsUser, pssSeccompProfileRestricted,
  pssCapabilitiesRestricted,
];

/** baseline checks that a restricted check replaces at the restricted level, keyed by the replacing rule's id. */
export const PSS_RESTRICTED_OVERRIDES: Readonly<Record<string, Rule>> = {
  [pssRestrictedVolumes.id]: pssHostPathVolumes,
  [pssSeccompProfileRestricted.id]: pssSeccompProfileBaseline,
  [pssCapabilitiesRestricted.id]: pssCapabilitiesBaseline,
};

/** every Pod Security Standards v1.28 rule, one per PSA check. */
export const PSS_RULES: readonly Rule[] = [...PSS_BASELINE_RULES, ...PSS_RESTRICTED_ONLY_RULES];

/** the restricted level: baseline plus the restricted checks, with restricted's overrides applied (14 rules). */
export const PSS_RESTRICTED_RULES: readonly Rule[] = [
  ...PSS_BASELINE_RULES.filter((rule) => !Object.values(PSS_RESTRICTED_OVERRIDES).includes(rule)),
  ...PSS_RESTRICTED_ONLY_RULES,
];
