export * from './secret-store-provider';
export * from './secret-store';
export * from './cluster-secret-store';
export * from './external-secret';
export * from './secret-provider-class';
