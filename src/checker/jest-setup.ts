/**
 * Jest setup entry registering `expect(...).toPassPack(pack)`. Import it from a test (ts-jest:
 * the import also brings the matcher's types) or list it in `setupFilesAfterEnv`
 * (`cdk8s-hardened/lib/checker/jest-setup`, plain-JS jest).
 */
import { toPassPack } from './jest-matcher';

// re-exporting a type keeps the matcher's `declare global` in this entry's .d.ts.
export type { ToPassPackOptions } from './jest-matcher';

expect.extend({ toPassPack });
