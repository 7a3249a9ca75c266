import { renderNodeFile } from './node-file-yaml';
import { CONTROL_PLANE_PATHS, kubernetesMinor } from '../model/control-plane-settings';

/** the health endpoints kubelet probes and load balancers call without credentials. */
export const ANONYMOUS_HEALTH_PATHS: readonly string[] = ['/livez', '/readyz', '/healthz'];

/** the first Kubernetes minor whose AuthenticationConfiguration can limit anonymous access to paths (beta, on by default). */
export const ANONYMOUS_CONDITIONS_SINCE_MINOR = 32;

/** properties of {@link AuthenticationConfiguration}. */
export interface AuthenticationConfigurationProps {
  /**
   * The Kubernetes version of the API servers (`1.<minor>`); 1.32 or later (anonymous path
   * conditions are beta in 1.32 and GA in 1.34, where the kind moves to `apiserver.config.k8s.io/v1`).
   *
   * @default '1.32'
   */
  readonly kubernetesVersion?: string;
}

/**
 * Structured authentication for `kube-apiserver --authentication-config`: anonymous requests are
 * allowed for `/livez`, `/readyz` and `/healthz` only, so kubelet probes keep working while every
 * other anonymous request is rejected. `--anonymous-auth` must then not be set (the API server
 * refuses both). Before 1.32 there is no such file: the kubeadm configuration sets
 * `--anonymous-auth=false` and switches the API server's probes to TCP instead.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-authenticator-configuration
 */
export class AuthenticationConfiguration {
  /** whether the version supports anonymous path conditions. */
  public static supports(kubernetesVersion: string): boolean {
    return kubernetesMinor(kubernetesVersion) >= ANONYMOUS_CONDITIONS_SINCE_MINOR;
  }

  /** the file's content as a plain object. */
  public readonly configuration: Record<string, unknown>;

  constructor(props: AuthenticationConfigurationProps = {}) {
    const version = props.kubernetesVersion ?? '1.32';
    const minor = kubernetesMinor(version);
    if (minor < ANONYMOUS_CONDITIONS_SINCE_MINOR) {
      throw new Error(`kubernetesVersion is ${JSON.stringify(version)}: anonymous path conditions need Kubernetes 1.${ANONYMOUS_CONDITIONS_SINCE_MINOR}; below it use --anonymous-auth=false with TCP probes (KubeadmConfiguration does this)`);
    }
    this.configuration = {
      apiVersion: minor >= 34 ? 'apiserver.config.k8s.io/v1' : 'apiserver.config.k8s.io/v1beta1',
      kind: 'AuthenticationConfiguration',
      anonymous: { enabled: true, conditions: ANONYMOUS_HEALTH_PATHS.map((path) => ({ path })) },
    };
  }

  /** the file's text. */
  public toYaml(): string {
    return renderNodeFile(this.configuration, [
      'Structured authentication for kube-apiserver --authentication-config (do not also set --anonymous-auth).',
      `Install on every control-plane node as ${CONTROL_PLANE_PATHS.authenticationConfiguration} (mode 600, root:root).`,
    ].join('\n'), new Map([['anonymous', 'anonymous requests only for the health endpoints the kubelet probes']]));
  }
}
