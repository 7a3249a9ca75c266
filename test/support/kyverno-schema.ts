import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * Validates Kyverno objects (`kyverno.io/v1`) against the schema `@kubernetes-models/kyverno`
 * 2.0.0 publishes (ajv). The package is ESM-only, which ts-jest cannot load, so one plain Node
 * process validates the batch. Throws with every invalid object and its error; returns the count.
 */
export function validateKyvernoSchema(objects: any[]): number {
  const kyverno = objects.filter((object) => String(object.apiVersion).startsWith('kyverno.io/'));
  if (kyverno.length === 0) return 0;
  const output = execFileSync(process.execPath, [path.join(__dirname, 'kyverno-validate.mjs')], {
    input: JSON.stringify(kyverno),
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
  });
  const failures = JSON.parse(output) as { name: string; error: string }[];
  if (failures.length > 0) throw new Error(failures.map(({ name, error }) => `${name} is invalid: ${error}`).join('\n'));
  return kyverno.length;
}
