export * from './kube-bench';
export * from './kubeadm-node';
export * from './report';
export { executeJsonPath } from './jsonpath';
export * from './node-files';
