/**
 * The checker's configuration file (`--config <file>`, e.g. a repository's `cdk8s-hardened.yaml`):
 *
 *   imagePolicy:
 *     allowedRegistries:
 *       - ghcr.io/example
 *
 * Read only when named explicitly: a file found by walking up from the working directory would
 * change what a check means depending on where it runs. Every mistake is an `InputError` naming
 * the file, the line and the field.
 */
import * as fs from 'fs';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { InputError } from './input';
import { ImagePolicySettings, registryPrefixProblem } from '../model/image-policy';

/** what a configuration file sets. */
export interface CheckerConfig {
  /** @default - no image policy */
  readonly imagePolicy?: ImagePolicySettings;
}

/** the largest configuration file read; a policy is a few lines. */
export const MAX_CONFIG_SIZE = 1024 * 1024;

function lineOf(counter: LineCounter, node: Node | null | undefined): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

/** parses a configuration file's text; `file` names it in errors. */
export function parseCheckerConfig(text: string, file: string): CheckerConfig {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  const fail = (node: Node | null | undefined, field: string, detail: string): never => {
    throw new InputError(file, lineOf(counter, node), `${field} ${detail}`);
  };
  if (document.errors.length > 0) {
    const error = document.errors[0];
    throw new InputError(file, counter.linePos(error.pos[0]).line, `is not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const root = document.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return {};
  if (!isMap(root)) return fail(root, '(top level)', 'must be a mapping with the key imagePolicy');
  let imagePolicy: ImagePolicySettings | undefined;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'imagePolicy') fail(pair.key as Node, key === '' ? '(a key)' : key, 'is not a setting: the file holds imagePolicy only');
    const policy = pair.value as Node | null;
    if (!isMap(policy)) return fail(policy ?? (pair.key as Node), 'imagePolicy', 'must be a mapping with the key allowedRegistries');
    for (const entry of policy.items) {
      const name = isScalar(entry.key) ? String(entry.key.value) : '';
      if (name !== 'allowedRegistries') fail(entry.key as Node, `imagePolicy.${name}`, 'is not a setting of imagePolicy: use allowedRegistries');
      const list = entry.value as Node | null;
      if (!isSeq(list) || list.items.length === 0) {
        return fail(list ?? (entry.key as Node), 'imagePolicy.allowedRegistries', 'must list at least one registry prefix, e.g. [ghcr.io/example]');
      }
      const prefixes = list.items.map((item, index) => {
        const field = `imagePolicy.allowedRegistries[${index}]`;
        if (!isScalar(item) || typeof item.value !== 'string') return fail(item as Node, field, 'must be a string such as ghcr.io/example');
        const problem = registryPrefixProblem(item.value);
        if (problem) fail(item, field, `is ${JSON.stringify(item.value)}: it ${problem}`);
        return item.value;
      });
      imagePolicy = { allowedRegistries: [...new Set(prefixes)].sort() };
    }
    if (!imagePolicy) fail(policy, 'imagePolicy', 'has no allowedRegistries: list at least one registry prefix');
  }
  return imagePolicy ? { imagePolicy } : {};
}

/** reads and parses a configuration file. */
export function loadCheckerConfig(file: string): CheckerConfig {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new InputError(file, undefined, 'is not a file: --config names a YAML file such as cdk8s-hardened.yaml');
    if (stat.size > MAX_CONFIG_SIZE) throw new InputError(file, undefined, `is larger than ${MAX_CONFIG_SIZE} bytes: is it the configuration file?`);
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseCheckerConfig(text, file);
}

/**
 * The image policy of a check: the registries of the configuration file and of the command line
 * together (both allow); undefined when neither names any.
 */
export function mergeImagePolicy(config: CheckerConfig, extra: readonly string[]): ImagePolicySettings | undefined {
  const prefixes = [...(config.imagePolicy?.allowedRegistries ?? []), ...extra];
  return prefixes.length === 0 ? undefined : { allowedRegistries: [...new Set(prefixes)].sort() };
}
