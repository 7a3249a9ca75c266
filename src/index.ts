export * from './labels';
export * from './exceptions';
export * from './rule-ids';
