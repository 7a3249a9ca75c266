import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildReferencePlatform, ReferencePlatform } from '../../src/platform/reference-platform';

/** the reference platform built in a scratch output folder. */
export function buildReferencePlatformForTest(): ReferencePlatform {
  return buildReferencePlatform(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'platform-')) }));
}
