// Seeds the built-in demo's Git side: a bare repository holding the GadgetGrove sample with a short history, and a
// work clone of it for pushing changes. A remote that already has `main` is kept as the user left it.
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type DemoGitOptions, demoGitEnv, gitSucceeds, runGit } from './git.js';
import { configWithApps, DEMO_HISTORY, earlierForm, type HistoryStep } from './history.js';
import { demoPaths, sampleDir } from './paths.js';

export const DEMO_BRANCH = 'main';

export interface SeedOptions extends DemoGitOptions {
  /** Folder holding `gadgetgrove.git` and the work clone `gadgetgrove` (see demoPaths for the default). */
  root: string;
  /** Throw away the remote and the work clone and seed them again. */
  reset?: boolean;
  /** The sample folder (default: demo/gadgetgrove of this package). */
  sample?: string;
  /** The time the history ends at (default now). */
  now?: Date;
}

export interface SeededDemo {
  /** Absolute path of the bare repository, usable as a git remote URL. */
  remote: string;
  workdir: string;
  branch: 'main';
  /** False when an existing remote was reused. */
  created: boolean;
}

export async function seedDemoRepo(opts: SeedOptions): Promise<SeededDemo> {
  const { remote, workdir, root } = demoPaths(opts.root);
  const sample = opts.sample ?? sampleDir();
  if (!existsSync(join(sample, 'driftdeck.yaml'))) {
    throw new Error(`the demo's sample repository is missing: expected ${sample}/driftdeck.yaml`);
  }
  const env = demoGitEnv(opts);
  const result = { remote, workdir, branch: DEMO_BRANCH } as const;

  if (!opts.reset && (await hasMain(remote, env))) {
    if (!existsSync(workdir)) {
      await runGit(root, ['clone', '-q', '--branch', DEMO_BRANCH, remote, workdir], env);
    } else if (!existsSync(join(workdir, '.git'))) {
      throw new Error(`${workdir} exists but is not a Git work clone; move it away or seed with reset`);
    }
    return { ...result, created: false };
  }

  await removeOurs(remote, 'HEAD');
  await removeOurs(workdir, '.git');
  await mkdir(root, { recursive: true });
  await runGit(root, ['init', '-q', '--bare', '-b', DEMO_BRANCH, remote], env);
  await runGit(root, ['init', '-q', '-b', DEMO_BRANCH, workdir], env);
  await runGit(workdir, ['remote', 'add', 'origin', remote], env);

  const now = (opts.now ?? new Date()).getTime();
  const config = await readFile(join(sample, 'driftdeck.yaml'), 'utf8');
  for (const step of DEMO_HISTORY) {
    await applyStep(sample, workdir, step, config);
    await runGit(workdir, ['add', '-A'], env);
    const when = new Date(now - step.hoursAgo * 3_600_000);
    await runGit(workdir, ['commit', '-q', '-m', step.message], demoGitEnv(opts, when));
  }
  await runGit(workdir, ['push', '-q', '-u', 'origin', DEMO_BRANCH], env);
  return { ...result, created: true };
}

async function hasMain(remote: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!existsSync(remote)) return false;
  return gitSucceeds(
    remote,
    ['--git-dir', remote, 'rev-parse', '--verify', '--quiet', `refs/heads/${DEMO_BRANCH}^{commit}`],
    env,
  );
}

/**
 * Removes a folder the seed made earlier (recognised by `marker` inside it); refuses to delete anything else that
 * happens to sit at that path.
 */
async function removeOurs(dir: string, marker: string): Promise<void> {
  if (!existsSync(dir)) return;
  const entries = await readdir(dir);
  if (entries.length > 0 && !existsSync(join(dir, marker))) {
    throw new Error(`${dir} exists and is not a Git repository made by the demo; move it away first`);
  }
  await rm(dir, { recursive: true, force: true });
}

async function applyStep(sample: string, workdir: string, step: HistoryStep, config: string): Promise<void> {
  for (const path of step.copy) {
    const target = join(workdir, path);
    await mkdir(dirname(target), { recursive: true });
    await cp(join(sample, path), target, { recursive: true });
  }
  for (const [file, pairs] of Object.entries(step.earlier ?? {})) {
    const text = await readFile(join(sample, file), 'utf8');
    await writeFile(join(workdir, file), earlierForm(file, text, pairs));
  }
  await writeFile(join(workdir, 'driftdeck.yaml'), configWithApps(config, step.apps));
}
