// Sync, revert, auto-sync and refresh from the keyboard, in normal and read-only mode.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import type { ConsoleProps } from '../../../source/ui/console.js';
import { ready, startConsole } from './console-start.js';
import { FakeController, PLAN } from './fake-controller.js';
import { KEYS, press, tick, waitFor } from './harness.js';

async function start(props: Partial<ConsoleProps> = {}, controller = new FakeController()) {
  const app = startConsole(props, controller);
  await ready(app.see);
  return app;
}

afterEach(() => cleanup());

/** The fixture with the backend app's auto-sync as given. */
function withAutoSync(on: boolean): FakeController {
  const controller = new FakeController();
  const snap = controller.snapshot;
  controller.snapshot = {
    ...snap,
    apps: snap.apps.map((a) =>
      a.name === 'backend' ? { ...a, spec: { ...a.spec, sync: { ...a.spec.sync, auto: on } } } : a,
    ),
  };
  return controller;
}

describe('console: sync', () => {
  it('s shows the plan, p toggles prune, Enter syncs and the rollout log takes focus', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, 's');
    let frame = await see('Sync backend?');
    assert.match(frame, /create 0 {2}update 1 {2}prune 1 {2}unchanged 3/);
    assert.match(frame, /= keep {4}ConfigMap\/shop\/cart-legacy {2}\(prune candidate; sync with prune/);
    assert.match(frame, /\[ \] prune \(p\): candidates stay {3}\[ \] dry-run \(d\)/);
    await press(stdin, 'p');
    frame = await see('[x] prune (p)');
    assert.match(frame, /- PRUNE {3}ConfigMap\/shop\/cart-legacy/);
    await press(stdin, KEYS.enter);
    frame = await see('synced backend to f00dbab');
    assert.match(frame, /\[3 Rollout log\]/);
    assert.match(frame, /Rollout log: backend {2}following/);
    assert.deepEqual(controller.callsTo('sync'), [
      ['backend', { prune: true, dryRun: false, forceConflicts: false }],
    ]);
  });

  it("the sync's success line turns into a warning with the reason when the app then turns Degraded", async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, 's');
    await see('Sync backend?');
    await press(stdin, KEYS.enter);
    await see('synced backend to f00dbab');
    // Another app turning Degraded says nothing about this sync: the line stays.
    const degrade = (name: string) =>
      controller.update((s) => ({
        apps: s.apps.map((a) =>
          a.name === name
            ? {
                ...a,
                health: {
                  status: 'Degraded' as const,
                  message: 'Deployment backend: ProgressDeadlineExceeded',
                },
              }
            : a,
        ),
      }));
    degrade('frontend');
    await tick(150);
    await see('synced backend to f00dbab');
    degrade('backend');
    const frame = await see('backend turned Degraded after the sync');
    assert.match(frame, /\(Enter on it: resources\): Deployment backend: Progress/);
    assert.doesNotMatch(frame, /synced backend to f00dbab/);
  });

  it('d makes it a dry-run and y confirms', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, 'j', 's');
    await see('Sync frontend?');
    await press(stdin, 'd');
    await see('[x] dry-run (d)');
    await press(stdin, 'y');
    await see('dry-run of frontend at f00dbab');
    assert.deepEqual(controller.callsTo('sync'), [
      ['frontend', { prune: false, dryRun: true, forceConflicts: false }],
    ]);
  });

  it('Esc cancels without syncing, and other keys stay in the dialog', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, 's');
    await see('Sync backend?');
    await press(stdin, 'q', 'j');
    await tick(30);
    await see('Sync backend?');
    await press(stdin, KEYS.esc);
    await see('[1 Apps]');
    assert.equal(controller.callsTo('sync').length, 0);
  });

  it('a rejected sync is one readable error line', async () => {
    const controller = new FakeController();
    controller.syncAnswer = () =>
      Promise.reject(
        new Error('app backend is being synced by bob@bastion\n    at Lease.acquire (lease.ts:10)'),
      );
    const { stdin, see } = await start({}, controller);
    await press(stdin, 's', 'y');
    const frame = await see('error: sync of backend failed: app backend is being synced by bob@bastion');
    assert.ok(!frame.includes('Lease.acquire'), 'the stack stays off the screen');
  });

  it('a failed sync lists the resources that failed', async () => {
    const controller = new FakeController();
    controller.syncAnswer = (app, options) =>
      Promise.resolve({
        app,
        revision: 'f00dbab',
        startedAt: '',
        finishedAt: '',
        by: 'me',
        result: 'Failed',
        message: '1 of 2 resources failed',
        prune: options.prune,
        resources: [
          {
            key: { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'backend' },
            action: 'failed',
            ok: false,
            message: 'field is immutable',
          },
        ],
      });
    const { stdin, see } = await start({}, controller);
    await press(stdin, 's', KEYS.enter);
    const frame = await see('Error: Sync of backend failed');
    assert.match(frame, /Deployment\/backend: field is immutable/);
    await press(stdin, KEYS.esc);
    await see('[3 Rollout log]');
  });
});

describe('console: revert', () => {
  it('t in History describes the commit, y reverts, then history reloads', async () => {
    const { stdin, see, controller } = await start({}, withAutoSync(true));
    await press(stdin, '4');
    await see('[deployed]');
    await press(stdin, 't');
    let frame = await see('Push to: branch main');
    assert.match(frame, /Revert f00dbab\?/);
    assert.match(frame, /Commit: {2}f00dbab backend: v1\.0\.1-security-patch/);
    assert.match(frame, /Revert "backend: v1\.0\.1-security-patch"/);
    await press(stdin, 'y');
    frame = await see('reverted f00dbab: pushed beefcaf to main');
    assert.match(frame, /\[3 Rollout log\]/);
    assert.deepEqual(controller.callsTo('revert'), [['f00dbabe00112233445566778899aabbccddeeff']]);
    await waitFor(() => String(controller.callsTo('loadHistory').length), '2');
  });

  it('t reverts the selected commit, not the first', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, '4');
    await see('[deployed]');
    await press(stdin, 'j', 't');
    await see('Revert a1b2c3d?');
    assert.deepEqual(controller.callsTo('describeRevert'), [['a1b2c3d4e5f60718293a4b5c6d7e8f9012345678']]);
  });

  it('keys typed faster than frames act on where the keys before them moved: j then t reverts the second commit', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, '4');
    await see('[deployed]');
    // Both keys before React draws again, as when they arrive in one read over a slow link.
    stdin.write('j');
    stdin.write('t');
    await see('Revert a1b2c3d?');
    assert.deepEqual(controller.callsTo('describeRevert'), [['a1b2c3d4e5f60718293a4b5c6d7e8f9012345678']]);
  });

  it('j then s typed ahead in the app list syncs the app j moved to', async () => {
    const { stdin, see, controller } = await start();
    stdin.write('j');
    stdin.write('s');
    await see('Sync frontend?');
    assert.equal(controller.callsTo('describeRevert').length, 0);
  });

  it('a commit that cannot be reverted closes the dialog with the reason', async () => {
    const controller = new FakeController();
    controller.describeAnswer = () => Promise.reject(new Error('commit f00dbab is a merge commit'));
    const { stdin, see } = await start({}, controller);
    await press(stdin, '4');
    await see('[deployed]');
    await press(stdin, 't');
    const frame = await see('error: cannot revert f00dbab: commit f00dbab is a merge commit');
    assert.match(frame, /\[4 History\]/);
    assert.equal(controller.callsTo('revert').length, 0);
  });
});

const PATCH_SHA = 'f00dbabe00112233445566778899aabbccddeeff';

async function openRevertOfFirstCommit(
  stdin: Parameters<typeof press>[0],
  see: (t: string) => Promise<string>,
) {
  await press(stdin, '4');
  await see('[deployed]');
  await press(stdin, 't');
  return see('Push to: branch main');
}

describe('console: revert of an app whose auto-sync is off', () => {
  it('says nothing will roll it out, and s reverts then syncs the app', async () => {
    const { stdin, see, controller } = await start({}, withAutoSync(false));
    const frame = await openRevertOfFirstCommit(stdin, see);
    assert.match(frame, /auto-sync is off for backend: the revert is pushed but nothing will roll it out/);
    assert.match(frame, /Enter\/y revert only: push to main/);
    assert.match(frame, /s revert and sync: push, then sync backend at the revert commit/);
    assert.doesNotMatch(frame, /then applies it/);
    assert.match(frame, /s revert and sync {2}/, 'the footer offers it too');
    await press(stdin, 's');
    const done = await see('synced backend to f00dbab');
    assert.match(done, /reverted f00dbab: pushed beefcaf to main; synced backend/);
    assert.match(done, /\[3 Rollout log\]/);
    assert.deepEqual(controller.callsTo('revertAndSync'), [[PATCH_SHA, 'backend']]);
    assert.equal(controller.callsTo('revert').length, 0, 'one operation, not a revert and a second one');
  });

  it('y reverts only, and the outcome says the app still has to be synced', async () => {
    const { stdin, see, controller } = await start({}, withAutoSync(false));
    await openRevertOfFirstCommit(stdin, see);
    await press(stdin, 'y');
    await see('reverted f00dbab as beefcaf; auto-sync is off for backend: nothing rolls it out');
    assert.deepEqual(controller.callsTo('revert'), [[PATCH_SHA]]);
    assert.equal(controller.callsTo('revertAndSync').length, 0);
  });

  it('a revert and sync that fails after the push says so', async () => {
    const controller = withAutoSync(false);
    controller.syncAnswer = () => Promise.reject(new Error('backend is being synced by bob@bastion'));
    const { stdin, see } = await start({}, controller);
    await openRevertOfFirstCommit(stdin, see);
    await press(stdin, 's');
    await see('error: revert and sync of f00dbab failed: backend is being synced by bob@bastion');
  });

  it("the key is the keymap's: an override is what the dialog shows and what works", async () => {
    const { stdin, see, controller } = await start(
      { keymapOverrides: { revertAndSync: ['S'] } },
      withAutoSync(false),
    );
    const frame = await openRevertOfFirstCommit(stdin, see);
    assert.match(frame, /S revert and sync: push, then sync backend/);
    await press(stdin, 's');
    await tick(30);
    assert.equal(controller.callsTo('revertAndSync').length, 0, 'the default key is gone');
    await press(stdin, 'S');
    await see('synced backend to f00dbab');
    assert.deepEqual(controller.callsTo('revertAndSync'), [[PATCH_SHA, 'backend']]);
  });
});

describe('console: revert of an app whose auto-sync is on', () => {
  it('promises the loop rolls it out, offers no revert and sync, and s does nothing', async () => {
    const { stdin, see, controller } = await start({}, withAutoSync(true));
    const frame = await openRevertOfFirstCommit(stdin, see);
    assert.match(frame, /auto-sync of backend then applies it/);
    assert.doesNotMatch(frame, /revert and sync/);
    assert.doesNotMatch(frame, /nothing will roll it out/);
    await press(stdin, 's');
    await tick(30);
    await see('Push to: branch main');
    assert.equal(controller.callsTo('revertAndSync').length, 0);
    await press(stdin, KEYS.enter);
    const done = await see('reverted f00dbab: pushed beefcaf to main');
    assert.doesNotMatch(done, /nothing rolls it out/);
    assert.deepEqual(controller.callsTo('revert'), [[PATCH_SHA]]);
  });
});

describe('console: other actions', () => {
  it('a toggles auto-sync for the selected app', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, 'a');
    await see('auto-sync on for backend');
    assert.deepEqual(controller.callsTo('setAutoSync'), [['backend', true]]);
  });

  it('a plan and an auto-sync answered later, as the loop in its own thread answers, and refusals said', async () => {
    const controller = new FakeController();
    controller.planAnswer = (app) =>
      app === 'backend'
        ? new Promise((resolve) => setTimeout(() => resolve(PLAN), 20))
        : Promise.reject(new Error(`no app named "${app}"`));
    controller.autoSyncAnswer = () => Promise.reject(new Error('read-only: the loop says no'));
    const { stdin, see } = await start({}, controller);
    await press(stdin, 's');
    const frame = await see('Sync backend?');
    assert.match(frame, /create 0 {2}update 1 {2}prune 1 {2}unchanged 3/);
    await press(stdin, KEYS.esc);
    await press(stdin, 'a');
    await see('cannot change auto-sync of backend: read-only: the loop says no');
    await press(stdin, 'j');
    await press(stdin, 's');
    await see((f) => /cannot plan a sync of \w+: no app named/.test(f));
  });

  it('r refreshes and R hard-refreshes', async () => {
    const { stdin, see, controller } = await start();
    await press(stdin, 'r');
    await see('refreshed');
    await press(stdin, 'R');
    await see('hard refresh done');
    assert.deepEqual(controller.callsTo('refresh'), [[false], [true]]);
  });
});

describe('console: read-only', () => {
  it('refuses sync, revert and auto-sync with the reason, and shows the badge', async () => {
    const { stdin, see, controller } = await start({ readonly: true });
    await see('[READ-ONLY]');
    await press(stdin, 's');
    await see('read-only: started with --readonly; sync is disabled');
    await press(stdin, 'a');
    await see('read-only: started with --readonly; auto-sync is disabled');
    await press(stdin, '4');
    await see('[deployed]');
    await press(stdin, 't');
    await see('read-only: started with --readonly; revert is disabled');
    await press(stdin, ':', ...'sync cart', KEYS.enter);
    await see((f) => f.includes('sync is disabled') && !f.includes(':sync'));
    assert.equal(controller.callsTo('planSync').length, 0);
    assert.equal(controller.callsTo('describeRevert').length, 0);
    assert.equal(controller.callsTo('setAutoSync').length, 0);
  });

  it('uses the context reason when the snapshot is read-only', async () => {
    const controller = new FakeController();
    controller.snapshot = {
      ...controller.snapshot,
      readonly: true,
      readonlyReason: 'context prod is marked read-only',
    };
    const { stdin, see } = await start({}, controller);
    await see('[READ-ONLY]');
    await press(stdin, 's');
    await see('read-only: context prod is marked read-only; sync is disabled');
  });
});
