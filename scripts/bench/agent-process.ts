// The built agent as the benchmark runs it: `node dist/cli.js agent`, its JSON lines read as they come (every app's
// latest sync and health, and its sync events), its /metrics scraped, and its memory and CPU read from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { now, sleep } from './stats.js';

export interface AgentLine {
  time?: string;
  app?: string;
  type?: string;
  message?: string;
  sync?: string;
  health?: string;
}

/** A free TCP port on 127.0.0.1, for the agent's metrics. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Resident memory now, its peak (VmHWM) and CPU seconds used, of a live process, from /proc. */
export function processUsage(pid: number): { rssBytes: number; peakBytes: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks; the name (field 2) may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]);
  return { rssBytes: kb('VmRSS'), peakBytes: kb('VmHWM'), cpuSeconds: ticks / CLOCK_TICKS };
}

const nodeArgs = () => (process.env.BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** USER_HZ: 100 on every Linux this runs on (the kernel reports times to user space in it). */
const CLOCK_TICKS = 100;

export class BenchAgent {
  readonly child: ChildProcess;
  readonly lines: AgentLine[] = [];
  /** Each app's latest status line. */
  readonly status = new Map<string, { sync: string; health: string; at: number }>();
  readonly startedAt = now();
  private stderr = '';

  constructor(
    pkg: string,
    args: string[],
    readonly metricsPort: number,
  ) {
    this.child = spawn(
      process.execPath,
      // BENCH_AGENT_NODE_ARGS reach the agent's node alone (`--cpu-prof --cpu-prof-dir=/tmp/prof` profiles it).
      [
        ...nodeArgs(),
        join(pkg, 'dist', 'cli.js'),
        'agent',
        ...args,
        '--metrics-address',
        `127.0.0.1:${metricsPort}`,
      ],
      // As the agent's Deployment and image run it (source/agent/install.ts): two malloc arenas.
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
      },
    );
    this.child.stderr?.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString()).slice(-4000);
    });
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      let line: AgentLine;
      try {
        line = JSON.parse(text) as AgentLine;
      } catch {
        return;
      }
      this.lines.push(line);
      if (line.type === 'status' && line.app && line.sync && line.health)
        this.status.set(line.app, { sync: line.sync, health: line.health, at: now() });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the agent did not start');
    return this.child.pid;
  }

  /** Resolves with the time at which `check` first held, checking every 50 ms. */
  async until(what: string, check: () => boolean, timeoutMs: number): Promise<number> {
    const deadline = now() + timeoutMs;
    for (;;) {
      if (check()) return now();
      if (this.child.exitCode !== null)
        throw new Error(`the agent exited (${this.child.exitCode}) before ${what}: ${this.stderr}`);
      if (now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; agent stderr: ${this.stderr}`);
      await sleep(50);
    }
  }

  /** Syncs the agent started (its sync-started events), all apps. */
  syncsStarted(): number {
    return this.lines.filter((l) => l.type === 'sync-started').length;
  }

  async metrics(): Promise<Map<string, number>> {
    const res = await fetch(`http://127.0.0.1:${this.metricsPort}/metrics`, {
      signal: AbortSignal.timeout(10_000),
    });
    const out = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const at = line.lastIndexOf(' ');
      out.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
    return out;
  }

  /** SIGTERM, then SIGKILL after 20 s; resolves once the process is gone. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }
}
