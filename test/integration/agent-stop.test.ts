// An agent told to stop while its first start is still under way (here its Git remote accepts the connection and
// never answers, so the first fetch hangs) stops at once and cleanly, as at any other time: exit 0, not ended by
// the signal with its Leases still held for the other replicas to wait out.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { startAgent } from '../support/cli.js';
import { eventually } from '../support/cluster.js';

test('an agent told to stop during its first start (a Git remote that never answers) exits 0 at once', async () => {
  const sockets = new Set<net.Socket>();
  const remote = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  const { port } = remote.address() as net.AddressInfo;
  const agent = startAgent([
    '--repo',
    `http://127.0.0.1:${port}/fleet.git`,
    '--interval',
    '5',
    '--metrics-address',
    '127.0.0.1:0',
  ]);
  try {
    const address = await agent.servingAddress();
    await eventually(
      'its first fetch to reach the remote',
      async () => sockets.size > 0 || undefined,
      30_000,
      100,
    );
    assert.equal((await fetch(`http://${address}/readyz`)).status, 503, 'the first start is still under way');
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      agent.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    agent.child.kill('SIGTERM');
    const end = await Promise.race([
      exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000)),
    ]);
    assert.ok(end, `the agent did not stop within 15 s of SIGTERM: ${agent.stderr()}`);
    assert.equal(end.signal, null, `ended by ${end.signal} rather than stopping: ${agent.stderr()}`);
    assert.equal(end.code, 0, agent.stderr());
  } finally {
    await agent.stop();
    for (const socket of sockets) socket.destroy();
    remote.close();
  }
});
