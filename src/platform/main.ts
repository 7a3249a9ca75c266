import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildControlPlaneNodeFiles } from './control-plane';
import { buildReferencePlatform } from './reference-platform';
import { Guard } from '../checker/guard';

/** where non-manifest files go: `node-files/` at the repository root, beside `dist/` (both committed). */
const NODE_FILES = path.resolve(__dirname, '..', '..', 'node-files');

// `cdk8s synth` runs this with CDK8S_OUTDIR set; `npm run synth` writes the committed dist/.
const app = new App();
const platform = buildReferencePlatform(app);
// the reference platform holds itself to the strictest bar: no unsuppressed warning either.
Guard.of(app, { pack: 'hardened', failOn: 'warning' });
app.synth();
// files for the nodes, not manifests: dist/ stays apply-able with `kubectl apply -f dist/`.
fs.mkdirSync(NODE_FILES, { recursive: true });
fs.writeFileSync(path.join(NODE_FILES, 'pod-security-admission.yaml'), platform.podSecurityAdmission.toYaml());
// the control plane and kubelet configuration, checked against CIS with `cdk8s-hardened cis node-files/`.
for (const file of buildControlPlaneNodeFiles().files) {
  fs.mkdirSync(path.dirname(path.join(NODE_FILES, file.name)), { recursive: true });
  fs.writeFileSync(path.join(NODE_FILES, file.name), file.text);
}
