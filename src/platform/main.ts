import { App } from 'cdk8s';
import { buildReferencePlatform } from './reference-platform';

// `cdk8s synth` runs this with CDK8S_OUTDIR set; `npm run synth` writes the committed dist/.
const app = new App();
buildReferencePlatform(app);
app.synth();
