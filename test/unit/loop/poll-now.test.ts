// A webhook asks the loop to poll now. A poll already running may have asked the remote before the push, so one
// more follows it; however many ask meanwhile (a hundred webhooks), that is still one more, never an overlap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GitPort } from '../../../source/engine/ports.js';
import { Loop } from '../../../source/loop/loop.js';
import { FakeCluster, fakeGit } from '../../support/fake-cluster.js';

function gatedGit() {
  const gates: Array<() => void> = [];
  const state = { polls: 0, running: 0, most: 0 };
  const git: GitPort = {
    ...fakeGit,
    poll: async () => {
      state.polls += 1;
      state.running += 1;
      state.most = Math.max(state.most, state.running);
      await new Promise<void>((resolve) => gates.push(resolve));
      state.running -= 1;
      return { head: 'c0ffee0000', moved: false };
    },
  };
  /** Lets the poll waiting at the gate finish, then lets the loop go on. */
  const open = async () => {
    const gate = gates.shift();
    assert.ok(gate, 'a poll is waiting');
    gate();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return { git, state, open, waiting: () => gates.length };
}

const loopWith = (git: GitPort) =>
  new Loop({
    git,
    cluster: new FakeCluster(),
    render: async () => ({ ok: true, manifests: [] }),
    loadApps: async () => ({ ok: true, apps: [] }),
    intervalMs: 600_000,
    readonly: false,
    by: 'tester@host',
    autoSync: false,
  });

describe('poll now', () => {
  it('polls at once when no poll runs', async () => {
    const g = gatedGit();
    const loop = loopWith(g.git);
    loop.pollNow();
    assert.equal(g.state.polls, 1);
    await g.open();
    assert.equal(g.waiting(), 0, 'and nothing after it');
  });

  it('a hundred asks while a poll runs make exactly one more poll, after it', async () => {
    const g = gatedGit();
    const loop = loopWith(g.git);
    const running = loop.poll();
    for (let i = 0; i < 100; i++) loop.pollNow();
    assert.equal(g.state.polls, 1, 'no overlap');
    await g.open();
    await running;
    assert.equal(g.state.polls, 2, 'one more');
    await g.open();
    assert.equal(g.state.polls, 2);
    assert.equal(g.waiting(), 0);
    assert.equal(g.state.most, 1, 'never two at once');
    loop.pollNow();
    assert.equal(g.state.polls, 3, 'and the next ask polls again');
    await g.open();
  });
});
