import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildControlPlaneNodeFiles } from './control-plane';
import { buildReferenceFalcoRules, buildReferencePlatform, buildReferenceProbes } from './reference-platform';
import { Guard } from '../checker/guard';

/** where non-manifest files go: `node-files/` at the repository root, beside `dist/` (both committed). */
const NODE_FILES = path.resolve(__dirname, '..', '..', 'node-files');
/** opt-in manifest sets, each applied on purpose: `kubectl apply -f probes/network/`. */
const PROBES = path.resolve(__dirname, '..', '..', 'probes');
/** detection rules for the nodes' Falco, not cluster objects. */
const RUNTIME = path.resolve(__dirname, '..', '..', 'runtime');

/** removes the manifests a previous synth wrote into an opt-in folder, so a removed chart leaves no file behind. */
function cleanManifests(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(dir)) if (file.endsWith('.k8s.yaml')) fs.rmSync(path.join(dir, file));
}

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

// the opt-in sets, outside dist/ so `kubectl apply -f dist/` never picks them up; held to the same bar.
const networkApp = new App({ outdir: path.join(PROBES, 'network'), recordConstructMetadata: false });
const cisApp = new App({ outdir: path.join(PROBES, 'cis-scan'), recordConstructMetadata: false });
buildReferenceProbes(networkApp, cisApp, app);
for (const optIn of [networkApp, cisApp]) {
  Guard.of(optIn, { pack: 'hardened', failOn: 'warning' });
  cleanManifests(optIn.outdir);
  optIn.synth();
}
const falco = buildReferenceFalcoRules(app);
fs.mkdirSync(RUNTIME, { recursive: true });
fs.writeFileSync(path.join(RUNTIME, falco.fileName), falco.toYaml());
fs.writeFileSync(path.join(RUNTIME, 'falco-values.yaml'), falco.helmValuesYaml());

