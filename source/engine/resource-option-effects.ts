// What the per-resource options (resource-options.ts) change in a comparison and a sync, as pure decisions with the
// reason in words. Decisions about a prune candidate read the live object (it is no longer in Git), as Argo CD and
// Flux both do; decisions about applying read the desired object.
//
// Choices, each after the project's documentation:
// - Prune=false / prune: disabled: never pruned; the candidate stays listed and the app stays OutOfSync, as Argo CD
//   documents ("The app will be out of sync if Argo CD expects a resource to be pruned"), unless it also carries
//   compare-options IgnoreExtraneous.
// - IgnoreExtraneous: a prune candidate with it is still listed (Extraneous) but leaves the app's sync status alone
//   (Argo CD's controller: only a resource that needs pruning is exempted).
// - ssa: Ignore: never applied, never compared (no dry-run request), not part of the app's sync status.
// - ssa: IfNotPresent: created when missing; once it exists, never compared nor updated.
// - ssa: Merge: Flux keeps fields other managers added while the manifest's own fields are Git's. driftdeck's
//   server-side apply does that for every object (it never removes another manager's fields and does no managed-field
//   cleanup), so Merge changes nothing; conflicts keep driftdeck's rules (hand edits are taken back, another
//   applier's fields need --force-conflicts).
import {
  type ParsedResourceOptions,
  type ResourceSyncOptions,
  resourceSyncOptions,
} from './resource-options.js';
import type { KubeObject } from './types.js';

/** Why a sync leaves this desired object as it is (whatever it differs in), or undefined. */
export function applyHold(desired: KubeObject, live: KubeObject | undefined): string | undefined {
  return holdOf(resourceSyncOptions(desired).options, live !== undefined);
}

/** applyHold from options already read: `exists` says whether the object is on the cluster. */
export function holdOf(options: ResourceSyncOptions, exists: boolean): string | undefined {
  if (options.applyPolicy === 'ignore') return `not applied: ${options.why.apply}`;
  if (options.applyPolicy === 'if-not-present' && exists)
    return `not updated: ${options.why.apply} (it exists)`;
  return undefined;
}

/** Why a prune candidate is never pruned, from its live object, or undefined. */
export function pruneRefusal(live: KubeObject): string | undefined {
  return pruneRefusalOf(resourceSyncOptions(live).options);
}

/** pruneRefusal from options already read (a prune candidate's, read from its live object). */
export function pruneRefusalOf(options: ResourceSyncOptions): string | undefined {
  return options.prune ? undefined : `not pruned: ${options.why.prune}`;
}

/** The option that leaves this resource out of the app's sync status, or undefined. */
export function statusExemption(
  desired: KubeObject | undefined,
  live: KubeObject | undefined,
): string | undefined {
  if (desired) {
    const { options } = resourceSyncOptions(desired);
    return options.applyPolicy === 'ignore' ? options.why.apply : undefined;
  }
  if (!live) return undefined;
  const { options } = resourceSyncOptions(live);
  return options.ignoreExtraneous ? options.why.ignoreExtraneous : undefined;
}

/** The warnings about an object's options, one line, or undefined when there are none. */
export function optionWarnings(obj: KubeObject | undefined): string | undefined {
  const { warnings }: ParsedResourceOptions = resourceSyncOptions(obj);
  return warnings.length ? warnings.join('; ') : undefined;
}

/**
 * The API server refused a change because a field may not change. Flux (and kubectl apply --force) take any Invalid
 * (422) answer as that; driftdeck asks more, as the recreate deletes the object first: a 422 that says so (`field is
 * immutable`, a StatefulSet's `Forbidden: updates to statefulset spec for fields other than ...`), or the words
 * admission webhooks and CEL rules use (`is immutable`, `immutable field`). A new form refused for another reason
 * (an invalid value) would be refused again after the delete, and the object lost. A 409 is a field-manager
 * conflict for a server-side apply, never an immutable field.
 */
export function isImmutableFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const message = String((err as { message?: unknown })?.message ?? '');
  if (/is\simmutable|immutable\sfield|field is immutable/i.test(message)) return true;
  return code === 422 && /Forbidden: updates to \S+ spec for fields other than/.test(message);
}
