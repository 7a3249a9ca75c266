import { parseAllDocuments } from 'yaml';
import { POD_SECURITY_ADMISSION_CONFIGURATION_PATH } from '../../src/admission/pod-security-admission-configuration';
import { KubeadmConfiguration } from '../../src/cluster-config';
import { CONTROL_PLANE_PATHS } from '../../src/model/control-plane-settings';

const argsOf = (section: Record<string, any>) => (Array.isArray(section.extraArgs)
  ? Object.fromEntries(section.extraArgs.map((arg: { name: string; value: string }) => [arg.name, arg.value]))
  : section.extraArgs) as Record<string, string>;

describe('KubeadmConfiguration |', () => {
  test('defaults (Kubernetes 1.28, kubeadm v1beta3)', () => {
    expect(new KubeadmConfiguration().toYaml()).toMatchSnapshot();
  });

  test('Kubernetes 1.32 (kubeadm v1beta4, AuthenticationConfiguration)', () => {
    expect(new KubeadmConfiguration({ kubernetesVersion: 'v1.32.4' }).toYaml()).toMatchSnapshot();
  });

  test('the TCP probe patch for anonymous-auth=false', () => {
    expect(new KubeadmConfiguration().probePatchYaml()).toMatchSnapshot();
  });

  test('wires the API server, controller manager, scheduler and etcd flags', () => {
    const config = new KubeadmConfiguration();
    const cluster = config.clusterConfiguration as Record<string, any>;
    const api = argsOf(cluster.apiServer);
    expect(api).toMatchObject({
      'profiling': 'false',
      'anonymous-auth': 'false',
      'authorization-mode': 'Node,RBAC',
      'enable-admission-plugins': 'NodeRestriction,DenyServiceExternalIPs',
      'admission-control-config-file': POD_SECURITY_ADMISSION_CONFIGURATION_PATH,
      'encryption-provider-config': CONTROL_PLANE_PATHS.encryptionConfiguration,
      'audit-policy-file': CONTROL_PLANE_PATHS.auditPolicy,
      'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt',
      'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
      'service-account-key-file': '/etc/kubernetes/pki/sa.pub',
      'service-account-signing-key-file': '/etc/kubernetes/pki/sa.key',
      'service-account-extend-token-expiration': 'false',
      'tls-min-version': 'VersionTLS12',
    });
    expect(api).not.toHaveProperty('token-auth-file');
    expect(argsOf(cluster.controllerManager)).toMatchObject({ 'bind-address': '127.0.0.1', 'profiling': 'false', 'use-service-account-credentials': 'true', 'terminated-pod-gc-threshold': '1000' });
    expect(argsOf(cluster.scheduler)).toMatchObject({ 'bind-address': '127.0.0.1', 'profiling': 'false' });
    expect(argsOf(cluster.etcd.local)).toEqual({ 'auto-tls': 'false', 'client-cert-auth': 'true', 'peer-auto-tls': 'false', 'peer-client-cert-auth': 'true' });
  });

  test('mounts every file the API server flags name', () => {
    for (const version of ['v1.28.15', 'v1.32.4']) {
      const cluster = new KubeadmConfiguration({ kubernetesVersion: version }).clusterConfiguration as Record<string, any>;
      const mounts = (cluster.apiServer.extraVolumes as { mountPath: string }[]).map((volume) => volume.mountPath);
      const paths = Object.values(argsOf(cluster.apiServer)).filter((value) => value.startsWith('/etc/') || value.startsWith('/var/'));
      const unmounted = paths.filter((file) => !mounts.some((mount) => file.startsWith(`${mount}/`)) && !file.startsWith('/etc/kubernetes/pki/'));
      expect([version, unmounted]).toEqual([version, []]);
      expect(mounts).toContain('/var/run/kmsplugin');
    }
  });

  test('uses the AuthenticationConfiguration and keeps HTTP probes from 1.32, never with --anonymous-auth', () => {
    const config = new KubeadmConfiguration({ kubernetesVersion: 'v1.32.4' });
    expect(config.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    const api = argsOf(config.clusterConfiguration.apiServer as Record<string, any>);
    expect(api['authentication-config']).toBe(CONTROL_PLANE_PATHS.authenticationConfiguration);
    expect(api).not.toHaveProperty('anonymous-auth');
    expect(config.probePatch).toBeUndefined();
    expect(config.initConfiguration).not.toHaveProperty('patches');
    expect(config.authentication?.configuration.kind).toBe('AuthenticationConfiguration');
  });

  test('switches to TCP probes before 1.32 so anonymous-auth=false does not restart the API server', () => {
    const config = new KubeadmConfiguration();
    expect(config.initConfiguration.patches).toEqual({ directory: CONTROL_PLANE_PATHS.kubeadmPatches });
    const container = (config.probePatch as any).spec.containers[0];
    expect(container.name).toBe('kube-apiserver');
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect(container[probe]).toMatchObject({ httpGet: null, tcpSocket: { port: 6443 } });
  });

  test('keeps anonymous access and HTTP probes only with a reason', () => {
    const config = new KubeadmConfiguration({ anonymousAuthReason: 'the external load balancer health check cannot authenticate' });
    expect(argsOf(config.clusterConfiguration.apiServer as Record<string, any>)).not.toHaveProperty('anonymous-auth');
    expect(config.probePatch).toBeUndefined();
    expect(() => new KubeadmConfiguration({ anonymousAuthReason: 'lb' })).toThrow(/anonymousAuthReason is "lb"/);
  });

  test('every flag names its CIS ids with their benchmark version and its Kubernetes versions', () => {
    const config = new KubeadmConfiguration();
    const profiling = config.settings.find((setting) => setting.component === 'kube-apiserver' && setting.flag === 'profiling')!;
    expect(profiling.cis).toEqual([{ benchmark: 'cis-1.8', id: '1.2.16' }, { benchmark: 'cis-1.10', id: '1.2.15' }]);
    expect(KubeadmConfiguration.describe(profiling)).toBe('CIS cis-1.8 1.2.16, cis-1.10 1.2.15; all Kubernetes versions: no pprof endpoints on the API server');
    const text = config.toYaml();
    for (const setting of config.settings) expect(text).toContain(KubeadmConfiguration.describe(setting));
  });

  test('emits three documents kubeadm reads, with extraArgs as a map (v1beta3) or a name/value list (v1beta4)', () => {
    const old = parseAllDocuments(new KubeadmConfiguration().toYaml()).map((doc) => doc.toJS());
    expect(old.map((doc) => `${doc.apiVersion} ${doc.kind}`)).toEqual(['kubeadm.k8s.io/v1beta3 InitConfiguration', 'kubeadm.k8s.io/v1beta3 ClusterConfiguration', 'kubelet.config.k8s.io/v1beta1 KubeletConfiguration']);
    expect(Array.isArray(old[1].apiServer.extraArgs)).toBe(false);
    const next = parseAllDocuments(new KubeadmConfiguration({ kubernetesVersion: 'v1.32.4' }).toYaml()).map((doc) => doc.toJS());
    expect(next[1].apiServer.extraArgs[0]).toEqual({ name: 'admission-control-config-file', value: POD_SECURITY_ADMISSION_CONFIGURATION_PATH });
  });

  test('fails on a version kubeadm cannot install', () => {
    expect(() => new KubeadmConfiguration({ kubernetesVersion: '1.28' })).toThrow(/give "v1.<minor>.<patch>"/);
    expect(() => new KubeadmConfiguration({ kubernetesVersion: 'v1.21.0' })).toThrow(/needs 1.22 or later/);
    expect(() => new KubeadmConfiguration({ serviceAccountIssuer: 'http://issuer' })).toThrow(/give an https URL/);
  });
});
