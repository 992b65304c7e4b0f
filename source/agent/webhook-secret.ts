// Where the webhook's shared secret comes from: `--webhook-secret-file` (a mounted Secret; read again on each
// request, so a Secret created or rotated later is used without a restart), else DRIFTDECK_WEBHOOK_SECRET. No
// secret, or an empty one, turns the endpoint off: an unsigned webhook is never accepted.
import { readFile } from 'node:fs/promises';

/** The longest secret read from the file; a larger file is not a secret but a mistake. */
const MAX_SECRET_BYTES = 4096;

export function webhookSecret(
  file: string | undefined,
  env: string | undefined,
): () => Promise<string | undefined> {
  if (file === undefined) {
    const value = env?.trim();
    return async () => value || undefined;
  }
  return async () => {
    const text = await readFile(file).catch(() => undefined);
    if (!text || text.length > MAX_SECRET_BYTES) return undefined;
    // `kubectl create secret --from-file` keeps a trailing newline the forge's form would not have.
    return text.toString('utf8').trim() || undefined;
  };
}
