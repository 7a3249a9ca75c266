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
  private readonly byNamespace = new Map<string, KubeObject[]>();
  private readonly byName = new Map<string, KubeObject>();
  private readonly namespaceNames: readonly string[];

  constructor(objects: Iterable<KubeObject>, readonly imagePolicy?: ImagePolicySettings) {
    const namespaces = new Set<string>();
    for (const object of objects) {
      const kind = kindOf(object);
      const namespace = namespaceOf(object);
      const listKey = `${kind}\u0000${namespace ?? CLUSTER}`;
      let list = this.byNamespace.get(listKey);
      if (!list) this.byNamespace.set(listKey, list = []);
      list.push(object);
      const nameKey = `${listKey}\u0000${nameOf(object)}`;
      if (!this.byName.has(nameKey)) this.byName.set(nameKey, object);
      if (namespace !== undefined) namespaces.add(namespace);
      if (kind === 'Namespace' && nameOf(object) !== '') namespaces.add(nameOf(object));
    }
    this.namespaceNames = [...namespaces].sort();
  }

  objectsOf(kind: string, namespace: string | undefined): readonly KubeObject[] {
    return this.byNamespace.get(`${kind}\u0000${namespace || CLUSTER}`) ?? [];
  }

  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byName.get(`${kind}\u0000${namespace || CLUSTER}\u0000${name}`);
  }

  namespaces(): readonly string[] {
    return this.namespaceNames;
  }
}
