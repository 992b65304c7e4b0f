// The webhook's pieces as data: one repository named in every form a forge or a person writes it, the token bucket
// and the delivery memory on a clock the test moves, each forge's payload read for URLs, refs and shas, and the
// secret read from its file.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectForge, parsePush } from '../../../source/agent/webhook-forges.js';
import { SeenDeliveries, TokenBucket } from '../../../source/agent/webhook-guards.js';
import { repoKey, sameRepository } from '../../../source/agent/webhook-repo.js';
import { webhookSecret } from '../../../source/agent/webhook-secret.js';
import { FIXTURE, fixture, forgeHeaders, type TestForge } from '../../support/webhook-client.js';

describe('webhook repository matching', () => {
  it('reads ssh, scp, https and git URLs of one repository as the same, whatever the host case, .git or slash', () => {
    const same = [
      'https://github.com/acme/deploy.git',
      'https://GitHub.com/acme/deploy',
      'https://github.com/acme/deploy/',
      'https://github.com/acme/deploy.git/',
      'http://github.com:443/acme/deploy',
      'https://token@github.com/acme/deploy.git',
      'git@github.com:acme/deploy.git',
      'github.com:acme/deploy',
      'ssh://git@github.com/acme/deploy.git',
      'ssh://git@github.com:22/acme/deploy',
      'git://github.com/acme/deploy.git',
      'https://github.com/Acme/Deploy.git?ref=x#frag',
    ];
    for (const url of same) assert.equal(repoKey(url), 'github.com/acme/deploy', url);
    for (const other of [
      'https://github.com/acme/deploy-prod.git',
      'https://github.com/acme/deploy/tree',
      'https://gitlab.com/acme/deploy.git',
      'git@github.com:other/deploy.git',
    ])
      assert.notEqual(repoKey(other), 'github.com/acme/deploy', other);
  });

  it('reads local paths and file:// URLs alike, keeping their case, and refuses what is no URL', () => {
    assert.equal(repoKey('/tmp/x/Remote.git'), '/tmp/x/Remote');
    assert.equal(repoKey('file:///tmp/x/Remote.git/'), '/tmp/x/Remote');
    assert.equal(repoKey('file://localhost/tmp/x/Remote'), '/tmp/x/Remote');
    for (const bad of [
      '',
      '   ',
      'https://github.com/',
      'https://github.com',
      'a b',
      'x\x1b[2J',
      'https://h/p\x00',
    ])
      assert.equal(repoKey(bad), undefined, JSON.stringify(bad));
    assert.equal(repoKey(`https://h/${'a'.repeat(3000)}`), undefined);
    assert.ok(sameRepository('./deploy'.replace('.', '/tmp'), ['file:///tmp/deploy.git']));
    assert.ok(!sameRepository('https://github.com/', ['https://github.com/']), 'no repository is no match');
  });
});

describe('webhook guards', () => {
  it('token bucket: a burst, then the rate; a refusal says how long to wait', () => {
    let now = 0;
    const bucket = new TokenBucket(0.5, 3, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take()], [0, 0, 0]);
    assert.equal(bucket.take(), 2);
    now += 1000;
    assert.equal(bucket.take(), 1, 'half a token back: one more second');
    now += 1000;
    assert.equal(bucket.take(), 0);
    now += 60_000;
    assert.deepEqual(
      [bucket.take(), bucket.take(), bucket.take(), bucket.take()],
      [0, 0, 0, 2],
      'never above the burst',
    );
  });

  it('remembers deliveries for the window, and no more of them than its bound', () => {
    let now = 0;
    const seen = new SeenDeliveries(1000, 3, () => now);
    assert.equal(seen.check('a'), false);
    assert.equal(seen.check('a'), true);
    now = 999;
    assert.equal(seen.check('a'), true);
    now = 1000;
    assert.equal(seen.check('a'), false, 'forgotten after the window, then remembered again');
    for (const id of ['b', 'c', 'd', 'e']) seen.check(id);
    assert.equal(seen.size, 3);
    assert.equal(seen.check('e'), true);
    assert.equal(seen.check('a'), false, 'the oldest made room');
  });
});

describe('webhook payloads', () => {
  const want: Record<TestForge, { url: string; ref: string; sha: string }> = {
    github: {
      url: 'https://github.com/acme/deploy.git',
      ref: 'refs/heads/main',
      sha: '4e2a1f0c9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f',
    },
    gitea: {
      url: 'https://gitea.acme.example/platform/deploy.git',
      ref: 'refs/heads/main',
      sha: 'bffeb74224043ba2feb48d137756c8a9331c449a',
    },
    gitlab: {
      url: 'https://gitlab.acme.example/platform/deploy.git',
      ref: 'refs/heads/main',
      sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
    },
    bitbucket: {
      url: 'https://bitbucket.org/acme/deploy',
      ref: 'refs/heads/main',
      sha: '7d3c5b1a9e8f7d6c5b4a3e2d1c0b9a8f7e6d5c4b',
    },
    'bitbucket-server': {
      url: 'https://bitbucket.acme.example/scm/ops/deploy.git',
      ref: 'refs/heads/main',
      sha: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0',
    },
  };
  for (const [forge, w] of Object.entries(want) as Array<[TestForge, (typeof want)[TestForge]]>)
    it(`${forge}: recognised by its headers; its repository URLs, pushed ref and sha read`, () => {
      const body = fixture(FIXTURE[forge]);
      assert.equal(detectForge(forgeHeaders(forge, body, 's')), forge);
      const push = parsePush(forge, JSON.parse(body.toString()));
      assert.ok(push?.urls.includes(w.url), `${w.url} in ${push?.urls.join(' ')}`);
      assert.deepEqual(push?.changes, [{ ref: w.ref, sha: w.sha }]);
    });

  it('a Bitbucket branch deletion names the branch from its old side; a tag is a tag', () => {
    const body = JSON.parse(fixture(FIXTURE.bitbucket).toString());
    const change = body.push.changes[0];
    body.push.changes = [
      { ...change, new: null },
      { ...change, new: { ...change.new, type: 'tag', name: 'v1' } },
    ];
    assert.deepEqual(parsePush('bitbucket', body)?.changes, [
      { ref: 'refs/heads/main' },
      { ref: 'refs/tags/v1', sha: '7d3c5b1a9e8f7d6c5b4a3e2d1c0b9a8f7e6d5c4b' },
    ]);
  });

  it('refuses shapes that are not a push: no repository, no ref, a sha that is not hex', () => {
    assert.equal(parsePush('github', { ref: 'refs/heads/main' }), undefined);
    assert.equal(parsePush('github', { repository: { clone_url: 'https://h/r' } }), undefined);
    assert.equal(parsePush('gitlab', []), undefined);
    assert.equal(parsePush('bitbucket-server', 'push'), undefined);
    assert.deepEqual(
      parsePush('github', {
        ref: 'refs/heads/main',
        after: '$(rm -rf /)',
        repository: { clone_url: 'https://h/r' },
      })?.changes,
      [{ ref: 'refs/heads/main' }],
    );
  });
});

describe('webhook secret', () => {
  it('is read from the file (trimmed), again once a few seconds passed; absent or empty means off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftdeck-webhook-'));
    try {
      const file = join(dir, 'secret');
      let now = 0;
      const secret = webhookSecret(file, 'from-env-but-file-wins', () => now);
      assert.equal(await secret(), undefined, 'no file yet (the optional Secret is not made)');
      await writeFile(file, 's3cret\n');
      assert.equal(await secret(), undefined, 'not read again at once');
      now += 5_000;
      assert.equal(await secret(), 's3cret');
      await writeFile(file, '  \n');
      now += 5_000;
      assert.equal(await secret(), undefined, 'an empty secret turns it off');
      assert.equal(await webhookSecret(undefined, ' e ')(), 'e');
      assert.equal(await webhookSecret(undefined, '')(), undefined);
      assert.equal(await webhookSecret(undefined, undefined)(), undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
