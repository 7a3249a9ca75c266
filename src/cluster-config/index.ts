export * from './audit-policy';
export * from './authentication-configuration';
export * from './encryption-configuration';
export * from './kubeadm-configuration';
export * from './kubelet-configuration';
