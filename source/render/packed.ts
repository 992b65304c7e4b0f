// A parse cache entry as kept in memory: deflated at the fastest level. The JSON of parsed manifests shrinks about
// ten times, and the agent keeps every text it parsed (a fleet's were 8.6 MB of its heap at rest); a hit inflates
// ~8 KB in ~20 us. Made where the text is parsed (a parse thread, ./parse-worker.ts, or the caller's).
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Copied out of zlib's output chunk, which is 16 KB whatever the size of the result. */
export function pack(json: string): Buffer {
  return Buffer.from(deflateRawSync(json, { level: 1 }));
}

export function unpack(packed: Uint8Array): string {
  return inflateRawSync(packed).toString('utf8');
}
