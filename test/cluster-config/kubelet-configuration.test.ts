import { KubeletConfiguration } from '../../src/cluster-config';

describe('KubeletConfiguration |', () => {
  test('defaults', () => {
    expect(new KubeletConfiguration().toYaml()).toMatchSnapshot();
  });

  test('sets every secure field', () => {
    const config = new KubeletConfiguration().configuration as Record<string, any>;
    expect(config.authentication.anonymous.enabled).toBe(false);
    expect(config.authentication.webhook.enabled).toBe(true);
    expect(config.authentication.x509.clientCAFile).toBe('/etc/kubernetes/pki/ca.crt');
    expect(config.authorization.mode).toBe('Webhook');
    expect(config.readOnlyPort).toBe(0);
    expect(config.protectKernelDefaults).toBe(true);
    expect(config.rotateCertificates).toBe(true);
    expect(config.serverTLSBootstrap).toBe(true);
    expect(config.seccompDefault).toBe(true);
    expect(config.podPidsLimit).toBe(4096);
    expect(config.eventRecordQPS).toBe(50);
    expect(config.tlsCipherSuites).not.toContain('TLS_RSA_WITH_AES_128_GCM_SHA256');
  });

  test('leaves out fields the version does not have', () => {
    expect(new KubeletConfiguration({ kubernetesVersion: '1.24' }).configuration).not.toHaveProperty('seccompDefault');
  });

  test('lets the kubelet change kernel settings only with a reason, written to the file', () => {
    const config = new KubeletConfiguration({ allowKernelDefaultsChangeReason: 'the node image cannot carry sysctl.d files' });
    expect(config.configuration.protectKernelDefaults).toBe(false);
    expect(config.toYaml()).toContain('EXCEPTION: the node image cannot carry sysctl.d files');
    expect(() => new KubeletConfiguration({ allowKernelDefaultsChangeReason: 'because' })).toThrow(/allowKernelDefaultsChangeReason is "because"/);
  });

  test('fails on an unlimited PID or event budget', () => {
    expect(() => new KubeletConfiguration({ podPidsLimit: -1 })).toThrow(/podPidsLimit is -1/);
    expect(() => new KubeletConfiguration({ eventRecordQPS: 0 })).toThrow(/0 means unlimited/);
  });
});
