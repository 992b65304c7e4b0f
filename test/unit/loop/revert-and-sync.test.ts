// "Revert and sync" in the loop: the sync is at the revert commit, even when a poll running at push time missed it;
// everything that can refuse refuses before anything is pushed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GitPort } from '../../../source/engine/ports.js';
import type { AppSpec, RenderResult } from '../../../source/engine/types.js';
import { Loop } from '../../../source/loop/loop.js';
import { appSpec, FakeCluster, fakeGit } from '../../support/fake-cluster.js';

const OLD = 'a'.repeat(40);
const REVERT = 'b'.repeat(40);
const LATER = 'c'.repeat(40);

/** A remote whose head becomes the revert commit when reverted; `stalePolls` polls after that still say OLD. */
function remote(opts: { stalePolls?: number; movesOnTo?: string } = {}) {
  let head = OLD;
  let stale = 0;
  const reverted: string[] = [];
  const git: GitPort = {
    ...fakeGit,
    poll: async () => {
      if (stale > 0) {
        stale -= 1;
        return { head: OLD, moved: false };
      }
      return { head, moved: false };
    },
    checkout: async (sha) => `/tree/${sha}`,
    revert: async (sha) => {
      reverted.push(sha);
      head = opts.movesOnTo ?? REVERT;
      stale = opts.stalePolls ?? 0;
      return { revertedSha: sha, newSha: REVERT, branch: 'main', message: 'Revert', retries: 0 };
    },
  };
  return { git, reverted };
}

/** The ConfigMap says which revision it was rendered from. */
const render = (dir: string): RenderResult => ({
  ok: true,
  manifests: [
    {
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'backend-config', namespace: 'shop' },
        data: { from: dir.slice(-7) },
      },
      source: { file: 'apps/backend/cm.yaml', line: 1 },
    },
  ],
});

function loopOver(git: GitPort, app: AppSpec, autoSync = false) {
  const cluster = new FakeCluster();
  const loop = new Loop({
    git,
    cluster,
    render: async (dir) => render(dir),
    loadApps: async () => ({ ok: true, apps: [app] }),
    intervalMs: 60_000,
    readonly: false,
    by: 'tester@host',
    autoSync,
  });
  return { loop, cluster };
}

describe('revert and sync', () => {
  it('syncs the app at the revert commit, asking Git again when a poll missed the push', async () => {
    const { git, reverted } = remote({ stalePolls: 2 });
    const { loop, cluster } = loopOver(git, appSpec('backend', 'shop'));
    await loop.start();
    try {
      const done = await loop.revertAndSync('f00dbab', 'backend');
      assert.deepEqual(reverted, ['f00dbab']);
      assert.equal(done.revert.newSha, REVERT);
      assert.equal(done.sync.result, 'Succeeded');
      assert.equal(done.sync.revision, REVERT, 'synced at the revert commit');
      const cm = [...cluster.live.values()].find((o) => o.kind === 'ConfigMap');
      assert.deepEqual((cm as { data?: unknown } | undefined)?.data, { from: 'bbbbbbb' });
    } finally {
      loop.stop();
    }
  });

  it('refuses before pushing when the app is unknown or its auto-sync rolls the revert out anyway', async () => {
    const { git, reverted } = remote();
    const { loop } = loopOver(
      git,
      appSpec('backend', 'shop', { sync: { auto: true, prune: false, selfHeal: false } }),
      true,
    );
    await loop.start();
    try {
      await assert.rejects(loop.revertAndSync('f00dbab', 'frontend'), /no app named "frontend"/);
      await assert.rejects(loop.revertAndSync('f00dbab', 'backend'), /auto-sync is on for backend/);
      assert.deepEqual(reverted, [], 'nothing was pushed');
    } finally {
      loop.stop();
    }
  });

  it('does not sync whatever the branch moved on to: the revert is pushed and that is said', async () => {
    const { git, reverted } = remote({ movesOnTo: LATER });
    const { loop, cluster } = loopOver(git, appSpec('backend', 'shop'));
    await loop.start();
    try {
      await assert.rejects(
        loop.revertAndSync('f00dbab', 'backend'),
        /the revert bbbbbbb is pushed, but the branch is now at ccccccc: backend was not synced/,
      );
      assert.deepEqual(reverted, ['f00dbab']);
      assert.equal(cluster.applied.length, 0, 'nothing applied');
    } finally {
      loop.stop();
    }
  });
});
