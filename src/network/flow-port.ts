import * as kplus from 'cdk8s-plus-28';

/**
 * Options of a port or port range a flow allows.
 */
export interface FlowPortOptions {
  /** the port number (1-65535). */
  readonly port: number;
  /**
   * The last port of a range; needs a cluster with `endPort` support (Kubernetes 1.25+).
   *
   * @default - a single port
   */
  readonly endPort?: number;
  /**
   * The protocol.
   *
   * @default kplus.NetworkProtocol.TCP
   */
  readonly protocol?: kplus.NetworkProtocol;
}

/**
 * A numbered port or port range allowed by a flow. Named ports are not offered: they resolve
 * per pod, so a reviewer cannot tell from the YAML what a policy opens.
 */
export class FlowPort {
  /** a TCP port. */
  public static tcp(port: number): FlowPort {
    return new FlowPort({ port, protocol: kplus.NetworkProtocol.TCP });
  }

  /** a UDP port. */
  public static udp(port: number): FlowPort {
    return new FlowPort({ port, protocol: kplus.NetworkProtocol.UDP });
  }

  /** a TCP port range, both ends included. */
  public static tcpRange(port: number, endPort: number): FlowPort {
    return new FlowPort({ port, endPort, protocol: kplus.NetworkProtocol.TCP });
  }

  /** a UDP port range, both ends included. */
  public static udpRange(port: number, endPort: number): FlowPort {
    return new FlowPort({ port, endPort, protocol: kplus.NetworkProtocol.UDP });
  }

  /** any port or range. */
  public static of(options: FlowPortOptions): FlowPort {
    return new FlowPort(options);
  }

  public readonly port: number;
  public readonly endPort?: number;
  public readonly protocol: kplus.NetworkProtocol;

  private constructor(options: FlowPortOptions) {
    validatePortNumber(options.port, 'port');
    if (options.endPort !== undefined) {
      validatePortNumber(options.endPort, 'endPort');
      if (options.endPort < options.port) {
        throw new Error(`endPort is ${options.endPort}, below port ${options.port}: give endPort >= port, or omit it for a single port`);
      }
    }
    this.port = options.port;
    this.endPort = options.endPort === options.port ? undefined : options.endPort;
    this.protocol = options.protocol ?? kplus.NetworkProtocol.TCP;
  }

  /** the port as cdk8s-plus renders it in a NetworkPolicy rule. */
  public toNetworkPolicyPort(): kplus.NetworkPolicyPort {
    return kplus.NetworkPolicyPort.of({ port: this.port, endPort: this.endPort, protocol: this.protocol });
  }

  /** e.g. `8080/TCP` or `8000-8100/TCP`. */
  public toString(): string {
    return `${this.port}${this.endPort !== undefined ? `-${this.endPort}` : ''}/${this.protocol}`;
  }
}

function validatePortNumber(value: number, prop: string): void {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${prop} is ${JSON.stringify(value)}: give a whole port number between 1 and 65535`);
  }
}

/** throws when a flow names no port: a flow without ports would open every port. */
export function validateFlowPorts(ports: readonly FlowPort[] | undefined, prop: string): readonly FlowPort[] {
  if (!ports || ports.length === 0) {
    throw new Error(`${prop} is empty: name at least one port (e.g. FlowPort.tcp(8080)); a rule without ports would allow every port`);
  }
  return ports;
}
