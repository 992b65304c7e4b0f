// Runs the built driftdeck binary (dist/cli.js) as a person would from a shell, against the test cluster.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually, testKubeconfig } from './cluster.js';
import { gitEnv } from './repo.js';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function env(): NodeJS.ProcessEnv {
  return { ...gitEnv(), NO_COLOR: '1' };
}

export interface CliOptions {
  /** False: no `--kubeconfig`/`--context` of the test cluster (a person with none, or with their own). */
  testCluster?: boolean;
  /** Another kubeconfig and context than the test cluster's admin (a person's with fewer rights, say). */
  target?: { kubeconfig: string; context: string };
  /** Changes to the environment (a cache folder of the test's own, a git timeout); undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Sees the process once started, e.g. to watch the processes it starts. */
  onStart?: (child: ChildProcess) => void;
}

/** `driftdeck <args> --kubeconfig <test cluster>`; resolves with the exit code and both outputs. */
export function driftdeck(args: string[], timeoutMs = 120_000, opts: CliOptions = {}): Promise<CliResult> {
  const target =
    opts.testCluster === false
      ? []
      : opts.target
        ? ['--kubeconfig', opts.target.kubeconfig, '--context', opts.target.context]
        : testTarget();
  const childEnv = { ...env(), ...opts.env };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, ...target], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    opts.onStart?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

function testTarget(): string[] {
  const { kubeconfig, context } = testKubeconfig();
  return ['--kubeconfig', kubeconfig, '--context', context];
}

export interface AgentProcess {
  child: ChildProcess;
  /** Every JSON line printed so far. */
  lines: Array<Record<string, unknown>>;
  /** Waits for a line matching `match`. */
  waitFor(
    what: string,
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
  /** What it printed on stderr so far. */
  stderr(): string;
  /** host:port of its /healthz, /readyz and /metrics (started with --metrics-address), once it says so. */
  servingAddress(): Promise<string>;
}

/** `driftdeck agent` as a child process, its JSON lines collected. */
export function startAgent(args: string[], target?: { kubeconfig: string; context: string }): AgentProcess {
  const { kubeconfig, context } = target ?? testKubeconfig();
  const child = spawn(
    process.execPath,
    [CLI, 'agent', ...args, '--kubeconfig', kubeconfig, '--context', context],
    {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      lines.push({ unparsed: line });
    }
  });
  return {
    child,
    lines,
    async waitFor(what, match, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = lines.find(match);
        if (hit) return hit;
        if (child.exitCode !== null)
          throw new Error(`agent exited (${child.exitCode}) before ${what}: ${stderr}`);
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what}; agent printed:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`,
          );
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stderr: () => stderr,
    servingAddress: () =>
      eventually(
        'the agent to say where it serves',
        async () =>
          /serving \/healthz, \/readyz and \/metrics on http:\/\/(127\.0\.0\.1:\d+)/.exec(stderr)?.[1],
        30_000,
        100,
      ),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface LeaseProcess {
  child: ChildProcess;
  /** The first line: whether it holds the lease, as whom, or why not. */
  started: Promise<{ held: boolean; holder?: string; pid?: number; error?: string }>;
  /** Releases the lease and waits for the process to end. */
  release(): Promise<void>;
  /** Ends it at once, as a crash would: the Lease stays as it was. */
  kill(): Promise<void>;
}

/** A second driftdeck process of the same person holding an app's Lease (test/support/lease-process.ts). */
export function holdLease(app: string): LeaseProcess {
  const { kubeconfig, context } = testKubeconfig();
  const script = join(import.meta.dirname, 'lease-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, app, kubeconfig, context], {
    env: env(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const started = new Promise<{ held: boolean; holder?: string; pid?: number; error?: string }>(
    (resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line)));
      child.once('exit', (code) => reject(new Error(`lease process exited (${code}): ${stderr}`)));
    },
  );
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    started,
    async release() {
      child.stdin?.end('release\n');
      await exited();
    },
    async kill() {
      const done = exited();
      child.kill('SIGKILL');
      await done;
    },
  };
}
