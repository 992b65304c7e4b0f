// The agent's HTTP endpoints, served for real on a free loopback port: /healthz, /readyz following readiness,
// /metrics with its content type, and refusals of other methods and paths; addresses checked before listening.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress, startAgentHttp } from '../../../source/agent/http-server.js';

describe('agent http', () => {
  it('parses host:port and refuses anything else, saying what is expected', () => {
    assert.deepEqual(parseAddress('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseAddress('[::1]:0'), { host: '::1', port: 0 });
    assert.deepEqual(parseAddress('0.0.0.0:80'), { host: '0.0.0.0', port: 80 });
    for (const bad of ['9464', ':9464', '127.0.0.1', 'host:99999', 'a:b', '127.0.0.1:9464/x', 'h\x1b:1'])
      assert.throws(() => parseAddress(bad), /is not host:port \(for example 127\.0\.0\.1:9464/, bad);
    assert.throws(
      () => parseAddress('h\x1b[2J:1'),
      (e: Error) => !e.message.includes('\x1b'),
    );
  });

  it('serves health, readiness as it changes, metrics, and refuses other methods and paths', async () => {
    let ready = false;
    const http = await startAgentHttp({
      address: '127.0.0.1:0',
      readiness: () =>
        ready ? { ready: true } : { ready: false, reason: 'API server lost: connection refused' },
      metrics: async () => ({ contentType: 'text/plain; version=0.0.4', text: 'driftdeck_up 1\n' }),
    });
    try {
      assert.match(http.address, /^127\.0\.0\.1:\d+$/);
      const get = async (path: string, method = 'GET') => {
        const r = await fetch(`http://${http.address}${path}`, { method });
        return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
      };
      assert.deepEqual(await get('/healthz'), { status: 200, type: 'text/plain', text: 'ok\n' });
      assert.deepEqual(await get('/readyz'), {
        status: 503,
        type: 'text/plain',
        text: 'not ready: API server lost: connection refused\n',
      });
      ready = true;
      assert.equal((await get('/readyz')).status, 200);
      const metrics = await get('/metrics?x=1');
      assert.equal(metrics.status, 200);
      assert.equal(metrics.type, 'text/plain; version=0.0.4');
      assert.equal(metrics.text, 'driftdeck_up 1\n');
      assert.equal((await get('/metrics', 'POST')).status, 405);
      assert.equal((await get('/../etc/passwd')).status, 404);
    } finally {
      await http.close();
    }
  });

  it('says so when the port is taken', async () => {
    const first = await startAgentHttp({
      address: '127.0.0.1:0',
      readiness: () => ({ ready: true }),
      metrics: async () => ({ contentType: 'text/plain', text: '' }),
    });
    try {
      await assert.rejects(
        startAgentHttp({
          address: first.address,
          readiness: () => ({ ready: true }),
          metrics: async () => ({ contentType: 'text/plain', text: '' }),
        }),
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });
});
