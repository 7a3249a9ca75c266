import type { KubeObject, ManifestEntry } from '../../src/checker/types';

/** a Pod that passes pss-restricted. */
export function restrictedPod(name = 'web', namespace: string | null = 'shop'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'app',
        image: 'registry.example.com/web:1.2.3',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }],
    },
  };
}

/** a Pod with one privileged container: one pss-privileged finding under pss-baseline. */
export function privilegedPod(name = 'bad', namespace: string | null = 'shop'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { containers: [{ name: 'app', image: 'app:1', securityContext: { privileged: true } }] },
  };
}

/** objects as entries of one file, one document each. */
export function entries(objects: readonly KubeObject[], file?: string): ManifestEntry[] {
  return objects.map((object, documentIndex) => ({ object, source: { ...(file ? { file } : {}), documentIndex } }));
}

/** a deep copy. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
