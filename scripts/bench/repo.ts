// The benchmark's Git side, with the real git: a bare remote in a temporary folder and a work clone that pushes to
// it, using the demo's scripted identity (no user config, hooks or signing involved).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { demoGitEnv, runGit } from '../../source/demo/git.js';
import { DEMO_BRANCH } from '../../source/demo/index.js';

export interface BenchRepo {
  /** The bare repository: the `--repo` driftdeck reads. */
  remote: string;
  /** A work clone pushing to it (what `pushChange` edits). */
  workdir: string;
  branch: string;
}

async function writeAll(workdir: string, files: Map<string, string>): Promise<void> {
  for (const [file, text] of files) {
    const path = join(workdir, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
}

export async function createRepo(root: string, files: Map<string, string>): Promise<BenchRepo> {
  const env = demoGitEnv();
  const remote = join(root, 'bench.git');
  const workdir = join(root, 'bench-work');
  await runGit(root, ['init', '-q', '--bare', '-b', DEMO_BRANCH, remote], env);
  await runGit(root, ['init', '-q', '-b', DEMO_BRANCH, workdir], env);
  await runGit(workdir, ['remote', 'add', 'origin', remote], env);
  await writeAll(workdir, files);
  await runGit(workdir, ['add', '-A'], env);
  await runGit(workdir, ['commit', '-q', '-m', `bench: ${files.size - 1} manifests`], env);
  await runGit(workdir, ['push', '-q', '-u', 'origin', DEMO_BRANCH], env);
  return { remote, workdir, branch: DEMO_BRANCH };
}

/** Writes these files into the work clone as one commit and pushes it; returns the new head. */
export async function pushFiles(
  repo: BenchRepo,
  files: Map<string, string>,
  message: string,
): Promise<string> {
  const env = demoGitEnv();
  await writeAll(repo.workdir, files);
  await runGit(repo.workdir, ['add', '-A', '--', ...files.keys()], env);
  await runGit(repo.workdir, ['commit', '-q', '-m', message], env);
  await runGit(repo.workdir, ['push', '-q', 'origin', `HEAD:refs/heads/${repo.branch}`], env);
  return (await runGit(repo.workdir, ['rev-parse', 'HEAD'], env)).trim();
}
