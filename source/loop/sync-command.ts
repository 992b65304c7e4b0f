// A sync of one app, asked for by a person or by the auto-sync policy: refused when the app cannot be synced now,
// else compared once more against the freshest cache (the plan applied is the plan shown), run, and remembered.
import { formatLocatedError } from '../config/errors.js';
import { createdCrd } from '../engine/index.js';
import type { AppSpec, LocatedError, RolloutEvent, SyncOptions, SyncRecord } from '../engine/types.js';
import type { AppComparisons } from './app-comparisons.js';
import type { AppRecords } from './app-records.js';
import type { LoopOptions } from './options.js';
import type { RenderedApp } from './render-revision.js';
import type { RolloutTracker } from './rollout.js';
import { runSync, syncRefusal } from './sync.js';

export interface SyncContext {
  opts: LoopOptions;
  /** Throws when the loop is read-only. */
  refuseReadonly(what: string): void;
  appSpec(name: string): AppSpec;
  configError: LocatedError | undefined;
  rendered: ReadonlyMap<string, RenderedApp>;
  compared: AppComparisons;
  busy: Map<string, { kind: 'sync' | 'revert'; startedAt: string }>;
  head(): string | undefined;
  records: AppRecords;
  tracker: RolloutTracker;
  /** Watches what the apps render again (a CRD the sync installed makes new kinds known). */
  watchApps(): Promise<void>;
  /** After the sync: one comparison, soon. */
  compareSoon(): void;
  publish(): void;
  emit(e: Omit<RolloutEvent, 'time'>): void;
}

export async function syncApp(
  ctx: SyncContext,
  app: string,
  options: SyncOptions,
  automatic: boolean,
): Promise<SyncRecord> {
  if (!options.dryRun) ctx.refuseReadonly('sync');
  const spec = ctx.appSpec(app);
  if (spec.held?.kind === 'unmanaged')
    throw new Error(`not syncing ${app}: driftdeck does not run it: ${formatLocatedError(spec.held.reason)}`);
  const refusal = syncRefusal(app, {
    configError: ctx.configError,
    renderError: ctx.rendered.get(app)?.error,
    stateError: ctx.compared.states.get(app)?.error,
    busy: ctx.busy.has(app),
  });
  if (refusal) throw new Error(refusal);
  // Busy before the comparison below: an auto-sync decided meanwhile (at the end of that very comparison, or on
  // an ownership change) must find the app busy, or this process would run two syncs of it at once.
  ctx.busy.set(app, { kind: 'sync', startedAt: new Date().toISOString() });
  ctx.publish();
  try {
    // Compare against the freshest cache first, so the plan applied is the plan shown.
    await ctx.compared.compareForSync(app);
    const comparison = ctx.compared.comparisons.get(app);
    const revision = ctx.head();
    if (!comparison || !revision) throw new Error(`${app} has not been compared yet; try again in a moment`);
    const { opts } = ctx;
    const record = await runSync({
      cluster: opts.cluster,
      app: spec,
      comparison,
      revision,
      by: automatic ? `${opts.by} (auto-sync)` : opts.by,
      holder: opts.holder ?? opts.by,
      options,
      emit: (e) => ctx.emit({ ...e, app }),
    });
    if (!options.dryRun) {
      ctx.records.remember(app, record);
      ctx.compared.cache.clear();
      for (const r of record.resources) if (r.ok && r.action === 'configured') ctx.tracker.forget(app, r.key);
      // Custom resources of a CRD this sync installed were not watched (the kind was unknown): watch them now.
      if (createdCrd(record)) await ctx.watchApps();
    }
    return record;
  } finally {
    ctx.busy.delete(app);
    ctx.compareSoon();
    ctx.publish();
  }
}
