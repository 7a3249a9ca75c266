import type { IConstruct } from 'constructs';

/**
 * A workload that network flows can name as a source or destination.
 *
 * Implemented by `HardenedDeployment`; flows select its pods by these stable labels.
 */
export interface IFlowEndpoint extends IConstruct {
  /** value of `app.kubernetes.io/name`. */
  readonly appName: string;
  /** the namespace the workload runs in; undefined when it is left to the chart or kubectl context. */
  readonly namespaceName?: string;
  /** labels that select exactly this workload's pods (stable, never path-derived). */
  readonly selectorLabels: Record<string, string>;
}
