import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

/** every ApiObject under `scope`, rendered to its JSON, in construct-tree order. */
export function renderedObjects(scope: IConstruct): Record<string, unknown>[] {
  return scope.node.findAll()
    .filter((construct): construct is ApiObject => ApiObject.isApiObject(construct))
    .map((apiObject) => apiObject.toJson() as Record<string, unknown>);
}
