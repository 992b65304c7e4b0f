// What the hostile Git tests need around a remote: a server that accepts connections and never answers, a look at
// the command lines of every process on the machine, and every name under a folder.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface StalledServer {
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  stop(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts every connection, reads nothing, and never says a word. */
export async function startStalledServer(): Promise<StalledServer> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    accepted: () => accepted,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface ProcessLine {
  pid: number;
  argv: string[];
}

/** The argv of every process this user can see, as `ps` shows them to anyone on the machine. */
export async function processLines(): Promise<ProcessLine[]> {
  const lines: ProcessLine[] = [];
  for (const name of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const raw = await fs.readFile(path.join('/proc', name, 'cmdline')).catch(() => undefined);
    if (!raw || raw.length === 0) continue;
    lines.push({ pid: Number(name), argv: raw.toString('utf8').split('\0').filter(Boolean) });
  }
  return lines;
}

/**
 * Looks at every process's argv every few milliseconds until stopped; returns the lines that matched `keep`, each
 * process once.
 */
export function watchProcesses(keep: (line: ProcessLine) => boolean): { stop(): Promise<ProcessLine[]> } {
  const seen = new Map<string, ProcessLine>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const line of await processLines()) {
        if (keep(line)) seen.set(`${line.pid}:${line.argv.join(' ')}`, line);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...seen.values()];
    },
  };
}

/** Every file and folder name under `dir`, recursively (none when it does not exist). */
export async function namesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.map(String);
}
