// Rendered Secrets in the parse cache file are sealed: the texts that hold a Secret are written encrypted (AES-256-GCM)
// with a key kept apart from the cache, in the user's state folder. The cache folder is the kind of place that gets
// copied, shared between checkouts or kept by a CI system; a copy of it alone gives away no Secret value. The key
// file is 0600 in a 0700 folder, made once by the first process that needs it (made whole, then linked into place,
// so two processes starting together agree on one key). A text that does not unseal (another key, damage) is a
// cache miss: it is parsed again, never an error.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const PREFIX = 'sealed:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where the key lives unless told otherwise: `$XDG_STATE_HOME/driftdeck/parse-cache.key` (~/.local/state). */
export function defaultSealKeyFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'driftdeck', 'parse-cache.key');
}

/** The key in `file`, made (0600, folder 0700) when there is none yet. */
export async function sealKey(file: string): Promise<Buffer> {
  const existing = await readKey(file);
  if (existing) return existing;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
  try {
    // link fails when another process linked its key first: then theirs is the key.
    await link(tmp, file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { force: true });
  }
  const key = await readKey(file);
  if (!key) throw new Error(`the parse cache key ${file} is not ${KEY_BYTES} bytes`);
  return key;
}

async function readKey(file: string): Promise<Buffer | undefined> {
  const key = await readFile(file).catch(() => undefined);
  return key?.length === KEY_BYTES ? key : undefined;
}

/** True when a cached text (JSON of parsed objects) holds a Secret, at the top or inside another object. */
export function holdsSecret(json: string): boolean {
  return /"kind":"Secret"/.test(json);
}

export function seal(key: Buffer, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);

/** The text sealed in `value`, or undefined when it does not open with this key. */
export function unseal(key: Buffer, value: string): string | undefined {
  try {
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
