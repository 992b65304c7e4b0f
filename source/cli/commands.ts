// The headless commands. Each returns its exit code; printing goes through `out` so tests can read it.
import { createInterface } from 'node:readline/promises';
import { formatLocatedError } from '../config/errors.js';
import { keyString } from '../engine/index.js';
import type { AppState, RolloutEvent, Snapshot, SyncOptions } from '../engine/types.js';
import type { Loop } from '../loop/index.js';
import { waitHealthy } from '../loop/wait.js';
import { eventLine, formatAppError, historyTable, statusTable, syncSummary } from './format.js';
import { gitPort, gitSource, type LoopFlags, makeLoop, UsageError } from './wire.js';

export interface Out {
  write(text: string): void;
  error(text: string): void;
  json: boolean;
}

/**
 * One poll, render and comparison, without background polling or auto-sync. Diff texts are made only when the
 * command prints them (`diff` asks for them). The cluster is listed once and not watched unless the command waits
 * for something to happen (`sync` waiting for health asks for the watch).
 */
export async function once<T>(
  flags: LoopFlags,
  work: (loop: Loop) => Promise<T>,
  out?: Pick<Out, 'error'>,
): Promise<T> {
  const loop = makeLoop({
    ...flags,
    autoSync: false,
    diffTexts: flags.diffTexts ?? false,
    watch: flags.watch ?? false,
  });
  try {
    await loop.start();
    repoFailure(loop.getSnapshot());
    await waitConnected(loop);
    if (out) sayDiscovery(loop, out);
    if (out) sayClusterState(loop, out);
    return await work(loop);
  } finally {
    loop.stop();
    loop.cluster.close();
  }
}

/**
 * A repository that cannot be read (unreachable, no such path, invalid `driftdeck.yaml`) leaves a one-shot command
 * with no apps: an empty table and exit 0 would read as "nothing to do". It fails the command with the message the
 * agent prints for it, as the `git-error` or `render-error` event.
 */
export function repoFailure(snap: Snapshot): void {
  if (!snap.head && snap.loop.pollError) throw new Error(snap.loop.pollError);
  if (snap.configError) throw new Error(formatLocatedError(snap.configError));
}

/** A comparison against a server we could not reach would call everything Missing: wait, then say so. */
export async function waitConnected(loop: Loop, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = loop.cluster.connection();
    if (c.state === 'connected') return;
    if (Date.now() > deadline)
      throw new Error(
        `cannot reach the Kubernetes API at ${loop.cluster.server}: ${c.message ?? 'no answer'}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
  // unreachable
}

/** What was found to run in a repository without driftdeck.yaml (or in its discover folders), said once. */
export function sayDiscovery(loop: Loop, out: Pick<Out, 'error'>): void {
  for (const e of loop.getSnapshot().events.filter((x) => x.type === 'discovery')) out.error(e.message);
}

/** What driftdeck could not read or write of its own state (history, leases), said once on stderr. */
export function sayClusterState(loop: Loop, out: Pick<Out, 'error'>): void {
  const notes = loop.getSnapshot().events.filter((e) => e.type === 'cluster-state');
  for (const e of notes) out.error(`warning: ${e.app ? `${e.app}: ` : ''}${e.message}`);
}

export function pickApp(loop: Loop, name: string | undefined): AppState {
  const apps = loop.getSnapshot().apps;
  if (!name) {
    if (apps.length === 1) return apps[0]!;
    throw new UsageError(`name an app: ${apps.map((a) => a.name).join(', ') || '(none)'}`);
  }
  const app = apps.find((a) => a.name === name);
  if (!app)
    throw new UsageError(`no app named "${name}"; apps: ${apps.map((a) => a.name).join(', ') || '(none)'}`);
  return app;
}

export async function status(flags: LoopFlags, out: Out): Promise<number> {
  if (flags.contexts) return (await import('./fleet-status.js')).fleetStatus(flags, flags.contexts, out);
  return once(
    flags,
    async (loop) => {
      const apps = loop.getSnapshot().apps;
      if (out.json) out.write(JSON.stringify(apps.map(appJson), null, 2));
      else out.write(statusTable(apps));
      return statusVerdict(apps, out);
    },
    out,
  );
}

/**
 * 0 when every app driftdeck runs is Synced and Healthy. An app driftdeck lists but does not run (another
 * repository, a feature it lacks) is shown with its reason and left out of the verdict: otherwise `status` of such a
 * repository could never succeed, and a script could not tell the apps it runs being in sync from never being.
 */
export function statusVerdict(apps: readonly AppState[], out: Pick<Out, 'error'>): number {
  const run = apps.filter((a) => a.sync !== 'Unmanaged');
  if (apps.length > 0 && run.length === 0) {
    out.error('no app of this repository is run by driftdeck (every one is Unmanaged: see its message)');
    return 1;
  }
  return run.every((a) => a.sync === 'Synced' && a.health.status === 'Healthy') ? 0 : 1;
}

export function appJson(a: AppState) {
  return {
    name: a.name,
    sync: a.sync,
    health: a.health,
    targetRevision: a.targetRevision,
    deployedRevision: a.deployedRevision,
    error: a.error,
    lastSync: a.lastSync,
    ...(a.owner ? { owner: a.owner } : {}),
    resources: a.resources.map((r) => ({
      key: r.key,
      id: keyString(r.key),
      status: r.status,
      health: r.health,
      diffMode: r.diffMode,
      message: r.message,
      ...(r.outOfStatus ? { outOfStatus: r.outOfStatus } : {}),
      source: r.source,
    })),
  };
}

export async function diff(flags: LoopFlags, name: string | undefined, out: Out): Promise<number> {
  return once(
    { ...flags, diffTexts: true },
    async (loop) => {
      const app = pickApp(loop, name);
      if (app.error) {
        out.error(`${app.name}: ${formatAppError(app)}`);
        return 2;
      }
      const changed = app.resources.filter((r) => r.status !== 'Synced');
      if (out.json) {
        out.write(
          JSON.stringify(
            changed.map((r) => ({
              id: keyString(r.key),
              status: r.status,
              diffMode: r.diffMode,
              diff: r.diff,
              message: r.message,
              ...(r.outOfStatus ? { outOfStatus: r.outOfStatus } : {}),
            })),
            null,
            2,
          ),
        );
      } else {
        for (const r of changed) {
          const note =
            r.diffMode === 'client-side'
              ? ` (client-side diff${r.message ? `: ${r.message}` : ''})`
              : r.message
                ? ` (${r.message})`
                : '';
          const exempt = r.outOfStatus ? ` [not counted in the app's sync status: ${r.outOfStatus}]` : '';
          out.write(`# ${r.key.kind}/${r.key.name} ${r.status}${note}${exempt}\n${r.diff}`);
        }
      }
      // A difference a per-resource option leaves out of the app's sync status (IgnoreExtraneous) is shown, and
      // does not make the diff fail: `diff` agrees with `status`.
      return changed.some((r) => !r.outOfStatus) ? 1 : 0;
    },
    out,
  );
}

export interface SyncFlags {
  prune: boolean;
  dryRun: boolean;
  resource: string[];
  forceConflicts: boolean;
  wait: boolean;
  timeout: number;
}

export async function sync(
  flags: LoopFlags,
  name: string | undefined,
  s: SyncFlags,
  out: Out,
): Promise<number> {
  const waits = s.wait && !s.dryRun;
  return once(
    { ...flags, watch: waits },
    async (loop) => {
      const app = pickApp(loop, name);
      const options: SyncOptions = {
        prune: s.prune,
        dryRun: s.dryRun,
        forceConflicts: s.forceConflicts,
        resources: s.resource,
        stepTimeoutMs: s.timeout * 1000,
      };
      const stopFollowing = out.json ? () => undefined : followEvents(loop, app.name, out);
      try {
        const record = await loop.sync(app.name, options);
        let healthy: AppState | undefined;
        let waitError: string | undefined;
        if (waits && record.result === 'Succeeded') {
          healthy = await waitHealthy(loop, app.name, s.timeout * 1000, s.resource).catch((err: Error) => {
            waitError = err.message;
            return undefined;
          });
        }
        stopFollowing();
        if (out.json) out.write(JSON.stringify({ ...record, health: healthy?.health, waitError }, null, 2));
        else {
          out.write(syncSummary(record));
          if (waitError) out.error(waitError);
          else if (healthy) {
            const kept = healthy.resources.filter((r) => r.status === 'Extraneous').length;
            out.write(
              `${app.name} is ${kept ? `Healthy (${kept} prune candidate(s) kept)` : 'Synced and Healthy'}`,
            );
          }
        }
        return record.result === 'Failed' || waitError ? 1 : 0;
      } finally {
        stopFollowing();
      }
    },
    out,
  );
}

/** The events emitted since the last call, however many the snapshot's bounded list has dropped meanwhile. */
export function newEvents(snap: Snapshot, seen: number): RolloutEvent[] {
  const total = snap.eventCount ?? snap.events.length;
  const fresh = Math.min(Math.max(total - seen, 0), snap.events.length);
  return fresh ? snap.events.slice(-fresh) : [];
}

/**
 * Prints the app's events as they come; the function returned prints those not yet heard (subscribers are told
 * on the next turn of the event loop, after the command may already be done) and stops.
 */
export function followEvents(
  loop: Pick<Loop, 'getSnapshot' | 'subscribe'>,
  app: string,
  out: Pick<Out, 'error'>,
): () => void {
  let seen = loop.getSnapshot().eventCount ?? 0;
  const print = () => {
    const snap = loop.getSnapshot();
    const lines = newEvents(snap, seen)
      .filter((e) => e.app === app)
      .map(eventLine);
    if (lines.length) out.error(lines.join('\n'));
    seen = snap.eventCount ?? snap.events.length;
  };
  const unsubscribe = loop.subscribe(print);
  return () => {
    print();
    unsubscribe();
  };
}

export async function history(flags: LoopFlags, name: string | undefined, out: Out): Promise<number> {
  return once(
    flags,
    async (loop) => {
      const app = pickApp(loop, name);
      const entries = await loop.loadHistory(app.name);
      out.write(out.json ? JSON.stringify(entries, null, 2) : historyTable(entries));
      return 0;
    },
    out,
  );
}

/** Asks on the terminal unless --yes; false (and "nothing was pushed" said) when the person did not agree. */
async function agreed(
  plan: { commit: { sha: string; shortSha: string; subject: string }; branch: string; message: string },
  yes: boolean,
  then: string,
  out: Out,
): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY)
    throw new UsageError(`not reverting ${plan.commit.shortSha} without confirmation: pass --yes`);
  out.error(
    `Revert ${plan.commit.sha} "${plan.commit.subject}" and push to ${plan.branch}${then}?\n\n${plan.message}\n`,
  );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question('Type yes to push the revert: ');
  rl.close();
  if (answer.trim().toLowerCase() === 'yes') return true;
  out.error('nothing was pushed');
  return false;
}

export interface RevertFlags {
  yes: boolean;
  /** `--sync <app>`: after the push, sync this app at the revert commit (for an app whose auto-sync is off). */
  sync?: string;
  wait: boolean;
  timeout: number;
}

export async function revert(
  flags: LoopFlags,
  sha: string | undefined,
  r: RevertFlags,
  out: Out,
): Promise<number> {
  if (!sha) throw new UsageError('name the commit to revert: driftdeck revert <sha> --repo <url>');
  if (flags.readonly) throw new UsageError('read-only: revert is disabled (started with --readonly)');
  if (r.sync !== undefined) return revertAndSync(flags, sha, { ...r, sync: r.sync }, out);
  const git = gitPort(gitSource(flags));
  // Asked first as the loop asks it, so an unreachable repository is reported in the agent's words.
  await git.poll();
  // The argument is resolved once: a ref such as origin/main may move while the person reads the question, and
  // what is reverted is the commit they were shown, by its full hash.
  const plan = await git.describeRevert(sha);
  if (!(await agreed(plan, r.yes, '', out))) return 1;
  const outcome = await git.revert(plan.commit.sha);
  out.write(
    out.json
      ? JSON.stringify(outcome, null, 2)
      : `reverted ${outcome.revertedSha.slice(0, 7)} with ${outcome.newSha.slice(0, 7)}, pushed to ${outcome.branch}`,
  );
  return 0;
}

/**
 * `revert <sha> --sync <app>`: the console's "revert and sync". The app is checked before anything is pushed; the
 * sync is at the revert commit and waits for health as `sync` does. Exit 1 when the sync failed or never became
 * healthy (the revert is pushed all the same, and said so).
 */
async function revertAndSync(
  flags: LoopFlags,
  sha: string,
  r: RevertFlags & { sync: string },
  out: Out,
): Promise<number> {
  if (!r.sync) throw new UsageError('--sync needs the app to sync: driftdeck revert <sha> --sync <app>');
  return once(
    { ...flags, watch: r.wait },
    async (loop) => {
      const app = pickApp(loop, r.sync);
      const plan = await loop.describeRevert(sha);
      if (!(await agreed(plan, r.yes, `, then sync ${app.name}`, out))) return 1;
      const stopFollowing = out.json ? () => undefined : followEvents(loop, app.name, out);
      try {
        const done = await loop.revertAndSync(plan.commit.sha, app.name);
        let healthy: AppState | undefined;
        let waitError: string | undefined;
        if (r.wait && done.sync.result === 'Succeeded')
          healthy = await waitHealthy(loop, app.name, r.timeout * 1000).catch((err: Error) => {
            waitError = err.message;
            return undefined;
          });
        stopFollowing();
        if (out.json) out.write(JSON.stringify({ ...done, health: healthy?.health, waitError }, null, 2));
        else {
          const { revert } = done;
          out.write(
            `reverted ${revert.revertedSha.slice(0, 7)} with ${revert.newSha.slice(0, 7)}, pushed to ${revert.branch}`,
          );
          out.write(syncSummary(done.sync));
          if (waitError) out.error(waitError);
          else if (healthy) out.write(`${app.name} is Synced and Healthy at ${revert.newSha.slice(0, 7)}`);
        }
        return done.sync.result === 'Failed' || waitError ? 1 : 0;
      } finally {
        stopFollowing();
      }
    },
    out,
  );
}

/** The loop without a screen: one JSON line per event (and per app status change) until stopped. */
