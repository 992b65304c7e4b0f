// YAML parsed in threads of its own (render/parse-pool.ts), real worker threads: the same manifests and the same
// failures, file and line, as a parse in place; small texts stay in place; a folder's texts come back in their
// order through the parse cache; a thread that runs out of its heap on a hostile text fails that text's render and
// leaves the process (and the next texts) alone.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ManifestCache, parseManifests } from '../../../source/render/index.js';
import { parsedJson } from '../../../source/render/parse-cache.js';
import { ParsePool, POOLED_TEXT_LENGTH } from '../../../source/render/parse-pool.js';
import { RenderFailure } from '../../../source/render/render-failure.js';

const cm = (name: string, value = 'a') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  mode: ${value}\n  flag: on\n`;
/** A text of `n` ConfigMaps, long enough for a thread. */
const many = (prefix: string, n = 60) =>
  Array.from({ length: n }, (_, i) => cm(`${prefix}-${i}`, `v${i}`)).join('---\n');

const pools: ParsePool[] = [];
const pool = (size = 2, heapMb?: number) => {
  const p = new ParsePool(size, parsedJson, heapMb);
  pools.push(p);
  return p;
};
after(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('the parse threads', () => {
  it('give what a parse in place gives, YAML 1.1 scalars and lines included', async () => {
    const p = pool();
    const text = many('web');
    assert.ok(text.length >= POOLED_TEXT_LENGTH);
    const { json, packed } = await p.parse(text, { file: 'apps/web/all.yaml' });
    assert.equal(p.parsed, 1, 'parsed by a thread');
    assert.ok(packed && packed.length < json.length / 3, 'and packed there');
    assert.equal(json, parsedJson(text, { file: 'apps/web/all.yaml' }));
    const parsed = JSON.parse(json) as Array<{ object: { data: { flag: unknown } }; line: number }>;
    assert.equal(parsed[0]?.object.data.flag, true);
    assert.equal(parsed[1]?.line, 9);
  });

  it('parse a small text in place', async () => {
    const p = pool();
    const { json } = await p.parse(cm('small'), { file: 'small.yaml' });
    assert.equal(p.parsed, 0);
    assert.equal(json, parsedJson(cm('small'), { file: 'small.yaml' }));
  });

  it('fail a broken text as a parse in place does: its file, line and message', async () => {
    const p = pool();
    const text = `${many('api')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [broken\n`;
    const inPlace = (() => {
      try {
        parseManifests(text, { file: 'apps/api/all.yaml' });
      } catch (err) {
        return err as RenderFailure;
      }
      return undefined;
    })();
    assert.ok(inPlace instanceof RenderFailure);
    await assert.rejects(p.parse(text, { file: 'apps/api/all.yaml' }), (err: unknown) => {
      assert.ok(err instanceof RenderFailure, String(err));
      assert.deepEqual(err.located, inPlace.located);
      return true;
    });
  });

  it('fail only the text a thread ran out of memory on, naming its file; the next texts parse', async () => {
    // A heap that holds the thread's code and an ordinary text with room to spare (8 MB did not, under tsx, on a
    // loaded machine: the thread ran out on the ordinary text after the hostile one), and a plain text (no aliases
    // to bound) whose parse needs several times that.
    const p = pool(1, 48);
    const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n${Array.from({ length: 300_000 }, (_, i) => `  k${i}: value-${i}`).join('\n')}\n`;
    await assert.rejects(p.parse(huge, { file: 'apps/evil/huge.yaml' }), (err: unknown) => {
      assert.ok(err instanceof RenderFailure, String(err));
      assert.equal(err.located.file, 'apps/evil/huge.yaml');
      assert.match(err.located.message, /could not be parsed/);
      return true;
    });
    const { json } = await p.parse(many('after'), { file: 'apps/after/all.yaml' });
    assert.equal(JSON.parse(json).length, 60);
  });
});

describe('a folder through the parse cache and its threads', () => {
  it("keeps the texts' order, answers again from the cache, and fails on the first broken text in order", async () => {
    const cache = new ManifestCache(undefined, undefined, undefined, pool());
    const texts = ['a', 'b', 'c'].map((n) => ({ text: many(n, 40), context: { file: `apps/x/${n}.yaml` } }));
    const record: [string, string][] = [];
    const first = await cache.parseAll(texts, record);
    assert.deepEqual(
      [
        first.length,
        first[0]?.object.metadata.name,
        first[40]?.object.metadata.name,
        first[119]?.source.file,
      ],
      [120, 'a-0', 'b-0', 'apps/x/c.yaml'],
    );
    assert.deepEqual(
      record.map(([file]) => file),
      ['apps/x/a.yaml', 'apps/x/b.yaml', 'apps/x/c.yaml'],
    );
    assert.deepEqual(await cache.parseAll(texts), first);
    assert.deepEqual([cache.misses, cache.hits], [3, 3]);

    const broken = (n: string) => ({
      text: `${many(n, 40)}---\nkind: [\n`,
      context: { file: `apps/x/${n}-broken.yaml` },
    });
    await assert.rejects(cache.parseAll([texts[0]!, broken('first'), broken('second')]), (err: unknown) => {
      assert.ok(err instanceof RenderFailure);
      assert.equal(err.located.file, 'apps/x/first-broken.yaml');
      return true;
    });
  });
});
