/**
 * Jest setup entry registering `expect(...).toPassPack(pack)`: list it in `setupFilesAfterEnv`
 * (`cdk8s-hardened/lib/checker/jest-setup`) and import it once from a test (or a `.d.ts`) for the types.
 */
import { toPassPack } from './jest-matcher';

expect.extend({ toPassPack });
