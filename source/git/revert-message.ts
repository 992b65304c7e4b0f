import os from 'node:os';

export const REVERT_TRAILER = 'Reverted-with';

/** The message of the commit driftdeck pushes, in git's own revert wording plus a trailer naming who did it. */
export function buildRevertMessage(subject: string, sha: string, operator: string): string {
  return `Revert "${subject}"\n\nThis reverts commit ${sha}.\n\n${REVERT_TRAILER}: driftdeck by ${operator}`;
}

/** user@host of the person running driftdeck, as the sync history records it. */
export function defaultOperator(env: NodeJS.ProcessEnv = process.env): string {
  let user = env.USER ?? env.USERNAME ?? '';
  if (user === '') {
    try {
      user = os.userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return `${user}@${os.hostname()}`;
}
