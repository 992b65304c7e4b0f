// Real Git for tests: a bare remote and a work clone in a temp folder, and commits pushed to it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { demoGitEnv, runGit } from '../../source/demo/git.js';

export const TEST_IDENTITY = { name: 'Test Engineer', email: 'engineer@example.test' };
export const gitEnv = () => demoGitEnv({ identity: TEST_IDENTITY });

export interface TestRepo {
  root: string;
  remote: string;
  workdir: string;
  /** Writes (string) or deletes (null) files, commits and pushes; returns the new commit sha. */
  commit(files: Record<string, string | null>, message: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeRepo(files: Record<string, string>, message = 'Initial commit'): Promise<TestRepo> {
  const root = await mkdtemp(join(tmpdir(), 'driftdeck-repo-'));
  const remote = join(root, 'remote.git');
  const workdir = join(root, 'work');
  const env = gitEnv();
  await runGit(root, ['init', '-q', '--bare', '-b', 'main', remote], env);
  await runGit(root, ['clone', '-q', remote, workdir], env);
  await runGit(workdir, ['checkout', '-q', '-b', 'main'], env);
  const commit = async (changes: Record<string, string | null>, msg: string) => {
    await runGit(workdir, ['pull', '-q', '--rebase', 'origin', 'main'], env).catch(() => undefined);
    for (const [file, content] of Object.entries(changes)) {
      const path = join(workdir, file);
      if (content === null) await rm(path, { force: true });
      else {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, content);
      }
    }
    await runGit(workdir, ['add', '-A'], env);
    await runGit(workdir, ['commit', '-q', '-m', msg], env);
    await runGit(workdir, ['push', '-q', 'origin', 'main'], env);
    return (await runGit(workdir, ['rev-parse', 'HEAD'], env)).trim();
  };
  await commit(files, message);
  return { root, remote, workdir, commit, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export function deployment(name: string, image: string, replicas = 3): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;
}

export function configMap(name: string, data: Record<string, string>): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}
`;
}

export function appsFile(
  apps: Array<{
    name: string;
    path: string;
    namespace: string;
    auto?: boolean;
    prune?: boolean;
    selfHeal?: boolean;
    /** The app's destination cluster (`cluster:`); absent: the default cluster. */
    cluster?: string;
  }>,
): string {
  return `apps:\n${apps
    .map(
      (a) =>
        `  - name: ${a.name}\n    path: ${a.path}\n    namespace: ${a.namespace}\n${a.cluster ? `    cluster: ${a.cluster}\n` : ''}    sync: { auto: ${a.auto ?? false}, prune: ${a.prune ?? false}, selfHeal: ${a.selfHeal ?? false} }\n`,
    )
    .join('')}`;
}
