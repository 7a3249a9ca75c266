import { Construct } from 'constructs';
import { Labels } from '../../src/model/labels';
import { IFlowEndpoint } from '../../src/network/flow-endpoint';

/** a minimal workload for flow tests: selects pods by name and component labels. */
export class FlowEndpointDouble extends Construct implements IFlowEndpoint {
  public readonly appName: string;
  public readonly namespaceName?: string;
  public readonly selectorLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: { appName: string; namespaceName?: string; selectorLabels?: Record<string, string> }) {
    super(scope, id);
    this.appName = props.appName;
    this.namespaceName = props.namespaceName;
    this.selectorLabels = props.selectorLabels ?? { [Labels.NAME]: props.appName };
  }
}
