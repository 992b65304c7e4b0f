// The commands that ask the engine for something: sync, revert, auto-sync, refresh, context switch. Each checks
// read-only mode first, reports progress and outcome on the message line, and turns every rejection into a readable
// sentence; nothing here throws into the render loop.

import { parseKeyString } from '../engine/keys.js';
import type { Controller, RevertOutcome, SyncRecord } from '../engine/types.js';
import { shortSha } from './presentation/format.js';
import { planForResource } from './presentation/resource-plan.js';
import type { Action, RevertApp, StatusMessage, ViewState } from './state.js';

export interface OperationDeps {
  controller: Controller;
  state(): ViewState;
  dispatch(action: Action): void;
  /**
   * Why changes to `app` are refused, or undefined when they are allowed: `--readonly`, the context's read-only
   * mode, and in a fleet the read-only mode of the app's own cluster (fleet.ts `readonlyReasonFor`).
   */
  readonlyReason(app: string | undefined): string | undefined;
  /** False once the console is gone, so late answers do not touch unmounted state. */
  alive(): boolean;
  /** Load the app's history again (after a revert moved the branch). */
  reloadHistory(app: string): void;
  /** The selected app's name, for history reloads. */
  selectedApp(): string | undefined;
  appExists(app: string): boolean;
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // One readable line: a multi-line message (or a stack someone put in one) must not take over the screen.
  return text.split('\n').find((line) => line.trim().length > 0) ?? 'unknown error';
}

function say(deps: OperationDeps, level: StatusMessage['level'], text: string, app?: string) {
  if (deps.alive()) deps.dispatch({ type: 'message', message: { level, text, ...(app ? { app } : {}) } });
}

/** True (and a message shown) when read-only mode refuses `what` on `app`. */
function refused(deps: OperationDeps, what: string, app: string | undefined): boolean {
  const reason = deps.readonlyReason(app);
  if (reason === undefined) return false;
  say(deps, 'warning', `read-only: ${reason}; ${what} is disabled`);
  return true;
}

/** One object to sync alone: its `--resource` selector (`group/kind/namespace/name`) and how a person reads it. */
export interface SyncTarget {
  selector: string;
  label: string;
}

/** The sync confirmation for `app`, or for `resource` of it alone (the same dialog, saying so). */
export function openSync(deps: OperationDeps, app: string | undefined, resource?: SyncTarget): void {
  if (refused(deps, 'sync', app)) return;
  if (!app) {
    say(deps, 'warning', 'no app selected to sync');
    return;
  }
  if (!deps.appExists(app)) {
    say(deps, 'error', `no app named "${app}"`);
    return;
  }
  answered(
    () => deps.controller.planSync(app),
    (whole) => {
      const key = resource ? parseKeyString(resource.selector) : undefined;
      const plan = key ? planForResource(whole, key) : whole;
      deps.dispatch({
        type: 'openModal',
        modal: {
          kind: 'sync',
          app,
          plan,
          prune: false,
          dryRun: false,
          cursor: 0,
          ...(resource ? { resource } : {}),
        },
      });
    },
    (error) => say(deps, 'error', `cannot plan a sync of ${app}: ${errorText(error)}`),
  );
}

/** Actions that changed (or, in a dry-run, would change) the cluster. */
const CHANGES: ReadonlySet<string> = new Set([
  'created',
  'configured',
  'pruned',
  'hook-created',
  'hook-succeeded',
]);

function describeRecord(record: SyncRecord): StatusMessage {
  const changed = record.resources.filter((r) => r.ok && CHANGES.has(r.action)).length;
  const failed = record.resources.filter((r) => !r.ok).length;
  const at = shortSha(record.revision);
  if (record.result === 'DryRun') {
    return {
      level: 'info',
      text: `dry-run of ${record.app} at ${at}: ${changed} would change, nothing applied`,
    };
  }
  if (record.result === 'Failed') {
    const first = record.resources.find((r) => !r.ok);
    const detail = first ? ` (${first.key.kind}/${first.key.name}: ${first.message ?? 'failed'})` : '';
    return {
      level: 'error',
      text: `sync of ${record.app} failed: ${record.message}${detail}; ${failed} failed`,
    };
  }
  return {
    level: 'success',
    text: `synced ${record.app} to ${at}: ${changed} changed; watch the log for rollout`,
    app: record.app,
  };
}

export function confirmSync(deps: OperationDeps): void {
  const modal = deps.state().modal;
  if (modal?.kind !== 'sync') return;
  const { app, prune, dryRun, resource } = modal;
  // One object synced from the resources view: stay there and watch it; a whole app: watch the rollout log.
  deps.dispatch(resource ? { type: 'closeModal' } : { type: 'watchRollout' });
  const how = [prune ? 'prune' : '', dryRun ? 'dry-run' : ''].filter(Boolean).join(', ');
  const what = resource ? `${resource.label} of ${app}` : app;
  say(deps, 'progress', `syncing ${what}${how ? ` (${how})` : ''}...`);
  const options = {
    prune,
    dryRun,
    forceConflicts: false,
    ...(resource ? { resources: [resource.selector] } : {}),
  };
  deps.controller.sync(app, options).then(
    (record) => {
      const message = describeRecord(record);
      say(deps, message.level, message.text, message.app);
      if (record.result === 'Failed' && deps.alive()) {
        const failures = record.resources
          .filter((r) => !r.ok)
          .map((r) => `${r.key.kind}/${r.key.name}: ${r.message ?? 'failed'}`);
        const text = [record.message, ...failures].filter(Boolean).join('\n');
        deps.dispatch({
          type: 'openModal',
          modal: { kind: 'message', level: 'error', title: `Sync of ${app} failed`, text },
        });
      }
    },
    (error: unknown) => say(deps, 'error', `sync of ${app} failed: ${errorText(error)}`),
  );
}

/** `app` is the app the revert is made for (the selected one), and whether its auto-sync rolls the revert out. */
export function openRevert(deps: OperationDeps, sha: string | undefined, app?: RevertApp): void {
  // The revert is made for the selected app (whose history holds the commit): its cluster's mode decides.
  if (refused(deps, 'revert', app?.name)) return;
  if (!sha) {
    say(deps, 'warning', 'no commit selected to revert');
    return;
  }
  deps.dispatch({ type: 'openModal', modal: { kind: 'revert', sha, ...(app ? { app } : {}) } });
  deps.controller.describeRevert(sha).then(
    (detail) => {
      if (deps.alive()) deps.dispatch({ type: 'revertDescribed', sha, detail });
    },
    (error: unknown) => {
      if (!deps.alive()) return;
      const modal = deps.state().modal;
      if (modal?.kind === 'revert' && modal.sha === sha) deps.dispatch({ type: 'closeModal' });
      say(deps, 'error', `cannot revert ${shortSha(sha)}: ${errorText(error)}`);
    },
  );
}

function pushed(outcome: RevertOutcome): string {
  const retries = outcome.retries > 0 ? ` after ${outcome.retries} retries` : '';
  return `reverted ${shortSha(outcome.revertedSha)}: pushed ${shortSha(outcome.newSha)} to ${outcome.branch}${retries}`;
}

/**
 * `andSync`: "revert and sync", offered when the app's auto-sync is off; the sync's outcome is said as a sync's.
 * A plain revert of such an app says again that nothing rolls it out, so the success line promises nothing.
 */
export function confirmRevert(deps: OperationDeps, andSync = false): void {
  const modal = deps.state().modal;
  // Until the commit is described there is nothing the person has actually agreed to.
  if (modal?.kind !== 'revert' || !modal.detail) return;
  const { sha, detail, app } = modal;
  const manual = app !== undefined && !app.autoSync;
  if (andSync && !manual) return;
  const historyApp = deps.selectedApp();
  const reload = () => {
    if (historyApp && deps.alive()) deps.reloadHistory(historyApp);
  };
  deps.dispatch({ type: 'watchRollout' });
  if (andSync && app) {
    say(
      deps,
      'progress',
      `reverting ${shortSha(sha)}, pushing to ${detail.branch}, then syncing ${app.name}...`,
    );
    deps.controller.revertAndSync(sha, app.name).then(
      (outcome) => {
        const message = describeRecord(outcome.sync);
        say(deps, message.level, `${pushed(outcome.revert)}; ${message.text}`, message.app);
        reload();
      },
      (error: unknown) => {
        say(deps, 'error', `revert and sync of ${shortSha(sha)} failed: ${errorText(error)}`);
        reload();
      },
    );
    return;
  }
  say(deps, 'progress', `reverting ${shortSha(sha)} and pushing to ${detail.branch}...`);
  deps.controller.revert(sha).then(
    (outcome) => {
      // Short enough for an 80-column message line: the point is the second half.
      if (manual) {
        const retries = outcome.retries > 0 ? ` after ${outcome.retries} retries` : '';
        say(
          deps,
          'warning',
          `reverted ${shortSha(outcome.revertedSha)} as ${shortSha(outcome.newSha)}${retries}; auto-sync is off for ${app.name}: nothing rolls it out`,
        );
      } else say(deps, 'success', pushed(outcome));
      reload();
    },
    (error: unknown) => say(deps, 'error', `revert of ${shortSha(sha)} failed: ${errorText(error)}`),
  );
}

export function toggleAutoSync(deps: OperationDeps, app: string | undefined, on: boolean): void {
  if (refused(deps, 'auto-sync', app)) return;
  if (!app) {
    say(deps, 'warning', 'no app selected');
    return;
  }
  answered(
    () => deps.controller.setAutoSync(app, on),
    () => say(deps, 'info', `auto-sync ${on ? 'on' : 'off'} for ${app}`),
    (error) => say(deps, 'error', `cannot change auto-sync of ${app}: ${errorText(error)}`),
  );
}

/**
 * `ok` with what `ask` gave, or `failed` with what it threw: at once when it answers at once (a loop in this
 * thread), when its promise settles when it does not (the loop in its own thread).
 */
function answered<T>(
  ask: () => T | Promise<T>,
  ok: (value: T) => void,
  failed: (error: unknown) => void,
): void {
  let value: T | Promise<T>;
  try {
    value = ask();
  } catch (error) {
    failed(error);
    return;
  }
  if (value instanceof Promise) value.then(ok, failed);
  else ok(value);
}

export function refresh(deps: OperationDeps, hard: boolean): void {
  const what = hard ? 'hard refresh' : 'refresh';
  say(deps, 'progress', hard ? 'hard refresh: polling Git and relisting the cluster...' : 'polling Git...');
  deps.controller.refresh(hard).then(
    () => say(deps, 'info', hard ? 'hard refresh done' : 'refreshed'),
    (error: unknown) => say(deps, 'error', `${what} failed: ${errorText(error)}`),
  );
}

export function switchContext(deps: OperationDeps, name: string): void {
  say(deps, 'progress', `switching to context ${name}...`);
  deps.controller.switchContext(name).then(
    () => say(deps, 'info', `context ${name}`),
    (error: unknown) => say(deps, 'error', `cannot switch to context ${name}: ${errorText(error)}`),
  );
}
