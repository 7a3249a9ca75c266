import type { IConstruct } from 'constructs';
import { checkManifests, failingFindings } from './engine';
import { describeForSynth, manifestsOf } from './guard';
import { DEFAULT_PACK, PackName } from './packs';
import type { KubeObject, ManifestEntry, Severity } from './types';
import { ImagePolicySettings, registeredImagePolicy } from '../model/image-policy';

/** options of `toPassPack`. */
export interface ToPassPackOptions {
  /** the lowest severity of an unsuppressed finding that fails the expectation. @default 'error' */
  readonly failOn?: Extract<Severity, 'error' | 'warning'>;
  /** the day suppression expiry dates are compared with. @default - now */
  readonly now?: Date;
  /**
   * The image policy for `image-registry-not-allowed`.
   *
   * @default - the `ImagePolicy` of the construct's app, when a construct is checked
   */
  readonly imagePolicy?: ImagePolicySettings;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /**
       * Passes when an App, a Chart (any construct: every ApiObject under it is checked) or an
       * array of manifests (`Testing.synth(chart)` output, or `ManifestEntry`s) has no
       * unsuppressed finding at or above `failOn` in the pack.
       */
      toPassPack(pack?: PackName, options?: ToPassPackOptions): R;
    }
  }
}

function isConstruct(value: unknown): value is IConstruct {
  return typeof value === 'object' && value !== null && typeof (value as { node?: { findAll?: unknown } }).node?.findAll === 'function';
}

function entriesOf(received: unknown): ManifestEntry[] | undefined {
  if (isConstruct(received)) return manifestsOf(received);
  if (!Array.isArray(received)) return undefined;
  return received.map((item, documentIndex) => {
    const entry = item as Partial<ManifestEntry>;
    return entry && typeof entry === 'object' && 'object' in entry && 'source' in entry
      ? entry as ManifestEntry
      : { object: item as KubeObject, source: { documentIndex } };
  });
}

/** the `toPassPack` matcher; register it with `expect.extend({ toPassPack })` or the setup entry `jest-setup`. */
export function toPassPack(received: unknown, pack: PackName = DEFAULT_PACK, options: ToPassPackOptions = {}): jest.CustomMatcherResult {
  const entries = entriesOf(received);
  if (!entries) {
    return { pass: false, message: () => 'toPassPack expects an App, a Chart (any construct) or an array of manifests' };
  }
  const failOn = options.failOn ?? 'error';
  const imagePolicy = options.imagePolicy ?? (isConstruct(received) ? registeredImagePolicy(received.node.root) : undefined);
  const report = checkManifests(entries, { pack, now: options.now, imagePolicy });
  const failing = failingFindings(report, failOn);
  const pass = failing.length === 0;
  return {
    pass,
    message: () => pass
      ? `expected a finding at or above ${failOn} in pack ${pack}, but ${entries.length} object(s) passed`
      : `expected no unsuppressed finding at or above ${failOn} in pack ${pack}, found ${failing.length}:\n${failing.map((finding) => `  - ${describeForSynth(finding)}`).join('\n')}`,
  };
}
