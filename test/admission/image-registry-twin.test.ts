/**
 * The registry twin against the checker's verdict, image by image: the CEL generated from a
 * policy must admit exactly the images `registryVerdict` allows, on hand-picked references
 * (Docker Hub short names, ports, prefix-boundary attacks, upper case, digest-only, invalid
 * references) and on generated ones. Each image runs as a container, an init container and an
 * ephemeral container of a Pod.
 */
import * as fc from 'fast-check';
import { decide } from './vap-evaluator';
import { generateAdmissionPolicies } from '../../src/admission/admission-policies';
import { ImagePolicySettings, registryVerdict } from '../../src/model/image-policy';

const POLICY: ImagePolicySettings = { allowedRegistries: ['docker.io/library', 'ghcr.io/example', 'localhost:5000', 'registry.example.com:5000/team'] };
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const policy = generateAdmissionPolicies({ validationActions: ['Deny'], minSeverity: 'info', imagePolicy: POLICY }).policies
  .find((candidate: any) => candidate.metadata.name === 'cdk8s-hardened-image-registry-not-allowed')!;

function podWith(image: string, list: 'containers' | 'initContainers' | 'ephemeralContainers') {
  const spec: Record<string, unknown> = { containers: [{ name: 'app', image: `ghcr.io/example/app@${DIGEST}` }] };
  spec[list] = list === 'containers' ? [{ name: 'app', image }] : [{ name: 'extra', image }];
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' }, spec };
}

function disagreements(images: readonly string[]): string[] {
  const found: string[] = [];
  for (const image of images) {
    const allowed = registryVerdict(image, POLICY).allowed;
    for (const list of ['containers', 'initContainers', 'ephemeralContainers'] as const) {
      const decision = decide(policy, podWith(image, list));
      if (decision.errors.length > 0) found.push(`${image} (${list}): CEL error ${decision.errors.join('; ')}`);
      else if (decision.admitted !== allowed) found.push(`${image} (${list}): checker ${allowed ? 'allows' : 'refuses'}, twin ${decision.admitted ? 'admits' : 'denies'}`);
    }
  }
  return found;
}

const HAND_PICKED = [
  'nginx', 'nginx:1.27', `nginx@${DIGEST}`, 'library/nginx', 'docker.io/nginx', 'docker.io/library/nginx:1', 'index.docker.io/nginx',
  'index.docker.io/library/nginx', 'bitnami/redis', 'docker.io/bitnami/redis', 'docker.io/libraryx/nginx', 'docker.io',
  `ghcr.io/example/web@${DIGEST}`, 'ghcr.io/example/mirror/registry.k8s.io/agnhost:2.53', 'ghcr.io/example', 'ghcr.io/example:1.0',
  'ghcr.io/example-evil/web', 'ghcr.io/example.evil.com/web', 'ghcr.io/examplex/web', 'evil.com/ghcr.io/example/web',
  'GHCR.IO/example/web', 'ghcr.io/Example/web', 'Nginx', 'Example/web', 'localhost:5000/app', 'localhost:5001/app', 'localhost/app',
  'registry.example.com:5000/team/app:1', 'registry.example.com/team/app', 'registry.example.com:5000/teamx/app', 'registry.example.com:5000/team',
  'ghcr.io/example/web@sha256:short', 'ghcr.io/example/web:', 'ghcr.io/example//web', 'ghcr.io/example/web:tag:more', '[::1]:5000/app',
  `ghcr.io/example/${'a'.repeat(240)}`, `ghcr.io/example/${'a'.repeat(230)}:${'t'.repeat(100)}`, 'ghcr.io/example/web@sha512:' + 'a'.repeat(128),
];

test('the registry twin admits exactly what the checker allows, on hand-picked references', () => {
  expect(disagreements(HAND_PICKED)).toEqual([]);
  // both verdicts occur, so agreement is not vacuous
  const allowed = HAND_PICKED.filter((image) => registryVerdict(image, POLICY).allowed).length;
  expect(allowed).toBeGreaterThan(8);
  expect(HAND_PICKED.length - allowed).toBeGreaterThan(15);
});

test('the registry twin agrees with the checker on generated references', () => {
  const host = fc.constantFrom('', 'docker.io/', 'index.docker.io/', 'ghcr.io/', 'GHCR.io/', 'localhost/', 'localhost:5000/', 'registry.example.com:5000/', 'registry.example.com/', 'quay.io/');
  const component = fc.constantFrom('example', 'example-evil', 'example.evil.com', 'library', 'team', 'teamx', 'nginx', 'web', 'Web', 'mirror', 'a_b', 'a__b', 'a--b', '-x');
  const path = fc.array(component, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
  const tag = fc.constantFrom('', ':1.0', ':latest', ':x', ':-bad', ':v1_2');
  const digest = fc.constantFrom('', `@${DIGEST}`, '@sha256:abc', `@SHA256:${'a'.repeat(64)}`);
  const image = fc.tuple(host, path, tag, digest).map(([h, p, t, d]) => `${h}${p}${t}${d}`);
  fc.assert(fc.property(fc.array(image, { minLength: 1, maxLength: 5 }), (images) => {
    expect(disagreements(images)).toEqual([]);
  }), { numRuns: 150, seed: 14 });
});
