import { App } from 'cdk8s';
import { buildReferencePlatform } from './reference-platform';
import { Guard } from '../checker/guard';

// `cdk8s synth` runs this with CDK8S_OUTDIR set; `npm run synth` writes the committed dist/.
const app = new App();
buildReferencePlatform(app);
// the reference platform holds itself to the strictest bar: no unsuppressed warning either.
Guard.of(app, { pack: 'hardened', failOn: 'warning' });
app.synth();
