import { validateExternalSecretsSchema } from './external-secrets-schema';
import { validateKyvernoSchema } from './kyverno-schema';
import { validateClusterImagePolicy } from './schemas/cluster-image-policy';
import { validateSecretProviderClass } from './secret-provider-class-schema';

/**
 * Validates emitted objects against the Kubernetes OpenAPI schema through kubernetes-models
 * (4.x ships CommonJS; 5.x is ESM-only and does not load under ts-jest). External Secrets
 * objects go to `@kubernetes-models/external-secrets` (v1), SecretProviderClasses to the schema
 * written from the upstream CRD.
 */
const CUSTOM_RESOURCE_GROUPS = ['cilium.io', 'projectcalico.org'];

export interface SchemaResult {
  readonly validated: number;
  readonly skippedCustomResources: string[];
}

/** throws with the object and the schema error when any object is invalid. */
export function validateAgainstSchema(objects: any[]): SchemaResult {
  let validated = 0;
  const skippedCustomResources: string[] = [];
  validated += validateExternalSecretsSchema(objects);
  validated += validateKyvernoSchema(objects);
  for (const object of objects) {
    const apiVersion: string = object.apiVersion;
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    if (group === 'external-secrets.io' || group === 'kyverno.io') continue;
    if (group === 'policy.sigstore.dev') {
      validateClusterImagePolicy(object);
      validated++;
      continue;
    }
    if (group === 'secrets-store.csi.x-k8s.io') {
      validateSecretProviderClass(object);
      validated++;
      continue;
    }
    if (CUSTOM_RESOURCE_GROUPS.includes(group)) {
      skippedCustomResources.push(`${object.kind}/${object.metadata?.name}`);
      continue;
    }
    let model: any;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      model = require(`kubernetes-models/${apiVersion}/${object.kind}`)[object.kind];
    } catch {
      throw new Error(`no schema for ${apiVersion} ${object.kind}`);
    }
    try {
      new model(object).validate();
    } catch (error) {
      throw new Error(`${object.kind}/${object.metadata?.name} is invalid: ${(error as Error).message}`);
    }
    validated++;
  }
  return { validated, skippedCustomResources };
}
