import { Construct, IConstruct } from 'constructs';
import { validateDnsLabel } from '../construct-helpers/names';
import { Labels } from '../model/labels';

/**
 * A workload that network flows can name as a source or destination.
 *
 * Implemented by every hardened workload kind; flows select its pods by these stable labels.
 * `FlowEndpoint.fromLabels` makes one for a workload built elsewhere.
 */
export interface IFlowEndpoint extends IConstruct {
  /** value of `app.kubernetes.io/name`. */
  readonly appName: string;
  /** the namespace the workload runs in; undefined when it is left to the chart or kubectl context. */
  readonly namespaceName?: string;
  /** labels that select exactly this workload's pods (stable, never path-derived). */
  readonly selectorLabels: Record<string, string>;
}

/** options of `FlowEndpoint.fromLabels`. */
export interface FlowEndpointOptions {
  /**
   * The name policies are named after (`egress-<name>-to-...`).
   *
   * @default - the `app.kubernetes.io/name` label
   */
  readonly name?: string;
}

// label keys: an optional DNS subdomain prefix and a name of up to 63 characters; values up to 63.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * A flow endpoint for pods this app does not build (a Helm chart, another repository's
 * workload): the namespace they run in and labels that select exactly them.
 */
export class FlowEndpoint extends Construct implements IFlowEndpoint {
  /**
   * An endpoint selecting, in `namespace`, the pods that carry every one of `labels`.
   * It is not part of any construct tree and emits nothing.
   */
  public static fromLabels(namespace: string, labels: Record<string, string>, options: FlowEndpointOptions = {}): IFlowEndpoint {
    return new FlowEndpoint(namespace, labels, options);
  }

  public readonly appName: string;
  public readonly namespaceName: string;
  public readonly selectorLabels: Record<string, string>;

  private constructor(namespace: string, labels: Record<string, string>, options: FlowEndpointOptions) {
    // a root of its own: the endpoint only carries selection data for flows.
    super(undefined as unknown as Construct, '');
    this.namespaceName = validateDnsLabel('namespace', namespace);
    const entries = Object.entries(labels ?? {});
    if (entries.length === 0) {
      throw new Error('labels is empty: an endpoint must select its pods by at least one label, otherwise flows would cover every pod of the namespace');
    }
    for (const [key, value] of entries) {
      const [prefix, name] = key.includes('/') ? key.split(/\/(.*)/s, 2) : [undefined, key];
      if (!LABEL_NAME.test(name ?? '') || (prefix !== undefined && (prefix.length > 253 || !LABEL_PREFIX.test(prefix)))) {
        throw new Error(`labels has key ${JSON.stringify(key)}: use a label key such as "app.kubernetes.io/name"`);
      }
      if (typeof value !== 'string' || !LABEL_VALUE.test(value) || value === '') {
        throw new Error(`labels["${key}"] is ${JSON.stringify(value)}: use a non-empty label value (letters, digits, '-', '_', '.', at most 63 characters)`);
      }
    }
    this.selectorLabels = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const appName = options.name ?? labels[Labels.NAME];
    if (appName === undefined) {
      throw new Error(`labels has no "${Labels.NAME}" and options.name is unset: name the endpoint, e.g. { name: "payments" }, so its policies get readable names`);
    }
    this.appName = validateDnsLabel('name', appName);
  }
}
