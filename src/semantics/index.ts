export { NetworkPolicyEvaluator, ipBlockMatches, selectorMatches, podsFromManifests, namespacesFromManifests } from './network-policy-evaluator';
export type { EvalContainerPort, EvalNamespace, EvalPod, EvaluatorOptions } from './network-policy-evaluator';
export { compareReachability, networkModel } from './flows';
export type { Flow, ReachabilityEndpoint, NetworkModel, ReachabilityChange } from './flows';
