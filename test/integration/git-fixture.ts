// Real Git repositories for the Git adapter's integration tests: a bare remote, a seeding clone and a cache folder,
// all under one temporary folder per test, with an identity and a HOME of their own (never the user's config).
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitFixture {
  root: string;
  /** Bare remote, branch `main`. */
  remote: string;
  /** Clone of the remote the test commits in. */
  seed: string;
  cacheDir: string;
  /** Environment for git: isolated HOME, no system config, a test identity. */
  env: NodeJS.ProcessEnv;
  git(cwd: string, ...args: string[]): string;
  /** Writes files (relative path -> content; null deletes), commits them in `clone` and returns the new sha. */
  commit(clone: string, files: Record<string, string | null>, message: string): string;
  push(clone: string): void;
  /** A second clone of the remote, like another person's. */
  clone(name: string): string;
  remoteHead(): string;
  cleanup(): Promise<void>;
}

export const IDENTITY = { name: 'Test Author', email: 'author@example.test' };

export async function createGitFixture(prefix = 'driftdeck-git-'): Promise<GitFixture> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  const home = path.join(root, 'home');
  await fs.mkdir(home);
  const env = isolatedEnv(home, {
    GIT_AUTHOR_NAME: IDENTITY.name,
    GIT_AUTHOR_EMAIL: IDENTITY.email,
    GIT_COMMITTER_NAME: IDENTITY.name,
    GIT_COMMITTER_EMAIL: IDENTITY.email,
  });
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const remote = path.join(root, 'remote.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', remote);
  const fixture: GitFixture = {
    root,
    remote,
    seed: path.join(root, 'seed'),
    cacheDir: path.join(root, 'cache'),
    env,
    git,
    commit(clone, files, message) {
      for (const [file, content] of Object.entries(files)) {
        const target = path.join(clone, file);
        if (content === null) {
          rmSync(target, { recursive: true, force: true });
        } else {
          mkdirSync(path.dirname(target), { recursive: true });
          writeFileSync(target, content);
        }
      }
      git(clone, 'add', '-A');
      git(clone, 'commit', '-q', '-m', message);
      return git(clone, 'rev-parse', 'HEAD').trim();
    },
    push(clone) {
      git(clone, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
    },
    clone(name) {
      const dir = path.join(root, name);
      git(root, 'clone', '-q', remote, dir);
      return dir;
    },
    remoteHead() {
      return git(remote, 'rev-parse', 'refs/heads/main').trim();
    },
    async cleanup() {
      execFileSync('chmod', ['-R', 'u+w', root]);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  git(root, 'clone', '-q', remote, fixture.seed);
  git(fixture.seed, 'checkout', '-q', '-b', 'main');
  return fixture;
}

/** The current environment without anything git-related, with HOME moved and system config off. */
export function isolatedEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_') && key !== 'EMAIL') env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
}
