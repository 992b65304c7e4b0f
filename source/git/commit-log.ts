import type { Commit } from '../engine/types.js';

const FIELD = '%x1f';
const RECORD = '%x1e';

/** `git log --format` that `parseCommitLog` reads: one record per commit, fields in the order of `Commit`. */
export const COMMIT_FORMAT = ['%H', '%h', '%an', '%ae', '%aI', '%s'].join(FIELD) + RECORD;

export function parseCommitLog(output: string): Commit[] {
  const commits: Commit[] = [];
  for (const record of output.split('\x1e')) {
    const text = record.replace(/^\s+/, '');
    if (text === '') continue;
    const [sha, shortSha, author, email, date, subject] = text.split('\x1f');
    if (sha === undefined || shortSha === undefined || date === undefined) {
      throw new Error(`unexpected git log output: ${JSON.stringify(text.slice(0, 80))}`);
    }
    commits.push({
      sha,
      shortSha,
      author: author ?? '',
      email: email ?? '',
      date,
      subject: (subject ?? '').replace(/\s+$/, ''),
    });
  }
  return commits;
}

/** An app path as a pathspec: forward slashes, no `./` or trailing slash; the repository root gives none. */
export function appPathspec(appPath: string): string[] {
  const cleaned = appPath
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  return cleaned === '' || cleaned === '.' ? [] : [cleaned];
}
