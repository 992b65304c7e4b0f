// Running one hook task of a sync: the previous object of that name deleted first (BeforeHookCreation), the hook
// created (generateName: POST, the server makes the name) or applied (a name), waited for until it is done, then
// deleted when its delete policy says so. Every step is an event of the rollout log.
import {
  fieldManagerFor,
  type HookManifest,
  keyString,
  resourceLabel,
  type SyncTask,
} from '../engine/index.js';
import { scrubSecretValues } from '../engine/mask-message.js';
import type { ClusterPort } from '../engine/ports.js';
import type { KubeObject, ResourceResult, RolloutEvent } from '../engine/types.js';
import { type ObjectRef, type SyncWaitOptions, waitGone, waitHookDone } from './sync-waits.js';

export interface HookContext {
  cluster: ClusterPort;
  app: string;
  emit: (e: Omit<RolloutEvent, 'time' | 'app'>) => void;
  waits?: SyncWaitOptions;
}

/** A hook started: what to wait for, or the result of a hook that could not even be made. */
export type StartedHook =
  | { task: SyncTask; ref: ObjectRef; created: KubeObject }
  | { failed: ResourceResult };

const where = (t: SyncTask) => ({ phase: t.phase, wave: t.wave });
const nameOf = (t: SyncTask) =>
  t.hook?.generateName ? `${t.key.kind}/${t.hook.generateName}*` : resourceLabel(t.key);

export function hookManifestFor(task: SyncTask, hooks: readonly HookManifest[]): HookManifest | undefined {
  const id = keyString(task.key);
  return hooks.find((h) => keyString(h.key) === id);
}

/** Deletes the previous object (BeforeHookCreation), then creates or applies the hook. */
export async function startHook(ctx: HookContext, task: SyncTask, hook: HookManifest): Promise<StartedHook> {
  const { cluster, emit } = ctx;
  const fail = (message: string): StartedHook => {
    const masked = scrubSecretValues(hook.object, message);
    emit({
      level: 'error',
      type: 'hook',
      resource: nameOf(task),
      message: `${task.phase} hook failed: ${masked}`,
    });
    return {
      failed: {
        key: task.key,
        apiVersion: task.apiVersion,
        action: 'hook-failed',
        ok: false,
        message: masked,
        ...where(task),
      },
    };
  };
  const policies = task.hook?.deletePolicies ?? [];
  try {
    if (!task.hook?.generateName && policies.includes('BeforeHookCreation')) {
      const ref = { apiVersion: task.apiVersion, key: task.key };
      const before = await cluster.read({
        apiVersion: task.apiVersion,
        kind: task.key.kind,
        name: task.key.name,
        ...(task.key.namespace ? { namespace: task.key.namespace } : {}),
      });
      if (before) {
        await cluster.remove(before, { dryRun: false });
        if (!(await waitGone(cluster, ref, ctx.waits)))
          return fail('the previous hook object of that name is still being deleted');
        emit({
          level: 'info',
          type: 'hook',
          resource: nameOf(task),
          message: 'previous hook object deleted (BeforeHookCreation)',
        });
      }
    }
    const created = task.hook?.generateName
      ? await cluster.create(hook.object, { fieldManager: fieldManagerFor(ctx.app), dryRun: false })
      : await cluster.apply(hook.object, {
          fieldManager: fieldManagerFor(ctx.app),
          dryRun: false,
          force: true,
          metadataOnly: true,
        });
    const key = { ...task.key, name: created.metadata.name };
    emit({
      level: 'info',
      type: 'hook',
      resource: resourceLabel(key),
      message: `${task.phase} hook created`,
    });
    // What a delete needs (the answer to an apply is metadata alone, of another kind): the uid keeps it to this one.
    const made: KubeObject = {
      apiVersion: task.apiVersion,
      kind: task.key.kind,
      metadata: {
        name: key.name,
        ...(key.namespace ? { namespace: key.namespace } : {}),
        ...(created.metadata.uid ? { uid: created.metadata.uid } : {}),
      },
    };
    return { task, ref: { apiVersion: task.apiVersion, key }, created: made };
  } catch (err) {
    return fail((err as Error).message);
  }
}

/** Waits for a started hook, then applies its delete policy; the results (the hook's, and its deletion's). */
export async function finishHook(ctx: HookContext, started: StartedHook): Promise<ResourceResult[]> {
  if ('failed' in started) return [started.failed];
  const { task, ref, created } = started;
  const { cluster, emit } = ctx;
  const done = await waitHookDone(cluster, ref, ctx.waits);
  const label = resourceLabel(ref.key);
  const out: ResourceResult[] = [
    {
      key: ref.key,
      apiVersion: task.apiVersion,
      action: done.ok ? 'hook-succeeded' : 'hook-failed',
      ok: done.ok,
      ...(done.message ? { message: done.message } : {}),
      ...where(task),
    },
  ];
  emit({
    level: done.ok ? 'info' : 'error',
    type: 'hook',
    resource: label,
    message: `${task.phase} hook ${done.ok ? 'succeeded' : `failed: ${done.message}`}`,
  });
  const policy = done.ok ? 'HookSucceeded' : 'HookFailed';
  if (task.hook?.deletePolicies.includes(policy)) {
    try {
      await cluster.remove(created, { dryRun: false });
      out.push({
        key: ref.key,
        apiVersion: task.apiVersion,
        action: 'hook-deleted',
        ok: true,
        message: policy,
        ...where(task),
      });
      emit({ level: 'info', type: 'hook', resource: label, message: `deleted (${policy})` });
    } catch (err) {
      // The hook's own outcome stands; the object left behind is said with it.
      const message = `could not delete it (${policy}): ${(err as Error).message}`;
      const first = out[0]!;
      first.message = first.message ? `${first.message}; ${message}` : message;
      emit({ level: 'warning', type: 'hook', resource: label, message });
    }
  }
  return out;
}
