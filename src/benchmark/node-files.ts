import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { nodeViewFromKubeadm, NodeView } from './kubeadm-node';

/**
 * The node a folder of node files describes: the kubeadm configuration in it (the YAML file with a
 * kubeadm ClusterConfiguration) gives the command lines and the kubelet config; every absolute path
 * its flags name is looked up in the folder by file name (`--encryption-provider-config=/etc/kubernetes/encryption/encryption-configuration.yaml`
 * reads `<folder>/encryption-configuration.yaml`). A path with no such file is absent on the node,
 * as kube-bench's `test -e` would find it. Throws naming the file on unreadable YAML.
 */
export function nodeViewFromFolder(folder: string): NodeView {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new Error(`${folder}: no such folder`);
  const files = fs.readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).sort();
  for (const name of files) {
    const full = path.join(folder, name);
    const text = fs.readFileSync(full, 'utf8');
    const documents = parseAllDocuments(text);
    const parsed: Record<string, unknown>[] = [];
    for (const document of Array.isArray(documents) ? documents : [documents]) {
      if (document.errors.length > 0) throw new Error(`${full}:${document.errors[0].linePos?.[0].line ?? 1}: ${document.errors[0].message.split('\n')[0]}`);
      const value = document.toJS() as unknown;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed.push(value as Record<string, unknown>);
    }
    if (!parsed.some((doc) => doc.kind === 'ClusterConfiguration' && String(doc.apiVersion).startsWith('kubeadm.k8s.io/'))) continue;
    const onNode: Record<string, string> = {};
    const mentioned = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string' && /^\/[\w./-]+\.ya?ml$/.test(value)) mentioned.add(value);
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
    };
    parsed.forEach(collect);
    for (const nodePath of mentioned) {
      const local = path.join(folder, path.basename(nodePath));
      if (fs.existsSync(local)) onNode[nodePath] = fs.readFileSync(local, 'utf8');
    }
    return nodeViewFromKubeadm(parsed, onNode);
  }
  throw new Error(`${folder}: no YAML file with a kubeadm ClusterConfiguration (kubeadm.k8s.io/v1beta3 or v1beta4)`);
}
