import Ajv from 'ajv';

/**
 * The schema of Sigstore policy-controller's `ClusterImagePolicy` (`policy.sigstore.dev/v1beta1`),
 * written by hand from the upstream CRD (sigstore/policy-controller
 * `config/300-clusterimagepolicy.yaml` and `pkg/apis/policy/v1beta1/clusterimagepolicy_types.go`):
 * no npm package publishes it. Stricter than the CRD in two ways, both on purpose: unknown fields
 * are rejected (the API server would prune them silently), and an authority needs exactly one of
 * `key`, `keyless` or `static`, as the controller's webhook validation requires.
 */
const secretRef = { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, namespace: { type: 'string' } } };
const keyRef = {
  type: 'object',
  additionalProperties: false,
  properties: { data: { type: 'string', minLength: 1 }, secretRef, kms: { type: 'string' }, hashAlgorithm: { enum: ['sha224', 'sha256', 'sha384', 'sha512'] } },
};
const identity = {
  type: 'object',
  additionalProperties: false,
  properties: { issuer: { type: 'string' }, subject: { type: 'string' }, issuerRegExp: { type: 'string' }, subjectRegExp: { type: 'string' } },
  anyOf: [{ required: ['issuer'] }, { required: ['issuerRegExp'] }],
};
const policy = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { enum: ['cue', 'rego'] },
    data: { type: 'string' },
    remote: { type: 'object' },
    configMapRef: { type: 'object' },
    fetchConfigFile: { type: 'boolean' },
    includeSpec: { type: 'boolean' },
    includeObjectMeta: { type: 'boolean' },
    includeTypeMeta: { type: 'boolean' },
  },
};
const authority = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    key: keyRef,
    keyless: {
      type: 'object',
      additionalProperties: false,
      properties: {
        'url': { type: 'string' },
        'identities': { type: 'array', minItems: 1, items: identity },
        'ca-cert': keyRef,
        'trustRootRef': { type: 'string' },
        'insecureIgnoreSCT': { type: 'boolean' },
      },
      required: ['identities'],
    },
    static: { type: 'object', additionalProperties: false, properties: { action: { enum: ['pass', 'fail'] }, message: { type: 'string' } }, required: ['action'] },
    source: { type: 'array', items: { type: 'object' } },
    ctlog: { type: 'object', additionalProperties: false, properties: { url: { type: 'string' }, trustRootRef: { type: 'string' } } },
    attestations: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', minLength: 1 }, predicateType: { type: 'string', minLength: 1 }, policy }, required: ['name', 'predicateType'] },
    },
    rfc3161timestamp: { type: 'object' },
    signatureFormat: { enum: ['legacy', 'bundle'] },
  },
  oneOf: [{ required: ['key'] }, { required: ['keyless'] }, { required: ['static'] }],
};
export const CLUSTER_IMAGE_POLICY_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'policy.sigstore.dev/v1beta1' },
    kind: { const: 'ClusterImagePolicy' },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } }, not: { required: ['namespace'] } },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['images', 'authorities'],
      properties: {
        images: { type: 'array', minItems: 1, items: { type: 'object', additionalProperties: false, properties: { glob: { type: 'string', minLength: 1 } }, required: ['glob'] } },
        authorities: { type: 'array', minItems: 1, items: authority },
        policy,
        mode: { enum: ['enforce', 'warn'] },
        match: { type: 'array', items: { type: 'object' } },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(CLUSTER_IMAGE_POLICY_SCHEMA);

/** throws with the schema errors when `object` is not a valid ClusterImagePolicy. */
export function validateClusterImagePolicy(object: unknown): void {
  if (!validate(object)) {
    const name = (object as { metadata?: { name?: string } })?.metadata?.name;
    throw new Error(`ClusterImagePolicy/${name} is invalid: ${JSON.stringify(validate.errors)}`);
  }
}
