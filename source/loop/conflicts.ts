// Server-side apply conflicts. A field that someone changed by hand (kubectl edit, scale, patch: an Update by
// another field manager) is drift, and Git wins: driftdeck takes it back. A field owned by another *applier*
// (another GitOps tool, a person's `kubectl apply --server-side`) is a real conflict: reported, and only taken
// with an explicit --force-conflicts.

import { appLabelOf, fieldManagerFor, isOwnedBy, LEGACY_FIELD_MANAGER } from '../engine/index.js';
import { scrubSecretValues } from '../engine/mask-message.js';
import type { ApplyFailure, ApplyOptions, ClusterPort } from '../engine/ports.js';
import type { KubeObject } from '../engine/types.js';

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
}

/** Manager names from an apply conflict message, e.g. `conflict with "kubectl-edit" using apps/v1: .spec.replicas`. */
export function conflictManagers(message: string): string[] {
  return [...new Set([...message.matchAll(/conflicts? with "([^"]+)"/g)].map((m) => m[1]!))];
}

/** True when every conflicting manager only ever wrote with Update operations (hand edits), none with Apply. */
export function onlyHandEdits(managers: string[], live: KubeObject | undefined): boolean {
  if (!managers.length || !live) return false;
  const entries = managedFields(live);
  return managers.every((m) => {
    const own = entries.filter((e) => e.manager === m);
    return own.length > 0 && own.every((e) => e.operation === 'Update');
  });
}

const managedFields = (live: KubeObject) =>
  (live.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];

/**
 * The single field manager of earlier driftdeck versions applied this object for the app it is marked for now:
 * its fields are the app's own, not another applier's.
 */
export function legacyOwnedBy(live: KubeObject | undefined, app: string | undefined): boolean {
  if (!live || !app || !isOwnedBy(live, app)) return false;
  return managedFields(live).some((e) => e.manager === LEGACY_FIELD_MANAGER && e.operation === 'Apply');
}

/**
 * Conflicting managers a sync takes back without --force-conflicts: hand edits, and the app's earlier manager.
 * Undefined when another applier is among them; else what the sync takes, in words (`hand` for the hand edits).
 */
function ownToTakeBack(
  managers: string[],
  live: KubeObject | undefined,
  app: string | undefined,
): { hand: string[]; legacy: boolean } | undefined {
  const legacy = legacyOwnedBy(live, app) && managers.includes(LEGACY_FIELD_MANAGER);
  const hand = legacy ? managers.filter((m) => m !== LEGACY_FIELD_MANAGER) : managers;
  if (hand.length === 0) return legacy ? { hand, legacy } : undefined;
  return onlyHandEdits(hand, live) ? { hand, legacy } : undefined;
}

const LEGACY_WORDS = `fields of the former shared field manager ${LEGACY_FIELD_MANAGER}`;

/** The app an object is applied for, from the mark prepareDesired put on it, and the field manager that follows. */
function applier(desired: KubeObject): { app: string | undefined; fieldManager: string } {
  const app = appLabelOf(desired);
  return { app, fieldManager: app ? fieldManagerFor(app) : LEGACY_FIELD_MANAGER };
}

export const isApplyFailure = (err: unknown): err is ApplyFailure & Error =>
  typeof (err as ApplyFailure)?.code === 'number' && typeof (err as ApplyFailure)?.reason === 'string';

const isConflict = (err: unknown) => isApplyFailure(err) && err.code === 409 && err.reason === 'Conflict';

/**
 * The object itself is wrong for its schema (a field the schema does not declare, a value of the wrong type): the
 * API server says so with a 500 (kubernetes/kubernetes#139253), yet asking again gets the same answer.
 */
const SCHEMA_MISMATCH = /failed to create typed (?:patch )?object/;

/** A failure of the connection or the server, not of the object: worth asking again rather than remembering. */
function isTransient(err: unknown): boolean {
  if (!isApplyFailure(err) || err.code === 0) return true;
  return err.code >= 500 && !SCHEMA_MISMATCH.test(err.message);
}

export interface Prediction {
  /** What the server says the object would become; undefined when dry-run was not possible. */
  object?: KubeObject;
  /** Shown beside the resource: why the diff is client-side, or who else owns fields. */
  note?: string;
  /** The failure was the connection, not the object: do not cache it. */
  transient?: boolean;
}

export async function predictApply(
  cluster: ClusterPort,
  desired: KubeObject,
  live?: KubeObject,
): Promise<Prediction> {
  const warnings = new Set<string>();
  const { app, fieldManager } = applier(desired);
  const dryRun = (force: boolean) =>
    cluster.apply(desired, { fieldManager, dryRun: true, force, onWarnings: collect(warnings) });
  const withWarnings = (note?: string) => {
    const all = withServerWarnings(note, warnings);
    return all ? { note: all } : {};
  };
  try {
    return { object: await dryRun(false), ...withWarnings() };
  } catch (err) {
    if (isConflict(err)) {
      const managers = conflictManagers((err as Error).message);
      const own = ownToTakeBack(managers, live, app);
      const note = !own
        ? `fields owned by another field manager (${managers.join(', ') || 'unknown'}); sync needs --force-conflicts`
        : own.legacy
          ? `${LEGACY_WORDS}${own.hand.length ? `, and changed by hand (${own.hand.join(', ')})` : ''}; a sync takes them over`
          : `changed by hand (${managers.join(', ')}); a sync puts Git's values back`;
      try {
        return { object: await dryRun(true), ...withWarnings(note) };
      } catch (again) {
        return {
          note: scrubSecretValues(desired, `${note}; dry-run failed: ${(again as Error).message}`),
          transient: isTransient(again),
        };
      }
    }
    return { note: scrubSecretValues(desired, dryRunFailure(err)), transient: isTransient(err) };
  }
}

/** Why the server could not predict the object, in words: the common case is a namespace the sync will create. */
function dryRunFailure(err: unknown): string {
  const message = (err as Error).message;
  const ns = /namespaces "([^"]+)" not found/.exec(message)?.[1];
  return ns ? `namespace ${ns} does not exist yet; the sync creates it` : message;
}

/** Adds the server's warnings to a set, each once. */
const collect = (into: Set<string>) => (warnings: string[]) => {
  for (const w of warnings) into.add(w);
};

/** A resource's note followed by the server's warnings about its request, as shown beside it. */
export function withServerWarnings(note: string | undefined, warnings: Iterable<string>): string | undefined {
  const all = [...(note ? [note] : []), ...[...warnings].map((w) => `server warning: ${w}`)];
  return all.length ? all.join('; ') : undefined;
}

/**
 * Applies for real. Hand-made drift is taken back (forced); a conflict with another applier fails with a message
 * naming it, unless `force` was asked. The applied object is not read back (the informer cache has it), so the
 * server is asked for its metadata only. `warnings`: what the server warned about the request (each once).
 */
export async function applyResolvingDrift(
  cluster: ClusterPort,
  desired: KubeObject,
  live: KubeObject | undefined,
  opts: Pick<ApplyOptions, 'dryRun' | 'force'>,
): Promise<{ note?: string; warnings: string[] }> {
  const warnings = new Set<string>();
  const { app, fieldManager } = applier(desired);
  const apply = (force: boolean) =>
    cluster.apply(desired, {
      ...opts,
      fieldManager,
      force,
      metadataOnly: true,
      onWarnings: collect(warnings),
    });
  let note: string | undefined;
  try {
    await apply(opts.force);
  } catch (err) {
    if (!isConflict(err) || opts.force) throw err;
    const managers = conflictManagers((err as Error).message);
    const own = ownToTakeBack(managers, live, app);
    if (!own) {
      throw new Error(
        `${(err as Error).message.replace(/^Conflict: /, 'conflict: ')} — another field manager (${managers.join(', ')}) owns these fields; sync with --force-conflicts to take them`,
      );
    }
    await apply(true);
    note = own.legacy
      ? `took over ${LEGACY_WORDS}${own.hand.length ? `, and fields changed by hand by ${own.hand.join(', ')}` : ''}`
      : `took back fields changed by hand by ${managers.join(', ')}`;
  }
  if (!opts.dryRun && legacyOwnedBy(live, app)) {
    const released = await releaseLegacyManager(cluster, desired);
    if (released) note = note ? `${note}; ${released}` : released;
  }
  return { ...(note ? { note } : {}), warnings: [...warnings] };
}

/**
 * After the app's own manager applied the whole manifest, the earlier shared manager still co-owns those fields, and
 * alone owns fields an older manifest had: while it holds them, a field removed from Git would stay on the object.
 * Applying an empty intent under the old manager gives up all of them, as kubectl's server-side migration does: the
 * co-owned ones stay with the app's manager, the ones Git dropped are removed. A failure leaves the old manager in
 * place (the object is applied all the same) and is said.
 */
async function releaseLegacyManager(cluster: ClusterPort, desired: KubeObject): Promise<string | undefined> {
  const { name, namespace } = desired.metadata;
  const empty: KubeObject = {
    apiVersion: desired.apiVersion,
    kind: desired.kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
  };
  try {
    await cluster.apply(empty, {
      fieldManager: LEGACY_FIELD_MANAGER,
      dryRun: false,
      force: false,
      metadataOnly: true,
    });
    return undefined;
  } catch (err) {
    return `could not release the fields of the earlier field manager ${LEGACY_FIELD_MANAGER}: ${(err as Error).message}`;
  }
}
