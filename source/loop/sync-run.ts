// Running a sync's plan. Waves run one after another, each kind tier of a wave after the one before (CRDs
// Established before their custom resources); hooks start with their tier and are waited for at the end of their
// wave; before the next wave starts the wave's resources must be Healthy. The first failure blocks every later
// task (deletions are kept, said why) and runs the SyncFail hooks. A dry-run sends dry-run applies, creates and
// deletes only: each hook is sent to the server as a dry-run, none is run, and nothing is waited for.
import { type HookManifest, type SyncTask, tierGroups, waveGroups } from '../engine/index.js';
import { resourceLabel } from '../engine/keys.js';
import { scrubSecretValues } from '../engine/mask-message.js';
import { fieldManagerFor } from '../engine/ownership.js';
import type { ResourceResult } from '../engine/types.js';
import type { SyncInput } from './sync.js';
import { applyTask, crdsReady, ensureNamespaces, pruneTask, type SyncProgress } from './sync-apply.js';
import { finishHook, type HookContext, hookManifestFor, type StartedHook, startHook } from './sync-hooks.js';
import { type SyncWaitOptions, waitWaveHealthy } from './sync-waits.js';

const where = (t: SyncTask) => ({ phase: t.phase, wave: t.wave });
const isHook = (t: SyncTask) => t.operation === 'create' || t.operation === 'hook';
const removes = (t: SyncTask) => t.operation === 'prune' || t.operation === 'keep';

export async function runTasks(input: SyncInput, tasks: readonly SyncTask[]): Promise<ResourceResult[]> {
  const progress: SyncProgress = { wouldCreate: [], namespaces: new Set() };
  const results: ResourceResult[] = await ensureNamespaces(input, tasks, progress);
  const main = waveGroups(tasks.filter((t) => t.phase !== 'SyncFail'));
  let failure: string | undefined;
  for (let i = 0; i < main.length; i++) {
    const group = main[i]!;
    // Nothing is pruned by a sync where anything failed (a target namespace included).
    const removal = group[0] !== undefined && removes(group[0]);
    if (failure || (removal && results.some((r) => !r.ok))) {
      results.push(...group.map((t) => blocked(t)));
      continue;
    }
    // Deletions are no wave to wait for: a sync whose one wave is followed only by prunes waits for nothing.
    const later = main.slice(i + 1).some((g) => g.some((t) => !removes(t)));
    failure = await runWave(input, group, results, progress, later);
  }
  if (failure && !input.options.dryRun) {
    const onFail = tasks.filter((t) => t.phase === 'SyncFail');
    if (onFail.length)
      input.emit({
        level: 'warning',
        type: 'hook',
        message: `sync failed (${failure}): running SyncFail hooks`,
      });
    for (const group of waveGroups(onFail)) await runWave(input, group, results, progress, false);
  }
  return results;
}

/** The waits of this sync: the test's, else the step timeout the person gave, else the defaults. */
function waitsOf(input: SyncInput): SyncWaitOptions {
  const step = input.options.stepTimeoutMs;
  return {
    ...(step ? { healthTimeoutMs: step, hookTimeoutMs: step } : {}),
    ...input.waits,
  };
}

/** The result of a task not run because an earlier one failed. */
function blocked(t: SyncTask): ResourceResult {
  const base = { key: t.key, apiVersion: t.apiVersion, ...where(t) };
  if (t.operation === 'prune')
    return { ...base, action: 'kept', ok: true, message: 'not pruned: an earlier task failed' };
  if (t.operation === 'keep') return { ...base, action: 'kept', ok: true, message: t.why };
  const what = isHook(t) ? 'not run' : 'not applied';
  return { ...base, action: 'blocked', ok: false, message: `${what}: an earlier task failed` };
}

/** One wave; why it failed, or undefined. */
async function runWave(
  input: SyncInput,
  group: readonly SyncTask[],
  results: ResourceResult[],
  progress: SyncProgress,
  laterWave: boolean,
): Promise<string | undefined> {
  const dryRun = input.options.dryRun;
  const ctx: HookContext = {
    cluster: input.cluster,
    app: input.app.name,
    emit: input.emit,
    waits: waitsOf(input),
  };
  const started: StartedHook[] = [];
  let failed: string | undefined;
  for (const tier of tierGroups(group)) {
    if (failed && !tier.some(removes)) {
      results.push(...tier.map((t) => blocked(t)));
      continue;
    }
    // Deletions run one at a time in reverse order; a failed one stops none of the others.
    if (tier.some(removes)) {
      for (const t of tier) {
        const r = await runTask(input, ctx, t, progress, started);
        if (r) results.push(r);
        if (r && !r.ok) failed ??= `${r.key.kind}/${r.key.name}: prune failed: ${r.message ?? ''}`;
      }
      continue;
    }
    const out = await Promise.all(tier.map((t) => runTask(input, ctx, t, progress, started)));
    results.push(...out.filter((r): r is ResourceResult => r !== undefined));
    const bad =
      out.find((r) => r && !r.ok) ??
      started.find((s): s is { failed: ResourceResult } => 'failed' in s)?.failed;
    if (bad) failed = `${bad.key.kind}/${bad.key.name}: ${bad.message ?? 'failed'}`;
    else if (!(await crdsReady(input, tier, results, progress))) failed = 'a CRD was not Established';
  }
  // Hooks are done (or failed) before anything of a later wave starts, whatever happened meanwhile.
  for (const s of started) {
    if ('failed' in s) {
      results.push(s.failed);
      continue;
    }
    const out = await finishHook(ctx, s);
    results.push(...out);
    const bad = out.find((r) => !r.ok);
    if (bad && !failed)
      failed = `${s.task.phase} hook ${bad.key.kind}/${bad.key.name} failed: ${bad.message}`;
  }
  if (failed || dryRun || !laterWave) return failed;
  const applied = group.filter((t) => t.operation === 'apply');
  if (applied.length === 0) return undefined;
  const head = group[0]!;
  input.emit({
    level: 'info',
    type: 'progress',
    message: `waiting for ${head.phase} wave ${head.wave} to be Healthy before the next wave`,
  });
  const unhealthy = await waitWaveHealthy(
    input.cluster,
    applied.map((t) => ({ apiVersion: t.apiVersion, key: t.key })),
    'the next wave',
    ctx.waits,
  );
  if (!unhealthy) return undefined;
  const result = results.find(
    (r) =>
      r.key.kind === unhealthy.failed.key.kind &&
      r.key.name === unhealthy.failed.key.name &&
      r.key.namespace === unhealthy.failed.key.namespace,
  );
  if (result) Object.assign(result, { action: 'failed', ok: false, message: unhealthy.message });
  input.emit({
    level: 'error',
    type: 'resource-failed',
    resource: `${unhealthy.failed.key.kind}/${unhealthy.failed.key.name}`,
    message: unhealthy.message,
  });
  return unhealthy.message;
}

async function runTask(
  input: SyncInput,
  ctx: HookContext,
  t: SyncTask,
  progress: SyncProgress,
  started: StartedHook[],
): Promise<ResourceResult | undefined> {
  switch (t.operation) {
    case 'apply':
      return applyTask(input, t, progress);
    case 'prune':
      return pruneTask(input, t);
    case 'keep':
      return { key: t.key, apiVersion: t.apiVersion, action: 'kept', ok: true, message: t.why, ...where(t) };
    default: {
      if (!isHook(t)) return undefined;
      const manifest = hookManifestFor(t, input.comparison.hooks);
      if (input.options.dryRun) return dryRunHook(input, t, manifest);
      if (!manifest)
        return {
          key: t.key,
          apiVersion: t.apiVersion,
          action: 'hook-failed',
          ok: false,
          message: 'no hook manifest',
          ...where(t),
        };
      started.push(await startHook(ctx, t, manifest));
      return undefined;
    }
  }
}

/**
 * A hook in a dry-run: not run, but sent to the server as a dry-run (a POST for a generateName hook, an apply
 * otherwise), so a hook the API would refuse (an invalid Job, a kind the cluster does not serve, admission) fails the
 * dry-run as it would fail the sync, instead of being reported as fine.
 */
async function dryRunHook(
  input: SyncInput,
  t: SyncTask,
  manifest: HookManifest | undefined,
): Promise<ResourceResult> {
  const key = t.hook?.generateName ? { ...t.key, name: `${t.hook.generateName}*` } : t.key;
  const base = { key, apiVersion: t.apiVersion, ...where(t) };
  if (!manifest) return { ...base, action: 'hook-failed', ok: false, message: 'no hook manifest' };
  const fieldManager = fieldManagerFor(input.app.name);
  try {
    if (t.hook?.generateName) await input.cluster.create(manifest.object, { fieldManager, dryRun: true });
    else
      await input.cluster.apply(manifest.object, {
        fieldManager,
        dryRun: true,
        force: true,
        metadataOnly: true,
      });
    return {
      ...base,
      action: 'hook-created',
      ok: true,
      message: `dry-run: accepted by the server, not run (${t.why})`,
    };
  } catch (err) {
    const message = scrubSecretValues(manifest.object, (err as Error).message);
    // As for the app's objects: a namespace this same sync creates first cannot hold a dry-run object yet.
    const ns = /namespaces "([^"]+)" not found/.exec(message)?.[1];
    if (ns && t.key.namespace === ns)
      return {
        ...base,
        action: 'hook-created',
        ok: true,
        message: `dry-run: after namespace ${ns} is created, not run (${t.why})`,
      };
    input.emit({
      level: 'error',
      type: 'hook',
      resource: resourceLabel(key),
      message: `${t.phase} hook refused in the dry-run: ${message}`,
    });
    return {
      ...base,
      action: 'hook-failed',
      ok: false,
      message: `dry-run: the server refuses it: ${message}`,
    };
  }
}
