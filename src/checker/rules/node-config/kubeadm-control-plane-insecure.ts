import { cisSuffix, nodeConfigOf } from './node-config-helpers';
import { appliesTo, ControlPlaneComponent, FORBIDDEN_FLAGS, SECURE_FLAGS, SecureFlag } from '../../../model/control-plane-settings';
import { RuleIds } from '../../../model/rule-ids';
import { asArray, asRecord } from '../../pod-spec';
import type { KubeObject, Rule, Violation } from '../../types';

/** where each component's flags sit in a ClusterConfiguration. */
const SECTIONS: Record<ControlPlaneComponent, string> = {
  'kube-apiserver': 'apiServer',
  'kube-controller-manager': 'controllerManager',
  'kube-scheduler': 'scheduler',
  'etcd': 'etcd.local',
};

/** `extraArgs` as a map: v1beta3 writes a map, v1beta4 a list of {name, value} (a later duplicate wins). */
function argsOf(object: KubeObject, section: string): Map<string, string> | undefined {
  let node: unknown = object;
  for (const part of section.split('.')) node = asRecord(node)?.[part];
  if (section === 'etcd.local' && node === undefined) return undefined;
  const extra = asRecord(node)?.extraArgs;
  const args = new Map<string, string>();
  if (Array.isArray(extra)) {
    for (const item of asArray(extra)) {
      const entry = asRecord(item);
      if (typeof entry?.name === 'string') args.set(entry.name, String(entry.value ?? ''));
    }
  } else {
    for (const [name, value] of Object.entries(asRecord(extra) ?? {})) args.set(name, String(value));
  }
  return args;
}

/** the Kubernetes version a ClusterConfiguration installs, `1.<minor>`; the newest rules apply when it cannot be read. */
function versionOf(object: KubeObject): string {
  const match = /1\.(\d+)/.exec(String(object.kubernetesVersion ?? ''));
  return match ? `1.${match[1]}` : '1.99';
}

function judge(flag: SecureFlag, value: string | undefined): string | undefined {
  const need = { present: 'a path', equals: JSON.stringify(flag.value), contains: flag.value, atLeast: `at least ${flag.value}`, subsetOf: 'strong suites only' }[flag.match];
  if (value === undefined || value.trim() === '') return `is not set (needs ${need})`;
  switch (flag.match) {
    case 'present': return undefined;
    case 'equals': return value === flag.value ? undefined : `is ${JSON.stringify(value)}, not ${need}`;
    case 'contains': return value.split(',').map((part) => part.trim()).includes(flag.value) ? undefined : `is ${JSON.stringify(value)}, without ${need}`;
    case 'atLeast': return Number(value) >= Number(flag.value) ? undefined : `is ${JSON.stringify(value)}, not ${need}`;
    case 'subsetOf': {
      const allowed = flag.value.split(',');
      const weak = value.split(',').map((part) => part.trim()).filter((part) => part !== '' && !allowed.includes(part));
      return weak.length > 0 ? `allows ${weak.join(', ')}` : undefined;
    }
  }
}

/**
 * Flags a kubeadm ClusterConfiguration whose control plane runs without a CIS-required setting:
 * each secure flag is read from `extraArgs` (map or list), falling back to what kubeadm or the
 * component uses when it is absent, for the Kubernetes version the file installs. Flags that
 * must never be set (a static token file) are flagged too.
 */
export const kubeadmControlPlaneInsecureRule: Rule = {
  id: RuleIds.KUBEADM_CONTROL_PLANE_INSECURE,
  title: 'kubeadm control plane without a CIS setting',
  description: 'Indicates when a kubeadm ClusterConfiguration leaves the API server, controller manager, scheduler or local etcd without a CIS-required flag (profiling, audit, encryption, admission, bind address, certificate auth and others).',
  severity: 'error',
  remediation: 'Set the named flag in the component\'s extraArgs, as KubeadmConfiguration in cdk8s-hardened writes it, and mount the files it names.',
  references: {
    cis: ['1.2.1', '1.2.2', '1.2.5', '1.2.7', '1.2.8', '1.2.15', '1.2.16', '1.2.17', '1.2.18', '1.2.28', '1.3.2', '1.3.7', '1.4.1', '2.2', '2.3', '3.2.1'],
    links: ['https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/'],
  },
  kinds: ['ClusterConfiguration'],
  check(object) {
    if (!nodeConfigOf(object, 'ClusterConfiguration')) return [];
    const version = versionOf(object);
    const violations: Violation[] = [];
    const apiArgs = argsOf(object, SECTIONS['kube-apiserver'])!;
    for (const flag of SECURE_FLAGS) {
      if (flag.cis.length === 0 || !appliesTo(flag.kubernetes, version)) continue;
      // the structured authentication file replaces the flag: the API server refuses both.
      if (flag.flag === 'anonymous-auth' && apiArgs.has('authentication-config')) continue;
      const args = argsOf(object, SECTIONS[flag.component]);
      if (args === undefined) continue;
      const problem = judge(flag, args.get(flag.flag) ?? flag.kubeadmDefault);
      if (problem !== undefined) {
        violations.push({ message: `${flag.component} --${flag.flag} ${problem}: ${flag.why}${cisSuffix(flag.cis)}`, path: `${SECTIONS[flag.component]}.extraArgs` });
      }
    }
    for (const forbidden of FORBIDDEN_FLAGS) {
      if (argsOf(object, SECTIONS[forbidden.component])?.has(forbidden.flag)) {
        violations.push({ message: `${forbidden.component} --${forbidden.flag} is set: ${forbidden.why}${cisSuffix(forbidden.cis)}`, path: `${SECTIONS[forbidden.component]}.extraArgs` });
      }
    }
    return violations;
  },
};
