import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * Validates External Secrets Operator objects (`external-secrets.io/v1`) against the schema
 * `@kubernetes-models/external-secrets` publishes (ajv). The package is ESM-only, which ts-jest
 * cannot load, so one plain Node process validates the whole batch. Throws with every invalid
 * object and its schema error; returns how many objects were validated.
 */
export function validateExternalSecretsSchema(objects: any[]): number {
  const eso = objects.filter((object) => String(object.apiVersion).startsWith('external-secrets.io/'));
  if (eso.length === 0) return 0;
  const output = execFileSync(process.execPath, [path.join(__dirname, 'external-secrets-validate.mjs')], {
    input: JSON.stringify(eso),
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
  });
  const failures = JSON.parse(output) as { name: string; error: string }[];
  if (failures.length > 0) {
    throw new Error(failures.map(({ name, error }) => `${name} is invalid: ${error}`).join('\n'));
  }
  return eso.length;
}
