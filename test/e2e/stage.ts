// What every end-to-end test sets up: a clean cluster (the demo's namespace and driftdeck's records of its apps
// gone, since all tests share the names `gadgetgrove`, backend, frontend and cart), the GadgetGrove demo seeded in a
// bare remote under a temp folder, and the built console started in tmux against both.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppsV1Api, CoordinationV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { type SeededDemo, seedDemoRepo } from '../../source/demo/index.js';
import { CLI } from '../support/cli.js';
import { eventually, kubeConfig, testKubeconfig } from '../support/cluster.js';
import { TEST_IDENTITY } from '../support/repo.js';
import { TmuxSession } from './tmux.js';

const run = promisify(execFile);

export const NAMESPACE = 'gadgetgrove';
export const APPS = ['backend', 'frontend', 'cart'] as const;
export const SYSTEM_NAMESPACE = 'driftdeck-system';
export const OLD_IMAGE = 'registry.gadgetgrove.example/backend:v1.0.0';
export const NEW_IMAGE = 'registry.gadgetgrove.example/backend:v1.0.1-security-patch';
/** The engineer's change of story 2, for `pushChange`. */
export const SECURITY_PATCH = {
  file: 'apps/backend/deployment.yaml',
  replace: ['backend:v1.0.0', 'backend:v1.0.1-security-patch'] as [string, string],
  message: 'Backend security patch',
};
/** The demo Secret's password: it must never be on screen. */
export const SECRET_PASSWORD = 'gg-demo-Pa55word-not-real';

const isNotFound = (err: unknown) => (err as { code?: number }).code === 404;
const ignoreNotFound = (err: unknown) => {
  if (!isNotFound(err)) throw err;
};

/** Removes the demo's namespace (waiting until it is gone) and driftdeck's sync records and locks of its apps. */
export async function cleanCluster(): Promise<void> {
  const kc = kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const coordination = kc.makeApiClient(CoordinationV1Api);
  await core.deleteNamespace({ name: NAMESPACE }).catch(ignoreNotFound);
  await eventually(
    `namespace ${NAMESPACE} to be gone`,
    () =>
      core.readNamespace({ name: NAMESPACE }).then(
        () => false,
        (err: unknown) => isNotFound(err) || undefined,
      ),
    180_000,
    500,
  );
  for (const app of APPS) {
    await core
      .deleteNamespacedConfigMap({ name: `driftdeck-history-${app}`, namespace: SYSTEM_NAMESPACE })
      .catch(ignoreNotFound);
    await coordination
      .deleteNamespacedLease({ name: `driftdeck-sync-${app}`, namespace: SYSTEM_NAMESPACE })
      .catch(ignoreNotFound);
  }
}

export interface Stage {
  root: string;
  demo: SeededDemo;
  /** Environment of the console: the engineer's Git identity and a Git cache inside `root`. */
  env: Record<string, string>;
  /** The console's command line: node, dist/cli.js, --repo, --kubeconfig, --context, then `extra`. */
  argv(extra?: string[]): string[];
  /** Starts `argv` (default: the console with `extra` flags) in tmux, with the console's environment. */
  open(options?: {
    width?: number;
    height?: number;
    extra?: string[];
    argv?: string[];
    env?: Record<string, string>;
  }): Promise<TmuxSession>;
  /** Runs the built CLI headless (no TTY) with the same flags and environment. */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Kills every session opened and removes the temp folder. */
  cleanup(): Promise<void>;
}

/** A clean cluster and a freshly seeded demo remote. */
/** What the console is started with in a test terminal: the test's Git identity, no prompts, its own cache. */
export function consoleEnv(cache: string): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: TEST_IDENTITY.name,
    GIT_AUTHOR_EMAIL: TEST_IDENTITY.email,
    GIT_COMMITTER_NAME: TEST_IDENTITY.name,
    GIT_COMMITTER_EMAIL: TEST_IDENTITY.email,
    GIT_TERMINAL_PROMPT: '0',
    XDG_CACHE_HOME: cache,
  };
}

export async function stage(): Promise<Stage> {
  await cleanCluster();
  const root = await mkdtemp(join(tmpdir(), 'driftdeck-e2e-'));
  const demo = await seedDemoRepo({ root });
  const { kubeconfig, context } = testKubeconfig();
  const env = consoleEnv(join(root, 'cache'));
  const flags = ['--repo', demo.remote, '--kubeconfig', kubeconfig, '--context', context];
  const sessions: TmuxSession[] = [];
  const argv = (extra: string[] = []) => [process.execPath, CLI, ...flags, ...extra];
  return {
    root,
    demo,
    env,
    argv,
    async open(options = {}) {
      const session = await TmuxSession.start({
        argv: options.argv ?? argv(options.extra),
        width: options.width ?? 160,
        height: options.height ?? 45,
        env: { ...env, ...options.env },
        // Colour unless a test asks for NO_COLOR; whatever the runner's own terminal has.
        unset: ['NO_COLOR', 'FORCE_COLOR', 'CI'].filter((name) => !options.env?.[name]),
        cwd: root,
      });
      sessions.push(session);
      return session;
    },
    async cli(args) {
      return run(process.execPath, [CLI, ...args, ...flags], {
        env: { ...process.env, ...env, NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 180_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (err: { code?: number; stdout?: string; stderr?: string }) => ({
          code: typeof err.code === 'number' ? err.code : -1,
          stdout: err.stdout ?? '',
          stderr: err.stderr ?? '',
        }),
      );
    },
    async cleanup() {
      for (const session of sessions) await session.kill();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** `kubectl <args>` against the test cluster (kubectl from DRIFTDECK_TOOLS_BIN or PATH). */
export async function kubectl(args: string[]): Promise<string> {
  const { kubeconfig, context } = testKubeconfig();
  const bin = process.env.DRIFTDECK_TOOLS_BIN ? join(process.env.DRIFTDECK_TOOLS_BIN, 'kubectl') : 'kubectl';
  const { stdout } = await run(bin, ['--kubeconfig', kubeconfig, '--context', context, ...args], {
    encoding: 'utf8',
  });
  return stdout;
}

/** `git <args>` in the bare remote, as a person checking what was pushed. */
export async function gitRemote(remote: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['--git-dir', remote, ...args], { encoding: 'utf8' });
  return stdout;
}

/** The backend Deployment when it runs `image` on every replica (rollout finished), else undefined. */
export async function rolledOutTo(image: string, replicas = 3): Promise<V1Deployment | undefined> {
  const apps = kubeConfig().makeApiClient(AppsV1Api);
  const d = await apps.readNamespacedDeployment({ name: 'backend', namespace: NAMESPACE });
  const s = d.status;
  const done =
    d.spec?.template.spec?.containers[0]?.image === image &&
    d.spec?.replicas === replicas &&
    s?.observedGeneration === d.metadata?.generation &&
    s?.updatedReplicas === replicas &&
    s?.availableReplicas === replicas &&
    (s?.replicas ?? 0) === replicas;
  return done ? d : undefined;
}

export async function configMapExists(name: string): Promise<boolean> {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  return core.readNamespacedConfigMap({ name, namespace: NAMESPACE }).then(
    () => true,
    (err: unknown) => {
      if (isNotFound(err)) return false;
      throw err;
    },
  );
}
