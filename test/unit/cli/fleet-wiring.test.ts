// `--context a,b,c` read and checked, and the one Git poll a fleet's loops share per interval.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseContexts, SharedPoll } from '../../../source/cli/fleet.js';
import { statusTable } from '../../../source/cli/format.js';
import type { AppState } from '../../../source/engine/types.js';
import { appSpec, fakeGit } from '../../support/fake-cluster.js';

describe('--context a,b,c', () => {
  it('reads a list, or one name as a list of one', () => {
    assert.deepEqual(parseContexts('kind-a, kind-b,arn:aws:eks:eu-west-1:1:cluster/c'), [
      'kind-a',
      'kind-b',
      'arn:aws:eks:eu-west-1:1:cluster/c',
    ]);
    assert.deepEqual(parseContexts('kind-a'), ['kind-a']);
    assert.equal(parseContexts(undefined), undefined);
  });

  it('refuses an empty name, a name twice, and control characters', () => {
    assert.throws(() => parseContexts('a,,b'), /--context "a,,b" has an empty name in its list/);
    assert.throws(() => parseContexts('a,b,a'), /--context names a twice/);
    assert.throws(() => parseContexts('a,b\u001b[2J'), /--context: expected a cluster name/);
  });
});

describe('SharedPoll', () => {
  it('asks the remote once for loops polling within the fresh window, and again after it or a revert', async () => {
    let now = 0;
    let polls = 0;
    const shared = new SharedPoll(
      {
        ...fakeGit,
        poll: async () => ({ head: `head-${++polls}`, moved: true }),
        revert: async (sha) => ({ revertedSha: sha, newSha: 'new', branch: 'main', retries: 0, message: '' }),
      },
      5_000,
      () => now,
    );
    const [a, b] = await Promise.all([shared.port.poll(), shared.port.poll()]);
    now = 1_000;
    const c = await shared.port.poll();
    assert.deepEqual([a?.head, b?.head, c?.head], ['head-1', 'head-1', 'head-1']);
    now = 6_000;
    assert.equal((await shared.port.poll()).head, 'head-2');
    await shared.port.revert('abc');
    assert.equal((await shared.port.poll()).head, 'head-3');
    shared.forget();
    assert.equal((await shared.port.poll()).head, 'head-4');
    assert.equal(shared.asked, 4);
  });

  it('gives a failed poll to every loop that asks meanwhile, as the error it was', async () => {
    let polls = 0;
    const shared = new SharedPoll(
      {
        ...fakeGit,
        poll: async () => {
          polls++;
          throw new Error('remote unreachable');
        },
      },
      5_000,
      () => 0,
    );
    await assert.rejects(shared.port.poll(), /remote unreachable/);
    await assert.rejects(shared.port.poll(), /remote unreachable/);
    assert.equal(polls, 1);
  });
});

describe('the status table of a fleet', () => {
  const app = (name: string, cluster?: string): AppState => ({
    name,
    spec: { ...appSpec(name, name), ...(cluster ? { cluster } : {}) },
    sync: 'Synced',
    health: { status: 'Healthy' },
    resources: [],
    ...(cluster ? { cluster } : {}),
  });

  it('has a CLUSTER column after APP, only for a fleet', () => {
    const apps = [app('web', 'prod-eu'), app('api', 'prod-us')];
    const lines = statusTable(apps, true).split('\n');
    assert.match(lines[0] ?? '', /^APP\s+CLUSTER\s+SYNC\s+HEALTH/);
    assert.match(lines[1] ?? '', /^web\s+prod-eu\s+Synced\s+Healthy/);
    assert.match(lines[2] ?? '', /^api\s+prod-us\s+Synced\s+Healthy/);
    assert.doesNotMatch(statusTable(apps), /CLUSTER|prod-eu/);
  });
});
