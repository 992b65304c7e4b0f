// The system git, run without a shell, as the demo's engineer: a fixed identity given through the environment (never
// written to any config), no signing prompts, no hooks, no terminal prompts.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DemoIdentity {
  name: string;
  email: string;
}

export const DEMO_IDENTITY: DemoIdentity = { name: 'GadgetGrove Dev', email: 'dev@gadgetgrove.example' };

export interface DemoGitOptions {
  /** Base environment (default process.env); identity variables are added on top. */
  env?: NodeJS.ProcessEnv;
  /** Author and committer (default GadgetGrove Dev). */
  identity?: DemoIdentity;
}

/** Variables that would point git at another repository, as set when running inside a git hook. */
const REDIRECTING = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/** Settings from the user's config that would make a scripted commit prompt, fail or run their hooks. */
const SAFE_CONFIG = [
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.autocrlf=false',
];

export function demoGitEnv(options: DemoGitOptions = {}, date?: Date): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env) };
  for (const name of REDIRECTING) delete env[name];
  const who = options.identity ?? DEMO_IDENTITY;
  env.GIT_AUTHOR_NAME = who.name;
  env.GIT_AUTHOR_EMAIL = who.email;
  env.GIT_COMMITTER_NAME = who.name;
  env.GIT_COMMITTER_EMAIL = who.email;
  env.GIT_TERMINAL_PROMPT = '0';
  if (date) {
    const stamp = `${Math.floor(date.getTime() / 1000)} +0000`;
    env.GIT_AUTHOR_DATE = stamp;
    env.GIT_COMMITTER_DATE = stamp;
  } else {
    delete env.GIT_AUTHOR_DATE;
    delete env.GIT_COMMITTER_DATE;
  }
  return env;
}

/** Runs `git <args>` in `cwd` and returns stdout; a failure names the command, the folder and git's message. */
export async function runGit(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  try {
    const { stdout } = await run('git', [...SAFE_CONFIG, ...args], {
      cwd,
      env,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      // execFile reports a missing working folder the same way as a missing program.
      if (!existsSync(cwd)) throw new Error(`git ${args.join(' ')}: the folder ${cwd} does not exist`);
      throw new Error('the demo needs git, which was not found on PATH');
    }
    const detail = (e.stderr ?? '').trim() || e.message;
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${detail}`);
  }
}

/** Exit status 0 or not, for questions such as "does this ref exist". */
export async function gitSucceeds(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return runGit(cwd, args, env).then(
    () => true,
    () => false,
  );
}
