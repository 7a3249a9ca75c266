import { AuthenticationConfiguration } from '../../src/cluster-config';

describe('AuthenticationConfiguration |', () => {
  test('defaults', () => {
    expect(new AuthenticationConfiguration().toYaml()).toMatchSnapshot();
  });

  test('allows anonymous requests to the health endpoints only, v1beta1 before 1.34 and v1 from 1.34', () => {
    const beta = new AuthenticationConfiguration({ kubernetesVersion: '1.32' }).configuration;
    expect(beta.apiVersion).toBe('apiserver.config.k8s.io/v1beta1');
    expect(beta.anonymous).toEqual({ enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] });
    expect(new AuthenticationConfiguration({ kubernetesVersion: 'v1.34.1' }).configuration.apiVersion).toBe('apiserver.config.k8s.io/v1');
  });

  test('fails before 1.32, where anonymous path conditions do not exist', () => {
    expect(() => new AuthenticationConfiguration({ kubernetesVersion: '1.31' })).toThrow(/anonymous path conditions need Kubernetes 1.32/);
    expect(AuthenticationConfiguration.supports('1.31')).toBe(false);
  });
});
