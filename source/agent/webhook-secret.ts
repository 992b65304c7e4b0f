// Where the webhook's shared secret comes from: `--webhook-secret-file` (a mounted Secret; read again when a
// request comes more than a few seconds after the last read, so a Secret created or rotated later is used without a
// restart, and a flood of requests is not a flood of reads), else DRIFTDECK_WEBHOOK_SECRET. No secret, or an empty
// one, turns the endpoint off: an unsigned webhook is never accepted.
import { readFile } from 'node:fs/promises';

/** The longest secret read from the file; a larger file is not a secret but a mistake. */
const MAX_SECRET_BYTES = 4096;
const REREAD_MS = 5_000;

export function webhookSecret(
  file: string | undefined,
  env: string | undefined,
  now: () => number = Date.now,
): () => Promise<string | undefined> {
  if (file === undefined) {
    const value = env?.trim();
    return async () => value || undefined;
  }
  let last: { at: number; value: Promise<string | undefined> } | undefined;
  const read = async () => {
    const text = await readFile(file).catch(() => undefined);
    if (!text || text.length > MAX_SECRET_BYTES) return undefined;
    // A file written by hand or with `--from-file` often ends in a newline the forge's form would not have.
    return text.toString('utf8').trim() || undefined;
  };
  return () => {
    if (!last || now() - last.at >= REREAD_MS) last = { at: now(), value: read() };
    return last.value;
  };
}
