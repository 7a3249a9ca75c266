/**
 * What a kubeadm node looks like from the inside, derived from a kubeadm configuration file only:
 * the command lines kubeadm writes into the static pod manifests (its defaults, overridden flag by
 * flag by `extraArgs`, sorted by name as kubeadm sorts them), the kubelet's command line from the
 * kubeadm systemd drop-in, and the kubelet's config file after kubeadm's own defaulting. Defaults
 * follow kubeadm 1.28–1.32 (cmd/kubeadm/app/phases/controlplane/manifests.go, etcd/local.go,
 * componentconfigs/kubelet.go).
 */
import { stringify } from 'yaml';
import { CONTROL_PLANE_PATHS } from '../model/control-plane-settings';

/** a process kube-bench looks for, named as its `$<name>bin` variables name it. */
export type NodeProcess = 'apiserver' | 'controllermanager' | 'scheduler' | 'etcd' | 'kubelet' | 'proxy';

/** a node as kube-bench's audit commands would see it. */
export interface NodeView {
  /** command lines of the running processes (binary then flags), by kube-bench component. */
  readonly processes: Partial<Record<NodeProcess, string>>;
  /** file contents by absolute path on the node. */
  readonly files: Readonly<Record<string, string>>;
  /** values of kube-bench's `$<name>` file variables (`kubeletconf` and the like). */
  readonly variables: Readonly<Record<string, string>>;
  /** processes not on this node and why (external etcd, for example). */
  readonly absent: Partial<Record<NodeProcess, string>>;
}

type Doc = Record<string, unknown>;

const record = (value: unknown): Doc => (value !== null && typeof value === 'object' && !Array.isArray(value) ? value as Doc : {});

/** `extraArgs` in either kubeadm shape: a map (v1beta3) or a list of `{name, value}` (v1beta4). */
export function extraArgsOf(value: unknown): Map<string, string> {
  const args = new Map<string, string>();
  if (Array.isArray(value)) {
    for (const item of value) {
      const entry = record(item);
      if (typeof entry.name === 'string') args.set(entry.name, String(entry.value ?? ''));
    }
  } else {
    for (const [name, item] of Object.entries(record(value))) args.set(name, String(item));
  }
  return args;
}

function commandLine(binary: string, defaults: Record<string, string>, overrides: Map<string, string>): string {
  const merged = new Map(Object.entries(defaults));
  for (const [name, value] of overrides) merged.set(name, value);
  const flags = [...merged.keys()].sort().map((name) => `--${name}=${merged.get(name)}`);
  return [binary, ...flags].join(' ');
}

/** the kubelet config file as kubeadm writes it: kubeadm's defaults under the user's document. */
function kubeletConfigAsWritten(kubelet: Doc | undefined, clusterDomain: string, dnsIp: string): Doc {
  const defaults: Doc = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true, cacheTTL: '0s' },
      x509: { clientCAFile: CONTROL_PLANE_PATHS.caCertificate },
    },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
    cgroupDriver: 'systemd',
    clusterDNS: [dnsIp],
    clusterDomain,
    healthzBindAddress: '127.0.0.1',
    rotateCertificates: true,
    staticPodPath: '/etc/kubernetes/manifests',
  };
  const merge = (base: Doc, over: Doc): Doc => {
    const out: Doc = { ...base };
    for (const [key, value] of Object.entries(over)) {
      out[key] = value !== null && typeof value === 'object' && !Array.isArray(value) && typeof base[key] === 'object' && base[key] !== null && !Array.isArray(base[key])
        ? merge(base[key] as Doc, value as Doc) : value;
    }
    return out;
  };
  return merge(defaults, kubelet ?? {});
}

/** the tenth address of a service subnet such as `10.96.0.0/12` (kubeadm's cluster DNS address). */
function dnsAddress(serviceSubnet: string): string {
  const [address] = serviceSubnet.split(',')[0].split('/');
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part))) return '10.96.0.10';
  parts[3] += 10;
  return parts.join('.');
}

/**
 * The node kubeadm would build from `documents` (the parsed kubeadm config file), with `files` (the
 * node files by their path on the node) in place. Throws when there is no ClusterConfiguration.
 */
export function nodeViewFromKubeadm(documents: readonly Doc[], files: Readonly<Record<string, string>> = {}): NodeView {
  const isKubeadm = (doc: Doc, kind: string) => doc.kind === kind && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith('kubeadm.k8s.io/');
  const cluster = documents.find((doc) => isKubeadm(doc, 'ClusterConfiguration'));
  if (cluster === undefined) throw new Error('no kubeadm ClusterConfiguration (apiVersion kubeadm.k8s.io/v1beta3 or v1beta4) in the input');
  const init = documents.find((doc) => isKubeadm(doc, 'InitConfiguration')) ?? {};
  const kubelet = documents.find((doc) => doc.kind === 'KubeletConfiguration' && String(doc.apiVersion).startsWith('kubelet.config.k8s.io/'));
  const networking = record(cluster.networking);
  const serviceSubnet = String(networking.serviceSubnet ?? '10.96.0.0/12');
  const clusterDomain = String(networking.dnsDomain ?? 'cluster.local');
  const endpoint = record(init.localAPIEndpoint);
  const advertise = String(endpoint.advertiseAddress ?? '192.0.2.10');
  const bindPort = String(endpoint.bindPort ?? 6443);
  const etcd = record(cluster.etcd);
  const external = etcd.external !== undefined ? record(etcd.external) : undefined;
  const local = record(etcd.local);
  const pki = '/etc/kubernetes/pki';

  const apiServerDefaults: Record<string, string> = {
    'advertise-address': advertise,
    'allow-privileged': 'true',
    'authorization-mode': 'Node,RBAC',
    'client-ca-file': `${pki}/ca.crt`,
    'enable-admission-plugins': 'NodeRestriction',
    'enable-bootstrap-token-auth': 'true',
    'kubelet-client-certificate': `${pki}/apiserver-kubelet-client.crt`,
    'kubelet-client-key': `${pki}/apiserver-kubelet-client.key`,
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    'proxy-client-cert-file': `${pki}/front-proxy-client.crt`,
    'proxy-client-key-file': `${pki}/front-proxy-client.key`,
    'requestheader-allowed-names': 'front-proxy-client',
    'requestheader-client-ca-file': `${pki}/front-proxy-ca.crt`,
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'secure-port': bindPort,
    'service-account-issuer': `https://kubernetes.default.svc.${clusterDomain}`,
    'service-account-key-file': `${pki}/sa.pub`,
    'service-account-signing-key-file': `${pki}/sa.key`,
    'service-cluster-ip-range': serviceSubnet,
    'tls-cert-file': `${pki}/apiserver.crt`,
    'tls-private-key-file': `${pki}/apiserver.key`,
  };
  if (external !== undefined) {
    const endpoints = Array.isArray(external.endpoints) ? external.endpoints.map(String) : [];
    apiServerDefaults['etcd-servers'] = endpoints.join(',');
    if (external.caFile !== undefined) apiServerDefaults['etcd-cafile'] = String(external.caFile);
    if (external.certFile !== undefined) apiServerDefaults['etcd-certfile'] = String(external.certFile);
    if (external.keyFile !== undefined) apiServerDefaults['etcd-keyfile'] = String(external.keyFile);
  } else {
    apiServerDefaults['etcd-servers'] = 'https://127.0.0.1:2379';
    apiServerDefaults['etcd-cafile'] = `${pki}/etcd/ca.crt`;
    apiServerDefaults['etcd-certfile'] = `${pki}/apiserver-etcd-client.crt`;
    apiServerDefaults['etcd-keyfile'] = `${pki}/apiserver-etcd-client.key`;
  }
  const controllerManagerDefaults: Record<string, string> = {
    'authentication-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'authorization-kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'bind-address': '127.0.0.1',
    'client-ca-file': `${pki}/ca.crt`,
    'cluster-name': String(cluster.clusterName ?? 'kubernetes'),
    'cluster-signing-cert-file': `${pki}/ca.crt`,
    'cluster-signing-key-file': `${pki}/ca.key`,
    'controllers': '*,bootstrapsigner,tokencleaner',
    'kubeconfig': '/etc/kubernetes/controller-manager.conf',
    'leader-elect': 'true',
    'requestheader-client-ca-file': `${pki}/front-proxy-ca.crt`,
    'root-ca-file': `${pki}/ca.crt`,
    'service-account-private-key-file': `${pki}/sa.key`,
    'use-service-account-credentials': 'true',
  };
  if (networking.podSubnet !== undefined) {
    controllerManagerDefaults['allocate-node-cidrs'] = 'true';
    controllerManagerDefaults['cluster-cidr'] = String(networking.podSubnet);
  }
  const schedulerDefaults: Record<string, string> = {
    'authentication-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'authorization-kubeconfig': '/etc/kubernetes/scheduler.conf',
    'bind-address': '127.0.0.1',
    'kubeconfig': '/etc/kubernetes/scheduler.conf',
    'leader-elect': 'true',
  };
  const nodeName = String(record(init.nodeRegistration).name ?? 'control-plane-1');
  const etcdDefaults: Record<string, string> = {
    'advertise-client-urls': `https://${advertise}:2379`,
    'cert-file': `${pki}/etcd/server.crt`,
    'client-cert-auth': 'true',
    'data-dir': String(local.dataDir ?? '/var/lib/etcd'),
    'experimental-initial-corrupt-check': 'true',
    'experimental-watch-progress-notify-interval': '5s',
    'initial-advertise-peer-urls': `https://${advertise}:2380`,
    'initial-cluster': `${nodeName}=https://${advertise}:2380`,
    'key-file': `${pki}/etcd/server.key`,
    'listen-client-urls': `https://127.0.0.1:2379,https://${advertise}:2379`,
    'listen-metrics-urls': 'http://127.0.0.1:2381',
    'listen-peer-urls': `https://${advertise}:2380`,
    'name': nodeName,
    'peer-cert-file': `${pki}/etcd/peer.crt`,
    'peer-client-cert-auth': 'true',
    'peer-key-file': `${pki}/etcd/peer.key`,
    'peer-trusted-ca-file': `${pki}/etcd/ca.crt`,
    'snapshot-count': '10000',
    'trusted-ca-file': `${pki}/etcd/ca.crt`,
  };

  const processes: Partial<Record<NodeProcess, string>> = {
    apiserver: commandLine('kube-apiserver', apiServerDefaults, extraArgsOf(record(cluster.apiServer).extraArgs)),
    controllermanager: commandLine('kube-controller-manager', controllerManagerDefaults, extraArgsOf(record(cluster.controllerManager).extraArgs)),
    scheduler: commandLine('kube-scheduler', schedulerDefaults, extraArgsOf(record(cluster.scheduler).extraArgs)),
  };
  const absent: Partial<Record<NodeProcess, string>> = { proxy: 'kube-proxy runs as a DaemonSet pod, not from these files' };
  if (external === undefined) processes.etcd = commandLine('etcd', etcdDefaults, extraArgsOf(local.extraArgs));
  else absent.etcd = 'external etcd: it does not run on this node, audit it where it runs';
  const kubeletArgs = extraArgsOf(record(init.nodeRegistration).kubeletExtraArgs);
  const kubeletFlags = [
    '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
    '--kubeconfig=/etc/kubernetes/kubelet.conf',
    `--config=${CONTROL_PLANE_PATHS.kubeletConfiguration}`,
    '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
    ...[...kubeletArgs.keys()].sort().map((name) => `--${name}=${kubeletArgs.get(name)}`),
  ];
  processes.kubelet = ['/usr/bin/kubelet', ...kubeletFlags].join(' ');
  const kubeletConfig = stringify(kubeletConfigAsWritten(kubelet, clusterDomain, dnsAddress(serviceSubnet)), { lineWidth: 0 });
  return {
    processes,
    files: { ...files, [CONTROL_PLANE_PATHS.kubeletConfiguration]: kubeletConfig },
    variables: {
      kubeletconf: CONTROL_PLANE_PATHS.kubeletConfiguration,
      kubeletsvc: '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf',
      kubeletkubeconfig: '/etc/kubernetes/kubelet.conf',
      kubeletcafile: CONTROL_PLANE_PATHS.caCertificate,
      apiserverconf: '/etc/kubernetes/manifests/kube-apiserver.yaml',
      controllermanagerconf: '/etc/kubernetes/manifests/kube-controller-manager.yaml',
      schedulerconf: '/etc/kubernetes/manifests/kube-scheduler.yaml',
      etcdconf: '/etc/kubernetes/manifests/etcd.yaml',
      etcddatadir: String(local.dataDir ?? '/var/lib/etcd'),
      schedulerkubeconfig: '/etc/kubernetes/scheduler.conf',
      controllermanagerkubeconfig: '/etc/kubernetes/controller-manager.conf',
    },
    absent,
  };
}
