// Giving rendered objects their namespace, the way `kubectl apply -n` would.

import { groupOf } from './keys.js';
import type { KubeObject } from './types.js';

/** Answers whether a kind is namespaced, from discovery; undefined when the kind is not known. */
export type IsNamespaced = (group: string, kind: string) => boolean | undefined;

/**
 * Namespaced objects without a namespace get `namespace`; cluster-scoped ones lose any namespace they name.
 * Kinds discovery does not know (a CRD applied in the same sync) are taken as namespaced, the common case.
 */
export function withDefaultNamespace(
  objects: KubeObject[],
  namespace: string,
  isNamespaced: IsNamespaced,
  override = false,
): KubeObject[] {
  return objects.map((obj) => defaultNamespaceOf(obj, namespace, isNamespaced, override));
}

/** `override`: every namespaced object goes into `namespace`, whatever it names (Flux's targetNamespace). */
export function defaultNamespaceOf(
  obj: KubeObject,
  namespace: string,
  isNamespaced: IsNamespaced,
  override = false,
): KubeObject {
  const namespaced = isNamespaced(groupOf(obj.apiVersion), obj.kind) ?? true;
  const metadata = { ...obj.metadata };
  if (namespaced) {
    if (metadata.namespace === namespace || (metadata.namespace && !override)) return obj;
    metadata.namespace = namespace;
  } else {
    if (metadata.namespace === undefined) return obj;
    delete metadata.namespace;
  }
  return { ...obj, metadata };
}
