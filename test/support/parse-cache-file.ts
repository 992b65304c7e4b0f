// Reads a parse cache file (render/parse-cache.ts) as anyone with the file could: its deflated entries inflated,
// its sealed ones left as they are. Decoded here, not through the cache, so the tests check what is on disk.
import { inflateRawSync } from 'node:zlib';

export function parseCacheFileEntries(text: string): {
  deflated: Array<[key: string, json: string]>;
  sealed: string[];
} {
  const { entries } = JSON.parse(text) as { entries: [string, string][] };
  return {
    deflated: entries
      .filter(([, value]) => value.startsWith('deflate:'))
      .map(([key, value]) => [
        key,
        inflateRawSync(Buffer.from(value.slice('deflate:'.length), 'base64')).toString('utf8'),
      ]),
    sealed: entries.filter(([, value]) => value.startsWith('sealed:v1:')).map(([key]) => key),
  };
}
