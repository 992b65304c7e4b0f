// The webhook receiver on a real loopback server, fed each forge's push as its documentation shapes it: a signed
// push for our repository and branch polls once; unsigned, wrongly signed, replayed, oversized, too frequent, for
// another repository or another branch, it is refused or ignored and polls nothing. Counted in the metrics.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type AgentHttp, startAgentHttp } from '../../../source/agent/http-server.js';
import { AgentMetrics } from '../../../source/agent/metrics.js';
import { type WebhookOptions, webhookReceiver } from '../../../source/agent/webhook.js';
import { samples } from '../../support/prometheus.js';
import { FIXTURE, fixture, forgeHeaders, send, type TestForge } from '../../support/webhook-client.js';
import { fixtureSnapshot } from '../ui/fixture-snapshot.js';

const SECRET = 'it5-a-l0ng-shared-secret';

/** Each forge's fixture, the remote the agent is given (in another form than the payload's), and the pushed sha. */
const FORGES: Array<{ forge: TestForge; remote: string; sha: string }> = [
  { forge: 'github', remote: 'git@GitHub.com:acme/deploy', sha: '4e2a1f0c9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f' },
  {
    forge: 'gitea',
    remote: 'https://Gitea.acme.example/platform/deploy/',
    sha: 'bffeb74224043ba2feb48d137756c8a9331c449a',
  },
  {
    forge: 'gitlab',
    remote: 'ssh://git@gitlab.acme.example:22/platform/deploy.git',
    sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
  },
  {
    forge: 'bitbucket',
    remote: 'git@bitbucket.org:acme/deploy.git',
    sha: '7d3c5b1a9e8f7d6c5b4a3e2d1c0b9a8f7e6d5c4b',
  },
  {
    forge: 'bitbucket-server',
    remote: 'https://bitbucket.acme.example/scm/ops/deploy',
    sha: 'c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0',
  },
];

interface Harness {
  http: AgentHttp;
  url: string;
  triggers: Array<{ forge: string; sha?: string }>;
  target: { url: string; branch: string };
  metrics: AgentMetrics;
}

async function harness(over: Partial<WebhookOptions> = {}): Promise<Harness> {
  const snap = fixtureSnapshot();
  const metrics = new AgentMetrics({
    getSnapshot: () => snap,
    subscribe: () => () => undefined,
    requests: () => 0,
  });
  const h = { triggers: [], target: { url: '', branch: 'main' }, metrics } as unknown as Harness;
  h.http = await startAgentHttp({
    address: '127.0.0.1:0',
    readiness: () => ({ ready: true }),
    metrics: async () => ({ contentType: metrics.contentType, text: await metrics.text() }),
    webhook: webhookReceiver({
      secret: async () => SECRET,
      target: () => h.target,
      trigger: (p) => h.triggers.push(p),
      count: (forge, result) => metrics.countWebhook(forge, result),
      ...over,
    }),
  });
  h.url = `http://${h.http.address}/api/webhook`;
  return h;
}

describe('webhook receiver, per forge', () => {
  let h: Harness;
  before(async () => {
    h = await harness({ rate: { perSecond: 1000, burst: 1000 } });
  });
  after(() => h.http.close());

  for (const { forge, remote, sha } of FORGES) {
    it(`${forge}: a signed push for our repository and branch polls once; a replay of it polls nothing`, async () => {
      h.target = { url: remote, branch: 'main' };
      h.triggers.length = 0;
      const body = fixture(FIXTURE[forge]);
      const headers = forgeHeaders(forge, body, SECRET);
      const first = await send(h.url, headers, body);
      assert.equal(first.status, 202, first.text);
      assert.equal(first.text, 'accepted: polling main now\n');
      assert.deepEqual(h.triggers, [{ forge, sha }]);
      const again = await send(h.url, headers, body);
      assert.equal(again.status, 409, again.text);
      assert.match(again.text, /already received/);
      assert.equal(h.triggers.length, 1, 'a replay polls nothing');
    });

    it(`${forge}: unsigned, or signed with another secret, is refused 401 and polls nothing`, async () => {
      h.target = { url: remote, branch: 'main' };
      h.triggers.length = 0;
      const body = fixture(FIXTURE[forge]);
      const unsigned = await send(h.url, forgeHeaders(forge, body, undefined), body);
      assert.equal(unsigned.status, 401, unsigned.text);
      const wrong = await send(h.url, forgeHeaders(forge, body, 'not-the-secret'), body);
      assert.equal(wrong.status, 401, wrong.text);
      // Signed, then the body changed on the way: the signature no longer holds (GitLab signs nothing).
      if (forge !== 'gitlab') {
        const tampered = Buffer.concat([body, Buffer.from(' ')]);
        const moved = await send(h.url, forgeHeaders(forge, body, SECRET), tampered);
        assert.equal(moved.status, 401, moved.text);
      }
      assert.deepEqual(h.triggers, []);
    });

    it(`${forge}: a push for another repository or another branch is ignored, polling nothing`, async () => {
      h.triggers.length = 0;
      const body = fixture(FIXTURE[forge]);
      h.target = { url: 'https://git.example.com/someone/else.git', branch: 'main' };
      const other = await send(h.url, forgeHeaders(forge, body, SECRET), body);
      assert.equal(other.status, 202);
      assert.equal(other.text, 'ignored: a push to another repository\n');
      h.target = { url: remote, branch: 'production' };
      const branch = await send(h.url, forgeHeaders(forge, body, SECRET), body);
      assert.equal(branch.status, 202);
      assert.equal(branch.text, 'ignored: no push to branch production\n');
      assert.deepEqual(h.triggers, []);
    });
  }

  it('a GitHub ping is answered but polls nothing; GitLab without a delivery id is deduplicated by what it pushed', async () => {
    h.target = { url: 'https://github.com/acme/deploy', branch: 'main' };
    h.triggers.length = 0;
    const ping = fixture('github-ping.json');
    const pong = await send(
      h.url,
      { ...forgeHeaders('github', ping, SECRET), 'x-github-event': 'ping' },
      ping,
    );
    assert.equal(pong.status, 202);
    assert.equal(pong.text, 'ignored: "ping" is not a push\n');

    h.target = { url: 'https://gitlab.acme.example/platform/deploy.git', branch: 'main' };
    const body = fixture(FIXTURE.gitlab);
    assert.equal((await send(h.url, forgeHeaders('gitlab', body, SECRET, null), body)).status, 202);
    assert.equal((await send(h.url, forgeHeaders('gitlab', body, SECRET, null), body)).status, 409);
    assert.equal(h.triggers.length, 1);
  });

  it('says back nothing the request holds: a hostile event name, ref or URL is not echoed', async () => {
    h.target = { url: 'https://github.com/acme/deploy', branch: 'main' };
    h.triggers.length = 0;
    const body = fixture(FIXTURE.github);
    const odd = await send(
      h.url,
      { ...forgeHeaders('github', body, SECRET), 'x-github-event': 'p<i>ng' },
      body,
    );
    assert.equal(odd.text, 'ignored: this event is not a push\n');
    const hostile = Buffer.from(
      JSON.stringify({
        ...JSON.parse(body.toString()),
        ref: 'refs/heads/\u001b]52;c;aGk=\u0007main',
        repository: { clone_url: 'https://github.com/acme/deploy\u001b[2J.git' },
      }),
    );
    const r = await send(h.url, forgeHeaders('github', hostile, SECRET), hostile);
    assert.equal(r.status, 202);
    assert.equal(r.text, 'ignored: a push to another repository\n');
    assert.deepEqual(h.triggers, []);
  });
});

describe('webhook receiver, refusals before the signature', () => {
  it('wrong method 405, wrong content type 415, unknown sender 400, and 404 with no secret', async () => {
    const h = await harness();
    const off = await harness({ secret: async () => undefined });
    try {
      const body = fixture(FIXTURE.github);
      const get = await send(h.url, {}, undefined, { method: 'GET' });
      assert.equal(get.status, 405);
      assert.equal(get.headers.allow, 'POST');
      const form = await send(
        h.url,
        { ...forgeHeaders('github', body, SECRET), 'content-type': 'application/x-www-form-urlencoded' },
        body,
      );
      assert.equal(form.status, 415);
      const anonymous = await send(h.url, { 'content-type': 'application/json' }, body);
      assert.equal(anonymous.status, 400);
      const disabled = await send(off.url, forgeHeaders('github', body, SECRET), body);
      assert.equal(disabled.status, 404);
      assert.match(disabled.text, /webhook is off/);
      assert.deepEqual([...h.triggers, ...off.triggers], []);
    } finally {
      await h.http.close();
      await off.http.close();
    }
  });

  it('refuses a body above the cap (declared or streamed) with 413, reading no further', async () => {
    const h = await harness({ maxBytes: 64 * 1024 });
    try {
      h.target = { url: 'https://github.com/acme/deploy', branch: 'main' };
      const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
      const declared = await send(
        h.url,
        { ...forgeHeaders('github', big, SECRET), expect: '100-continue' },
        big,
      );
      assert.equal(declared.status, 413);
      assert.match(declared.text, /at most 65536 bytes/);
      // A small body with the same expectation is asked for, and read.
      const body = fixture(FIXTURE.github);
      const small = await send(
        h.url,
        { ...forgeHeaders('github', body, SECRET), expect: '100-continue' },
        body,
      );
      assert.equal(small.status, 202, small.text);
      // Chunked: no length to refuse up front; reading stops at the cap.
      const chunks = Array.from({ length: 64 }, () => Buffer.alloc(32 * 1024, 0x20));
      const streamed = await send(
        h.url,
        { ...forgeHeaders('github', big, SECRET), 'transfer-encoding': 'chunked' },
        chunks,
      );
      assert.equal(streamed.status, 413);
      assert.equal(h.triggers.length, 1, 'only the small one');
    } finally {
      await h.http.close();
    }
  });

  it('other paths answer a request with Expect: 100-continue as before', {
    timeout: 10_000,
  }, async () => {
    const h = await harness();
    try {
      const base = `http://${h.http.address}`;
      const r = await send(`${base}/metrics`, { expect: '100-continue' }, Buffer.from('x'));
      assert.equal(r.status, 405);
      assert.equal((await send(`${base}/healthz`, {}, undefined, { method: 'GET' })).status, 200);
    } finally {
      await h.http.close();
    }
  });

  it('answers 408 to a body that does not arrive in time', async () => {
    const h = await harness({ bodyTimeoutMs: 200 });
    try {
      const body = fixture(FIXTURE.github);
      const r = await send(
        h.url,
        { ...forgeHeaders('github', body, SECRET), 'content-length': String(body.length) },
        body.subarray(0, 100),
        { end: false },
      );
      assert.equal(r.status, 408);
      assert.deepEqual(h.triggers, []);
    } finally {
      await h.http.close();
    }
  });

  it('rate limits with 429 and Retry-After, counting every answer in the metrics', async () => {
    let now = 1_000_000;
    const h = await harness({ rate: { perSecond: 0.5, burst: 2 }, now: () => now });
    try {
      h.target = { url: 'https://github.com/acme/deploy.git', branch: 'main' };
      const body = fixture(FIXTURE.github);
      const codes: number[] = [];
      let retryAfter: unknown;
      for (let i = 0; i < 4; i++) {
        const r = await send(h.url, forgeHeaders('github', body, SECRET, randomUUID()), body);
        codes.push(r.status);
        if (r.status === 429) retryAfter = r.headers['retry-after'];
      }
      // The first polls, the second is the same push under another delivery id (polls again), then the bucket is dry.
      assert.deepEqual(codes, [202, 202, 429, 429]);
      assert.equal(retryAfter, '2');
      now += 2_000;
      assert.equal((await send(h.url, forgeHeaders('github', body, undefined), body)).status, 401);
      const s = samples(await h.metrics.text());
      assert.equal(s.get('driftdeck_webhook_requests_total{forge="github",result="accepted"}'), 2);
      assert.equal(s.get('driftdeck_webhook_requests_total{forge="github",result="rate_limited"}'), 2);
      assert.equal(s.get('driftdeck_webhook_requests_total{forge="github",result="unauthorized"}'), 1);
      assert.equal(h.triggers.length, 2);
    } finally {
      await h.http.close();
    }
  });
});
