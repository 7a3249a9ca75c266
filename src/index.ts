export * from './labels';
export * from './exceptions';
export * from './rule-ids';
export * from './constructs/security-defaults';
export * from './constructs/flow-endpoint';
export * from './constructs/workload-identity';
export * from './constructs/minimal-service-account';
export * from './constructs/hardened-deployment';
