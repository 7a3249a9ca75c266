import { nameOf, namespaceOf } from './rules/rule-helpers';
import type { CheckContext, KubeObject } from './types';
import type { ImagePolicySettings } from '../model/image-policy';

const CLUSTER = '\u0000cluster';

function kindOf(object: KubeObject): string {
  return typeof object.kind === 'string' ? object.kind : '';
}

/**
 * The lookups of `CheckContext`, indexed once in linear time: objects by (kind, namespace) and by
 * (kind, namespace, name). An object without `metadata.namespace` is filed under `undefined`, as
 * rules ask for cluster-scoped objects (and for namespaced objects whose manifest leaves the
 * namespace to `kubectl`). When two objects share kind, namespace and name, `find` returns the first.
 */
export class ManifestIndex implements CheckContext {
  /** kind, then namespace (CLUSTER for none), then the objects and the first of each name. */
  private readonly byKind = new Map<string, Map<string, { readonly objects: KubeObject[]; readonly byName: Map<string, KubeObject> }>>();
  private readonly namespaceNames: readonly string[];

  constructor(objects: Iterable<KubeObject>, readonly imagePolicy?: ImagePolicySettings) {
    const namespaces = new Set<string>();
    // nested maps rather than joined string keys: no key is built per object.
    for (const object of objects) {
      const kind = kindOf(object);
      const namespace = namespaceOf(object);
      let byNamespace = this.byKind.get(kind);
      if (!byNamespace) this.byKind.set(kind, byNamespace = new Map());
      const namespaceKey = namespace ?? CLUSTER;
      let group = byNamespace.get(namespaceKey);
      if (!group) byNamespace.set(namespaceKey, group = { objects: [], byName: new Map() });
      group.objects.push(object);
      const name = nameOf(object);
      if (!group.byName.has(name)) group.byName.set(name, object);
      if (namespace !== undefined) namespaces.add(namespace);
      if (kind === 'Namespace' && name !== '') namespaces.add(name);
    }
    this.namespaceNames = [...namespaces].sort();
  }

  objectsOf(kind: string, namespace: string | undefined): readonly KubeObject[] {
    return this.byKind.get(kind)?.get(namespace || CLUSTER)?.objects ?? [];
  }

  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byKind.get(kind)?.get(namespace || CLUSTER)?.byName.get(name);
  }

  namespaces(): readonly string[] {
    return this.namespaceNames;
  }
}
