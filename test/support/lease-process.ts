// Another driftdeck process of the same person, for tests of the app Lease: run as a child, it takes an app's Lease
// with the identity driftdeck itself would use (role "console"), says so on stdout as one JSON line, and holds it
// (renewing) until it reads "release" on stdin. Killing it leaves the Lease as a process that died would.
import { createInterface } from 'node:readline';
import { leaseHolder } from '../../source/cli/identity.js';
import { KubeCluster } from '../../source/kube/index.js';

const [app, kubeconfig, context] = process.argv.slice(2);
if (!app || !kubeconfig || !context) throw new Error('usage: lease-process <app> <kubeconfig> <context>');
const cluster = new KubeCluster({ kubeconfig, context, watch: false });
const holder = leaseHolder('console');
try {
  const lease = await cluster.acquireLease(app, holder);
  process.stdout.write(`${JSON.stringify({ held: true, holder, pid: process.pid })}\n`);
  const keepAlive = setInterval(() => undefined, 60_000);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== 'release') continue;
    await lease.release();
    process.stdout.write(`${JSON.stringify({ released: true })}\n`);
    break;
  }
  clearInterval(keepAlive);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ held: false, error: (err as Error).message })}\n`);
} finally {
  cluster.close();
  // Keep-alive sockets of the client would hold the process open.
  process.exit(0);
}
