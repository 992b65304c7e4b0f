// A watch is a stream of JSON lines that the server sends in pieces of any size: every whole line is one event, in
// order, whatever the chunks; a line that is not JSON (cut by a dropped connection) is skipped, never thrown on; the
// watch ends when the server ends it, fails when the connection breaks, and ends quietly when it is called off.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { RawClient } from '../../../source/kube/http.js';

type Script = (res: http.ServerResponse) => void;
let script: Script = (res) => res.end();
let server: http.Server;
let kc: KubeConfig;

before(async () => {
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    script(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'fake', token: 'x' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
    currentContext: 'fake',
  });
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const event = (name: string) => `${JSON.stringify({ type: 'ADDED', object: { metadata: { name } } })}\n`;
const tick = () => new Promise((r) => setTimeout(r, 10));

/** Runs a watch against `send`'s answer; the events' object names, in order. */
async function watched(send: Script, signal = new AbortController().signal): Promise<string[]> {
  script = send;
  const names: string[] = [];
  await new RawClient(kc).watch(
    '/api/v1/configmaps',
    {},
    (e) => names.push((e.object as { metadata: { name: string } }).metadata.name),
    signal,
  );
  return names;
}

describe('a watch stream', { timeout: 10_000 }, () => {
  it('gives one event per whole line, in order, across chunks cut anywhere, and ends with the stream', async () => {
    const text = `${event('a')}${event('b')}\n${event('c')}`;
    const names = await watched(async (res) => {
      // Cut into pieces of 7 bytes: lines split inside their JSON and across their newline.
      for (let i = 0; i < text.length; i += 7) {
        res.write(text.slice(i, i + 7));
        await tick();
      }
      // The last line has no newline: it is still a whole event when the stream ends.
      res.end(event('d').trimEnd());
    });
    assert.deepEqual(names, ['a', 'b', 'c', 'd']);
  });

  it('skips a line that is not JSON and goes on with the next', async () => {
    const names = await watched((res) => res.end(`${event('a')}{"type":"ADDED","obj\n${event('b')}`));
    assert.deepEqual(names, ['a', 'b']);
  });

  it('fails when the connection breaks, with the events before the break given', async () => {
    const names: string[] = [];
    script = (res) => {
      res.write(event('a'));
      setTimeout(() => res.socket?.destroy(), 50);
    };
    await assert.rejects(
      new RawClient(kc).watch(
        '/api/v1/configmaps',
        {},
        (e) => names.push((e.object as { metadata: { name: string } }).metadata.name),
        new AbortController().signal,
      ),
    );
    assert.deepEqual(names, ['a']);
  });

  it('ends quietly when called off, with the events before it given', async () => {
    const stop = new AbortController();
    const names = await watched((res) => {
      res.write(event('a'));
      setTimeout(() => stop.abort(), 50);
    }, stop.signal);
    assert.deepEqual(names, ['a']);
  });
});
