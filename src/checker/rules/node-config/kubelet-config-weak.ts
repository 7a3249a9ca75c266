import { cisSuffix, kubeletCis, kubeletValue, nodeConfigOf, valueAt } from './node-config-helpers';
import { STRONG_TLS_CIPHER_SUITES } from '../../../model/control-plane-settings';
import { RuleIds } from '../../../model/rule-ids';
import { asArray } from '../../pod-spec';
import type { Rule, Violation } from '../../types';

const truthy = (value: unknown) => value === true || String(value).toLowerCase() === 'true';

/**
 * Flags a KubeletConfiguration that leaves out hardening: certificate rotation and CA-signed
 * serving certificates, a streaming idle timeout, iptables chains, strong ciphers, a PID limit,
 * protectKernelDefaults, seccompDefault, an event rate limit.
 */
export const kubeletConfigWeakRule: Rule = {
  id: RuleIds.KUBELET_CONFIG_WEAK,
  title: 'Kubelet hardening missing',
  description: 'Indicates when a KubeletConfiguration does not rotate certificates, has no PID limit, allows weak TLS ciphers, or leaves protectKernelDefaults, seccompDefault or other hardening off.',
  severity: 'warning',
  remediation: 'Set rotateCertificates and serverTLSBootstrap, a podPidsLimit, strong tlsCipherSuites, protectKernelDefaults, seccompDefault, makeIPTablesUtilChains and a non-zero streamingConnectionIdleTimeout and eventRecordQPS (KubeletConfiguration in cdk8s-hardened writes them).',
  references: {
    cis: ['4.2.5', '4.2.6', '4.2.8', '4.2.10', '4.2.11', '4.2.12', '4.2.13'],
    links: ['https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/'],
  },
  kinds: ['KubeletConfiguration'],
  check(object) {
    if (!nodeConfigOf(object, 'KubeletConfiguration')) return [];
    const violations: Violation[] = [];
    const off = (path: string, what: string) => {
      if (!truthy(kubeletValue(object, path))) violations.push({ message: `${path} is not true: ${what}${cisSuffix(kubeletCis(path))}`, path });
    };
    off('rotateCertificates', 'the client certificate expires instead of being renewed');
    off('serverTLSBootstrap', 'the serving certificate is self-signed, so the API server cannot verify the kubelet');
    off('protectKernelDefaults', 'the kubelet changes kernel settings instead of refusing to start');
    off('seccompDefault', 'containers without a seccomp profile run unconfined');
    if (kubeletValue(object, 'makeIPTablesUtilChains') === false) violations.push({ message: `makeIPTablesUtilChains is false${cisSuffix(kubeletCis('makeIPTablesUtilChains'))}`, path: 'makeIPTablesUtilChains' });
    const timeout = valueAt(object, 'streamingConnectionIdleTimeout');
    if (timeout !== undefined && /^0+(\.0+)?(ns|us|µs|ms|s|m|h)?$/.test(String(timeout))) {
      violations.push({ message: `streamingConnectionIdleTimeout is ${JSON.stringify(timeout)}: idle exec and port-forward streams never close${cisSuffix(kubeletCis('streamingConnectionIdleTimeout'))}`, path: 'streamingConnectionIdleTimeout' });
    }
    if (Number(kubeletValue(object, 'eventRecordQPS')) === 0) violations.push({ message: `eventRecordQPS is 0: events are not rate-limited${cisSuffix(kubeletCis('eventRecordQPS'))}`, path: 'eventRecordQPS' });
    const pids = Number(kubeletValue(object, 'podPidsLimit'));
    if (!(pids > 0)) violations.push({ message: `podPidsLimit is ${pids}: one pod can exhaust the node's process IDs${cisSuffix(kubeletCis('podPidsLimit'))}`, path: 'podPidsLimit' });
    const ciphers = valueAt(object, 'tlsCipherSuites');
    if (ciphers === undefined) {
      violations.push({ message: `tlsCipherSuites is not set: Go's defaults include suites without forward secrecy${cisSuffix(kubeletCis('tlsCipherSuites'))}`, path: 'tlsCipherSuites' });
    } else {
      const weak = asArray(ciphers).map(String).filter((suite) => !STRONG_TLS_CIPHER_SUITES.includes(suite));
      if (weak.length > 0) violations.push({ message: `tlsCipherSuites allows ${weak.join(', ')}${cisSuffix(kubeletCis('tlsCipherSuites'))}`, path: 'tlsCipherSuites' });
    }
    return violations;
  },
};
