import Ajv from 'ajv';

/**
 * The `spec` schema of `SecretProviderClass` (`secrets-store.csi.x-k8s.io/v1`), written by hand
 * from the upstream CRD (kubernetes-sigs/secrets-store-csi-driver,
 * config/crd/bases/secrets-store.csi.x-k8s.io_secretproviderclasses.yaml): no npm package
 * publishes it. Unknown fields are rejected here, where the API server would silently prune them.
 */
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'secrets-store.csi.x-k8s.io/v1' },
    kind: { const: 'SecretProviderClass' },
    metadata: {
      type: 'object',
      required: ['name', 'namespace'],
      properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string', minLength: 1 } },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['provider'],
      properties: {
        provider: { type: 'string', minLength: 1 },
        parameters: stringMap,
        secretObjects: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              secretName: { type: 'string' },
              type: { type: 'string' },
              labels: stringMap,
              annotations: stringMap,
              data: {
                type: 'array',
                items: { type: 'object', additionalProperties: false, properties: { objectName: { type: 'string' }, key: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

/** throws with the schema errors when a SecretProviderClass does not match the CRD. */
export function validateSecretProviderClass(object: unknown): void {
  if (!validate(object)) {
    throw new Error(`SecretProviderClass is invalid: ${validate.errors?.map((error) => `${error.instancePath} ${error.message}`).join(', ')}`);
  }
}
