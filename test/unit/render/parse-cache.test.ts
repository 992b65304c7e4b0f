import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { flushParseCaches, ManifestCache, parseManifests, renderApp } from '../../../source/render/index.js';
import { RenderFailure } from '../../../source/render/render-failure.js';
import { parseCacheFileEntries } from '../../support/parse-cache-file.js';
import { makeApp } from './make-app.js';

const cm = (name: string, value = 'a') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  mode: ${value}\n`;

let base = '';
before(async () => {
  base = await mkdtemp(join(tmpdir(), 'driftdeck-parse-cache-'));
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('ManifestCache', () => {
  it('parses a text once and answers again from the cache, with the caller file and the document lines', () => {
    const cache = new ManifestCache();
    const text = `${cm('one')}---\n${cm('two')}`;
    const first = cache.parse(text, { file: 'apps/a/both.yaml' });
    const again = cache.parse(text, { file: 'apps/b/copy.yaml' });
    assert.deepEqual([cache.misses, cache.hits], [1, 1]);
    assert.deepEqual(
      again.map((m) => [m.object.metadata.name, m.source.file, m.source.line]),
      [
        ['one', 'apps/b/copy.yaml', 1],
        ['two', 'apps/b/copy.yaml', 8],
      ],
    );
    assert.deepEqual(
      first.map((m) => m.object),
      again.map((m) => m.object),
    );
  });

  it('gives what parseManifests gives, YAML 1.1 scalars included', () => {
    const text = `${cm('flags')}  on: on\n  octal: 0644\n  list: [1, "2", yes]\n`;
    const cached = new ManifestCache().parse(text, { file: 'f.yaml' });
    assert.deepEqual(cached, parseManifests(text, { file: 'f.yaml' }));
  });

  it('hands out fresh objects: changing one does not change the next answer', () => {
    const cache = new ManifestCache();
    const [a] = cache.parse(cm('one'), { file: 'f.yaml' });
    a!.object.metadata.name = 'changed';
    const [b] = cache.parse(cm('one'), { file: 'f.yaml' });
    assert.equal(b!.object.metadata.name, 'one');
  });

  it('never caches a text that does not parse: the located error comes every time', () => {
    const cache = new ManifestCache();
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n';
    for (let i = 0; i < 2; i++) {
      assert.throws(
        () => cache.parse(broken, { file: 'apps/a/bad.yaml' }),
        (err: unknown) => err instanceof RenderFailure && err.located.file === 'apps/a/bad.yaml',
      );
    }
    assert.equal(cache.hits, 0);
  });

  it('keeps the most recently used texts within its bound', () => {
    const cache = new ManifestCache(undefined, 2);
    cache.parse(cm('a'), { file: 'a.yaml' });
    cache.parse(cm('b'), { file: 'b.yaml' });
    cache.parse(cm('a'), { file: 'a.yaml' }); // a is now newer than b
    cache.parse(cm('c'), { file: 'c.yaml' }); // b goes
    assert.equal(cache.hits, 1);
    cache.parse(cm('a'), { file: 'a.yaml' });
    cache.parse(cm('b'), { file: 'b.yaml' });
    assert.deepEqual([cache.hits, cache.misses], [2, 4]);
  });

  it('persists to its file, shared by the next process; a foreign or damaged file is an empty cache', async () => {
    const file = join(base, 'persist', 'parsed.json');
    const first = new ManifestCache(file);
    await first.load();
    first.parse(cm('one'), { file: 'f.yaml' });
    await first.save();
    const second = new ManifestCache(file);
    await second.load();
    assert.equal(second.parse(cm('one'), { file: 'f.yaml' })[0]!.object.metadata.name, 'one');
    assert.deepEqual([second.hits, second.misses], [1, 0]);

    // An entry that does not inflate is a miss, parsed again, not a failed render.
    const saved = JSON.parse(await readFile(file, 'utf8')) as { entries: [string, string][] };
    for (const entry of saved.entries) entry[1] = 'deflate:bm90IGRlZmxhdGVk';
    await writeFile(file, JSON.stringify(saved));
    const broken = new ManifestCache(file);
    await broken.load();
    assert.equal(broken.parse(cm('one'), { file: 'f.yaml' })[0]!.object.metadata.name, 'one');
    assert.deepEqual([broken.hits, broken.misses], [0, 1]);

    await writeFile(file, JSON.stringify({ format: 'something-else', entries: [['k', '[]']] }));
    const foreign = new ManifestCache(file);
    await foreign.load();
    foreign.parse(cm('one'), { file: 'f.yaml' });
    assert.deepEqual([foreign.hits, foreign.misses], [0, 1]);

    await writeFile(file, '{ not json');
    const damaged = new ManifestCache(file);
    await damaged.load();
    assert.equal(damaged.parse(cm('one'), { file: 'f.yaml' }).length, 1);
    await damaged.save();
    assert.match(await readFile(file, 'utf8'), /^\{"format":"driftdeck-manifests/);
  });

  // The file holds rendered Secrets (sealed): it is the user's alone, however it was left before.
  const secret =
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: parse-cache-secret\n';
  const modes: Array<{ name: string; before?: (file: string) => Promise<void> }> = [
    { name: 'a new file in a new folder' },
    {
      name: 'a file and folder left readable by everyone',
      before: async (file) => {
        await mkdir(dirname(file), { recursive: true, mode: 0o755 });
        await chmod(dirname(file), 0o755);
        await writeFile(file, '{}', { mode: 0o644 });
        await chmod(file, 0o644);
      },
    },
    {
      name: 'a readable temporary file left by a process of the same id',
      before: async (file) => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(`${file}.${process.pid}.tmp`, 'old', { mode: 0o644 });
        await chmod(`${file}.${process.pid}.tmp`, 0o644);
      },
    },
  ];
  for (const [i, c] of modes.entries()) {
    it(`keeps the file 0600 and its folder 0700 after a save, from ${c.name}`, async () => {
      const file = join(base, `modes-${i}`, 'parsed.json');
      await c.before?.(file);
      const cache = new ManifestCache(file, undefined, join(base, 'key'));
      await cache.load();
      cache.parse(secret, { file: 'secret.yaml' });
      await cache.save();
      assert.match(await readFile(file, 'utf8'), /"sealed:v1:/);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.equal((await stat(dirname(file))).mode & 0o777, 0o700);
    });
  }

  it('writes a text holding a Secret sealed with a key kept apart, and opens it again with that key only', async () => {
    const file = join(base, 'sealed', 'parsed.json');
    const keyFile = join(base, 'state', 'driftdeck', 'parse-cache.key');
    const nested = `apiVersion: example.com/v1\nkind: Bundle\nmetadata:\n  name: b\nspec:\n  inner:\n    kind: Secret\n    data:\n      token: ${Buffer.from('nested-secret-value').toString('base64')}\n`;
    const writer = new ManifestCache(file, undefined, keyFile);
    writer.parse(secret, { file: 'secret.yaml' });
    writer.parse(nested, { file: 'bundle.yaml' });
    writer.parse(cm('plain', 'visible-value'), { file: 'cm.yaml' });
    await writer.save();
    const text = await readFile(file, 'utf8');
    // Entries are written deflated: what anyone who inflates them reads, and what stays sealed.
    const { deflated, sealed } = parseCacheFileEntries(text);
    const inflated = deflated.map(([, json]) => json);
    assert.equal(inflated.length, 1, 'only the text without a Secret is written deflated');
    assert.equal(sealed.length, 2);
    for (const plain of [text, ...inflated])
      assert.doesNotMatch(plain, /parse-cache-secret|nested-secret-value|bmVzdGVkLXNlY3JldC12YWx1ZQ/);
    assert.match(inflated[0]!, /visible-value/, 'texts without a Secret are deflated, not sealed');
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(keyFile))).mode & 0o777, 0o700);

    const reader = new ManifestCache(file, undefined, keyFile);
    await reader.load();
    const [opened] = reader.parse(secret, { file: 'secret.yaml' });
    assert.equal(
      (opened!.object as { stringData?: Record<string, string> }).stringData?.password,
      'parse-cache-secret',
    );
    assert.deepEqual([reader.hits, reader.misses], [1, 0]);

    const otherKey = new ManifestCache(file, undefined, join(base, 'other-state', 'parse-cache.key'));
    await otherKey.load();
    otherKey.parse(secret, { file: 'secret.yaml' });
    otherKey.parse(cm('plain', 'visible-value'), { file: 'cm.yaml' });
    assert.deepEqual(
      [otherKey.hits, otherKey.misses],
      [1, 1],
      'a sealed text that does not open is parsed again',
    );
  });

  it('tightens a loose file when it is only read', async () => {
    const file = join(base, 'modes-read', 'parsed.json');
    const writer = new ManifestCache(file, undefined, join(base, 'key'));
    writer.parse(secret, { file: 'secret.yaml' });
    await writer.save();
    await chmod(file, 0o644);
    await chmod(dirname(file), 0o755);
    await new ManifestCache(file).load();
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(file))).mode & 0o777, 0o700);
  });

  it('serves renderApp: a second render of a folder with one file changed parses only that file', async () => {
    const repo = join(base, 'repo');
    await mkdir(join(repo, 'apps', 'shop'), { recursive: true });
    for (const n of ['a', 'b', 'c']) await writeFile(join(repo, 'apps', 'shop', `${n}.yaml`), cm(n));
    const cache = new ManifestCache(join(base, 'render-cache.json'));
    const app = makeApp('apps/shop', { type: 'auto' }, 'shop');
    const first = await renderApp(repo, app, {}, { cache });
    assert.ok(first.ok);
    await writeFile(join(repo, 'apps', 'shop', 'b.yaml'), cm('b', 'changed'));
    const second = await renderApp(repo, app, {}, { cache });
    assert.ok(second.ok);
    assert.deepEqual([cache.misses, cache.hits], [4, 2]);
    const b = second.manifests.find((m) => m.object.metadata.name === 'b');
    assert.deepEqual(b?.object.data, { mode: 'changed' });
    assert.equal(b?.source.file, 'apps/shop/b.yaml');
  });

  it("saves once a moment after the loop's renders (saveSoon), not before each returns", async () => {
    const repo = join(base, 'soon');
    const file = join(base, 'soon-cache', 'parsed.json');
    const cache = new ManifestCache(file);
    const apps = ['a', 'b', 'c'];
    for (const n of apps) {
      await mkdir(join(repo, n), { recursive: true });
      await writeFile(join(repo, n, `${n}.yaml`), cm(n));
    }
    for (const n of apps) {
      const rendered = await renderApp(repo, makeApp(n, { type: 'auto' }, n), {}, { cache, saveSoon: true });
      assert.ok(rendered.ok);
    }
    await assert.rejects(stat(file), 'nothing written while the renders return');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const next = new ManifestCache(file);
    await next.load();
    for (const n of apps) next.parse(cm(n), { file: `${n}.yaml` });
    assert.deepEqual([next.hits, next.misses], [3, 0], "every render's texts were saved");
  });

  it('saves at once what saveSoon put off when the process is about to exit (flushParseCaches)', async () => {
    const repo = join(base, 'flush');
    const file = join(base, 'flush-cache', 'parsed.json');
    await mkdir(join(repo, 'app'), { recursive: true });
    await writeFile(join(repo, 'app', 'a.yaml'), cm('flushed'));
    const cache = new ManifestCache(file);
    const rendered = await renderApp(
      repo,
      makeApp('app', { type: 'auto' }, 'app'),
      {},
      { cache, saveSoon: true },
    );
    assert.ok(rendered.ok);
    await flushParseCaches();
    const next = new ManifestCache(file);
    await next.load();
    next.parse(cm('flushed'), { file: 'a.yaml' });
    assert.deepEqual([next.hits, next.misses], [1, 0]);
  });

  it('answers a render of a commit it rendered before without reading the folder; another commit reads it', async () => {
    const repo = join(base, 'by-revision');
    await mkdir(join(repo, 'apps', 'shop'), { recursive: true });
    await writeFile(join(repo, 'apps', 'shop', 'a.yaml'), cm('a'));
    const cache = new ManifestCache(join(base, 'by-revision.json'));
    const app = makeApp('apps/shop', { type: 'auto' }, 'shop');
    const first = await renderApp(repo, app, {}, { cache, revision: 'c0ffee' });
    assert.ok(first.ok);
    // A commit's tree never changes: what the folder holds now is not read for the same commit.
    await writeFile(join(repo, 'apps', 'shop', 'a.yaml'), cm('a', 'changed'));
    const again = await renderApp(repo, app, {}, { cache, revision: 'c0ffee' });
    assert.ok(again.ok);
    assert.equal(cache.renderHits, 1);
    assert.deepEqual(again.manifests, first.manifests);
    // Shared with the next process through the file.
    const next = new ManifestCache(cache.file);
    const fromFile = await renderApp(repo, app, {}, { cache: next, revision: 'c0ffee' });
    assert.equal(next.renderHits, 1);
    assert.ok(fromFile.ok);
    assert.deepEqual(fromFile.manifests, first.manifests);
    // Another commit, or the same commit rendered with other settings, is rendered from the folder.
    const other = await renderApp(repo, app, {}, { cache, revision: 'beef00' });
    assert.ok(other.ok);
    assert.deepEqual(other.manifests[0]?.object.data, { mode: 'changed' });
    const renamed = await renderApp(
      repo,
      { ...app, namespace: 'elsewhere' },
      {},
      { cache, revision: 'c0ffee' },
    );
    assert.ok(renamed.ok);
    assert.deepEqual(renamed.manifests[0]?.object.data, { mode: 'changed' });
    assert.equal(cache.renderHits, 1);
  });

  it('does not remember a render that failed', async () => {
    const repo = join(base, 'failing');
    await mkdir(join(repo, 'apps', 'shop'), { recursive: true });
    await writeFile(join(repo, 'apps', 'shop', 'bad.yaml'), 'kind: [\n');
    const cache = new ManifestCache();
    const app = makeApp('apps/shop', { type: 'auto' }, 'shop');
    assert.equal((await renderApp(repo, app, {}, { cache, revision: 'c0ffee' })).ok, false);
    await writeFile(join(repo, 'apps', 'shop', 'bad.yaml'), cm('fixed'));
    const fixed = await renderApp(repo, app, {}, { cache, revision: 'c0ffee' });
    assert.ok(fixed.ok);
    assert.equal(cache.renderHits, 0);
  });
});
