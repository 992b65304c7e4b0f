/**
 * Why a push failed, read from git's stderr. `remote-moved` is the only kind worth a fetch, rebase and retry:
 * someone pushed first. Everything else (hooks, permissions, protected branches, network) is reported as is.
 */
export type PushFailure = 'remote-moved' | 'other';

const REMOTE_MOVED = [
  /!\s*\[rejected\][^\n]*\((fetch first|non-fast-forward)\)/,
  /Updates were rejected because (the remote contains work|the tip of your current branch is behind)/,
  // A push that raced another one between the ref advertisement and the update.
  /cannot lock ref '[^']*': is at [0-9a-f]+ but expected [0-9a-f]+/,
  /incorrect old value provided/,
];

export function classifyPushFailure(stderr: string): PushFailure {
  if (/\[remote rejected\]/.test(stderr) && !/cannot lock ref|incorrect old value/.test(stderr))
    return 'other';
  return REMOTE_MOVED.some((pattern) => pattern.test(stderr)) ? 'remote-moved' : 'other';
}
