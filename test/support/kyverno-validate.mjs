// Validates Kyverno objects against the published kyverno.io/v1 schema of @kubernetes-models/kyverno
// (ESM-only, so it runs as a plain Node script, not under ts-jest).
// stdin: a JSON array of objects; stdout: a JSON array of { name, error } for each invalid one.
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const object of objects) {
  const name = `${object.kind}/${object.metadata?.name}`;
  if (object.apiVersion !== 'kyverno.io/v1') {
    results.push({ name, error: `apiVersion is ${object.apiVersion}, not kyverno.io/v1` });
    continue;
  }
  let Model;
  try {
    ({ [object.kind]: Model } = await import(`@kubernetes-models/kyverno/kyverno.io/v1/${object.kind}`));
  } catch (error) {
    results.push({ name, error: `no schema for ${object.kind}: ${error.message}` });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    results.push({ name, error: error.message });
  }
}
process.stdout.write(JSON.stringify(results));
