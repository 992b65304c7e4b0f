// Acting like an engineer on the demo's work clone, for end-to-end tests and the screenshot script: each helper
// brings the clone up to date with the remote, makes one commit, pushes it and returns its sha.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile as writeText } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { type DemoGitOptions, demoGitEnv, runGit } from './git.js';
import { DEMO_BRANCH } from './seed.js';

export interface Change {
  /** Path relative to the repository root, e.g. `apps/backend/deployment.yaml`. */
  file: string;
  /** Text to find (exactly once) and what to put in its place. */
  replace: [string, string];
  message: string;
}

/** Edits one file by replacing a piece of text, commits and pushes. */
export async function pushChange(
  workdir: string,
  change: Change,
  options: DemoGitOptions = {},
): Promise<string> {
  const [from, to] = change.replace;
  return commitAndPush(workdir, change.file, change.message, options, async (path) => {
    const text = await readFile(path, 'utf8');
    const count = from === '' ? 0 : text.split(from).length - 1;
    if (count !== 1) {
      throw new Error(`expected ${JSON.stringify(from)} once in ${change.file}, found it ${count} times`);
    }
    await writeText(
      path,
      text.replace(from, () => to),
    );
  });
}

/** Deletes one file (it must exist), commits and pushes. */
export async function deleteFile(
  workdir: string,
  file: string,
  message: string,
  options: DemoGitOptions = {},
): Promise<string> {
  return commitAndPush(workdir, file, message, options, async (path) => {
    if (!existsSync(path)) throw new Error(`cannot delete ${file}: it is not in ${workdir}`);
    await rm(path);
  });
}

/** Creates or overwrites one file (folders made as needed), commits and pushes. */
export async function writeFile(
  workdir: string,
  file: string,
  content: string,
  message: string,
  options: DemoGitOptions = {},
): Promise<string> {
  return commitAndPush(workdir, file, message, options, async (path) => {
    await mkdir(dirname(path), { recursive: true });
    await writeText(path, content);
  });
}

/** Only `file` is committed: anything else changed in the clone stays out of the commit. */
async function commitAndPush(
  workdir: string,
  file: string,
  message: string,
  options: DemoGitOptions,
  edit: (path: string) => Promise<void>,
): Promise<string> {
  const path = inRepo(workdir, file);
  if (!existsSync(join(workdir, '.git'))) throw new Error(`${workdir} is not a Git work clone`);
  const env = demoGitEnv(options);
  // Commits pushed meanwhile (a revert from the console, another terminal) come first.
  await runGit(workdir, ['pull', '-q', '--rebase', 'origin', DEMO_BRANCH], env);
  await edit(path);
  const rel = relative(workdir, path);
  await runGit(workdir, ['add', '-A', '--', rel], env);
  await runGit(workdir, ['commit', '-q', '-m', message, '--', rel], env);
  await runGit(workdir, ['push', '-q', 'origin', `HEAD:refs/heads/${DEMO_BRANCH}`], env);
  return (await runGit(workdir, ['rev-parse', 'HEAD'], env)).trim();
}

/** The absolute path of a repository file; paths that leave the repository or name .git are refused. */
function inRepo(workdir: string, file: string): string {
  const rel = normalize(file);
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`) || rel.split(sep)[0] === '.git') {
    throw new Error(`${file} is not a path inside the repository`);
  }
  return join(workdir, rel);
}
