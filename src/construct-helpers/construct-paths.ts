import * as fs from 'fs';
import * as path from 'path';
import type { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { registeredImagePolicy } from '../model/image-policy';
import { IMAGE_POLICY_KEY, OBJECT_PATHS_KEY, ObjectPath } from '../model/object-paths';

const RECORDING = new WeakSet<object>();

/**
 * cdk8s's `construct-metadata.json` (written when validation plugins are configured) maps a
 * resource *name* to a construct path, so a Deployment and its Service of the same name share
 * one entry. This makes the app also record every object by apiVersion, kind, namespace and name
 * under `cdk8s-hardened/objects`, which the validation plugin reads to name the right construct.
 * The CLI reads only `version` and `resources`, so the file stays what it expects. Idempotent per
 * app; a cdk8s without the method is left alone (the plugin then falls back to names).
 */
export function recordObjectPaths(scope: IConstruct): void {
  const app = scope.node.root as unknown as Record<string, unknown> & { outdir?: string };
  if (RECORDING.has(app)) return;
  RECORDING.add(app);
  const original = app.writeConstructMetadata;
  if (typeof original !== 'function') return;
  app.writeConstructMetadata = function writeWithObjects(this: typeof app, apiObjects: ApiObject[]) {
    original.call(this, apiObjects);
    if (typeof this.outdir !== 'string') return;
    const file = path.join(this.outdir, 'construct-metadata.json');
    const contents = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    contents[OBJECT_PATHS_KEY] = apiObjects.map((apiObject): ObjectPath => ({
      apiVersion: apiObject.apiVersion,
      kind: apiObject.kind,
      ...(apiObject.metadata.namespace !== undefined ? { namespace: apiObject.metadata.namespace } : {}),
      name: apiObject.name,
      path: apiObject.node.path,
    }));
    const imagePolicy = registeredImagePolicy(this);
    if (imagePolicy) contents[IMAGE_POLICY_KEY] = imagePolicy;
    fs.writeFileSync(file, JSON.stringify(contents));
  };
}
