// Reverting a commit from the console: the revert pushed by the Git adapter, then (for an app whose auto-sync is
// off) the app synced at the revert commit itself.
import type { GitPort } from '../engine/ports.js';
import type {
  AppSpec,
  RevertAndSyncOutcome,
  RevertOutcome,
  RolloutEvent,
  SyncRecord,
} from '../engine/types.js';
import { type GitWatch, untilLoaded } from './git-watch.js';

export interface RevertContext {
  git: GitPort;
  gitWatch: GitWatch;
  /** Throws when the loop is read-only. */
  refuseReadonly(what: string): void;
  appSpec(name: string): AppSpec;
  autoSync: boolean;
  busy(app: string): boolean;
  poll(): Promise<void>;
  sync(app: string): Promise<SyncRecord>;
  emit(e: Omit<RolloutEvent, 'time'>): void;
}

export async function revertCommit(ctx: RevertContext, sha: string): Promise<RevertOutcome> {
  ctx.refuseReadonly('revert');
  const outcome = await ctx.git.revert(sha);
  const retries = outcome.retries
    ? ` after ${outcome.retries} retr${outcome.retries === 1 ? 'y' : 'ies'}`
    : '';
  ctx.emit({
    app: '',
    level: 'info',
    type: 'revert',
    message: `reverted ${outcome.revertedSha.slice(0, 7)} as ${outcome.newSha.slice(0, 7)}, pushed to ${outcome.branch}${retries}`,
  });
  await ctx.poll();
  return outcome;
}

/**
 * "Revert and sync", for an app whose auto-sync is off: nothing else would roll the revert out. Everything that
 * can refuse is asked before the push, so a refusal leaves nothing half done; the sync is at the revert commit
 * itself, never at whatever the branch holds by then.
 */
export async function revertAndSync(
  ctx: RevertContext,
  sha: string,
  app: string,
): Promise<RevertAndSyncOutcome> {
  ctx.refuseReadonly('revert');
  const spec = ctx.appSpec(app);
  if (ctx.autoSync && spec.sync.auto)
    throw new Error(`auto-sync is on for ${app}: revert alone, and the loop syncs the revert commit`);
  if (ctx.busy(app)) throw new Error(`${app} is being synced; try again when it has finished`);
  const revert = await revertCommit(ctx, sha);
  await untilLoaded(ctx.gitWatch, revert.newSha, () => ctx.poll());
  if (ctx.gitWatch.head !== revert.newSha)
    throw new Error(
      `the revert ${revert.newSha.slice(0, 7)} is pushed, but the branch is now at ${ctx.gitWatch.head?.slice(0, 7) ?? 'an unknown commit'}: ${app} was not synced; sync it once you have looked`,
    );
  const record = await ctx.sync(app);
  return { revert, sync: record };
}
