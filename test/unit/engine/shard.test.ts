import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDns1123Subdomain } from '../../../source/engine/names.js';
import {
  agentIdProblem,
  assignApps,
  consoleDefers,
  decideShard,
  defaultAgentId,
  type LeaseView,
  leaseName,
  liveAgents,
  ownerLeaseName,
  ownerOf,
  shardCap,
  shardGroup,
} from '../../../source/engine/shard.js';

const apps = (n: number) => Array.from({ length: n }, (_, i) => `app-${String(i).padStart(3, '0')}`);
const loads = (m: Map<string, string>) => {
  const out = new Map<string, number>();
  for (const agent of m.values()) out.set(agent, (out.get(agent) ?? 0) + 1);
  return out;
};

describe('splitting apps among agent replicas (rendezvous hashing with a cap)', () => {
  it('gives every app to exactly one live agent, and no agent more than the cap', () => {
    for (const [n, agents] of [
      [60, ['a', 'b', 'c']],
      [7, ['a', 'b']],
      [100, ['r1', 'r2', 'r3', 'r4', 'r5']],
      [3, ['a', 'b', 'c', 'd', 'e']],
    ] as Array<[number, string[]]>) {
      const split = assignApps(apps(n), agents);
      assert.equal(split.size, n);
      for (const agent of split.values()) assert.ok(agents.includes(agent));
      for (const [agent, count] of loads(split))
        assert.ok(count <= shardCap(n, agents.length), `${agent} has ${count} of ${n} apps`);
    }
  });

  it('60 apps on 3 agents: each gets between 19 and 21 (ceil(60/3) + 1 at most, so the rest at least 19)', () => {
    const counts = [...loads(assignApps(apps(60), ['agent-a', 'agent-b', 'agent-c'])).values()];
    assert.equal(counts.length, 3);
    for (const c of counts) assert.ok(c >= 19 && c <= 21, `${counts}`);
  });

  it('is the same on every replica whatever order each lists apps and agents in', () => {
    const one = assignApps(apps(40), ['x', 'y', 'z']);
    const two = assignApps([...apps(40)].reverse(), ['z', 'x', 'y', 'x']);
    assert.deepEqual([...one].sort(), [...two].sort());
  });

  it('moves only the apps of an agent that went away (and a few the cap rebalances)', () => {
    const before = assignApps(apps(90), ['a', 'b', 'c']);
    const after = assignApps(apps(90), ['a', 'b']);
    let moved = 0;
    for (const [app, agent] of before) {
      if (agent === 'c') assert.notEqual(after.get(app), 'c');
      else if (after.get(app) !== agent) moved++;
    }
    // Without the cap HRW moves none of a's and b's apps; the cap may move a few to keep the split fair.
    assert.ok(moved <= 6, `${moved} apps of the surviving agents moved`);
  });

  it('a joining agent takes about its share, from everyone', () => {
    const before = assignApps(apps(90), ['a', 'b']);
    const after = assignApps(apps(90), ['a', 'b', 'c']);
    const taken = [...after].filter(([app, agent]) => agent === 'c' && before.get(app) !== 'c').length;
    assert.ok(taken >= 29 && taken <= 31, `c took ${taken}`);
  });

  it('gives nothing to no one when no agent is live', () => {
    assert.equal(assignApps(apps(5), []).size, 0);
  });
});

describe('Lease names', () => {
  it('uses the app name and the group as they are when the Lease name would be valid', () => {
    assert.equal(ownerLeaseName('shop', 'a1b2c3d4e5f60718'), 'driftdeck-owner-shop.a1b2c3d4e5f60718');
    assert.notEqual(ownerLeaseName('shop', 'a1b2c3d4e5f60718'), ownerLeaseName('shop', 'b1b2c3d4e5f60718'));
  });

  it('hashes an app name that could not be part of a Lease name into one that can, distinct per app', () => {
    const odd = ['Shop_Front', 'a'.repeat(300), 'café', '..', 'x.Y'];
    const names = odd.map((app) => ownerLeaseName(app, 'a1b2c3d4e5f60718'));
    for (const n of names) assert.ok(isDns1123Subdomain(n), n);
    assert.equal(new Set(names).size, odd.length);
    assert.match(leaseName('driftdeck-owner-', 'Shop_Front'), /^driftdeck-owner-shop-front-[0-9a-f]{16}$/);
  });
});

describe('agent groups', () => {
  it('one per repository and branch, a valid label value', () => {
    const g = shardGroup('https://git.example/deploy.git', 'main');
    assert.match(g, /^[0-9a-f]{16}$/);
    assert.equal(shardGroup('https://git.example/deploy.git', 'main'), g);
    assert.notEqual(shardGroup('https://git.example/deploy.git', 'prod'), g);
    assert.notEqual(shardGroup('https://git.example/other.git', 'main'), g);
  });
});

describe('agent ids', () => {
  it('accepts a DNS label and refuses anything else, saying what an id must be', () => {
    assert.equal(agentIdProblem('web-7d9c-1'), undefined);
    for (const bad of ['Web', 'a_b', '-a', '', 'a'.repeat(64), 'a.b', 'x\u001b[2J'])
      assert.match(agentIdProblem(bad) ?? '', /is not a DNS-1123 label/, bad);
    assert.ok(!(agentIdProblem('x\u001b[2J') ?? '').includes('\u001b'), 'no escape reaches a terminal');
  });

  it('defaults to host-pid made into a label', () => {
    assert.equal(defaultAgentId('Bastion.example.org', 42), 'bastion-example-org-42');
    assert.equal(defaultAgentId('___', 7), 'agent-7');
    assert.equal(agentIdProblem(defaultAgentId('h'.repeat(100), 123456)), undefined);
  });
});

describe('what a replica does each round', () => {
  const NOW = 1_000_000;
  const held = (holder: string, expiresAt = NOW + 5000): LeaseView => ({ holder, expiresAt });
  const all = apps(30);
  const split = assignApps(all, ['a', 'b', 'c']);
  const mine = (agent: string) => all.filter((x) => split.get(x) === agent);

  it('claims its share when the owner Leases are free', () => {
    const d = decideShard({ self: 'a', live: ['a', 'b', 'c'], apps: all, owners: new Map(), now: NOW });
    assert.deepEqual(d.claim, mine('a'));
    assert.deepEqual(d.release, []);
  });

  it('takes over the apps of an agent whose heartbeat and owner Leases expired', () => {
    const owners = new Map(mine('c').map((app) => [app, held('c', NOW - 1)]));
    const d = decideShard({ self: 'a', live: ['a', 'b'], apps: all, owners, now: NOW });
    const nowMine = all.filter((x) => assignApps(all, ['a', 'b']).get(x) === 'a');
    assert.deepEqual(d.claim, nowMine);
    assert.ok(mine('c').some((app) => d.claim.includes(app)));
  });

  it('waits for an app still held by a live agent, and hands back what the split gives to another', () => {
    const theirs = mine('b')[0]!;
    const owners = new Map([
      [mine('a')[0]!, held('b')],
      [theirs, held('a')],
    ]);
    const d = decideShard({ self: 'a', live: ['a', 'b', 'c'], apps: all, owners, now: NOW });
    assert.deepEqual(d.waiting, [mine('a')[0]]);
    assert.ok(!d.claim.includes(mine('a')[0]!));
    assert.deepEqual(d.release, [theirs]);
  });

  it("an owner Lease counts while its holder's heartbeat lives, even past its own expiry, and not once that heartbeat expired", () => {
    const beats = new Map([
      ['a', held('p1')],
      ['dead', held('p3', NOW - 1)],
    ]);
    assert.equal(ownerOf(held('a'), beats, NOW), 'a');
    assert.equal(ownerOf(held('dead'), beats, NOW), undefined);
    assert.equal(ownerOf(held('elsewhere'), beats, NOW), 'elsewhere', 'no heartbeat seen: the Lease decides');
    assert.equal(ownerOf(held('a', NOW - 1), beats, NOW), 'a', 'not renewed, yet its holder beats');
    assert.equal(ownerOf(held('elsewhere', NOW - 1), beats, NOW), undefined, 'no heartbeat and expired');
    assert.equal(ownerOf({ expiresAt: NOW + 1000 }, beats, NOW), undefined, 'released');
    const d = decideShard({
      self: 'a',
      live: ['a'],
      apps: ['x'],
      owners: new Map([['x', held('dead')]]),
      heartbeats: beats,
      now: NOW,
    });
    assert.deepEqual(d.claim, ['x']);
  });

  it('live agents are the heartbeats not expired', () => {
    const beats = new Map([
      ['b', held('p2')],
      ['a', held('p1')],
      ['dead', held('p3', NOW - 1)],
    ]);
    assert.deepEqual(liveAgents(beats, NOW), ['a', 'b']);
  });

  it('a console defers auto-sync while any agent is live, and only then', () => {
    assert.equal(consoleDefers(0), false);
    assert.equal(consoleDefers(1), true);
  });
});
