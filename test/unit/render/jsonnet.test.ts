// The Jsonnet part of a plain folder without the real tool: output shapes (Argo CD's rule: an object or an array of
// objects), go-jsonnet's errors located, library folders confined, and the folder's files in order around a stand-in
// driftdeck-jsonnet. The real tool and its importer are proven in test/integration/jsonnet-render.test.ts.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import type { AppSpec, RenderResult } from '../../../source/engine/types.js';
import { ManifestCache, renderApp } from '../../../source/render/index.js';
import {
  JSONNET_PROTOCOL,
  jsonnetFailure,
  jsonnetOutputText,
  jsonnetRequest,
} from '../../../source/render/jsonnet.js';
import { parseManifests } from '../../../source/render/manifests.js';
import { makeApp } from './make-app.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const names = (text: string) =>
  parseManifests(text, { file: 'a/main.jsonnet', origin: 'jsonnet output' }).map(
    (m) => `${m.object.kind}/${m.object.metadata.name}`,
  );
const refusal = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('expected a refusal');
};

describe('jsonnetOutputText: what a Jsonnet file may yield', () => {
  it('takes one object, an array of objects, an empty array, and a List (flattened as any manifest)', () => {
    assert.deepEqual(names(jsonnetOutputText('a/main.jsonnet', JSON.stringify(cm('one')))), [
      'ConfigMap/one',
    ]);
    assert.deepEqual(names(jsonnetOutputText('a/main.jsonnet', JSON.stringify([cm('a'), cm('b')]))), [
      'ConfigMap/a',
      'ConfigMap/b',
    ]);
    assert.deepEqual(names(jsonnetOutputText('a/main.jsonnet', '[]')), []);
    const list = { apiVersion: 'v1', kind: 'List', items: [cm('x'), cm('y')] };
    assert.deepEqual(names(jsonnetOutputText('a/main.jsonnet', JSON.stringify(list))), [
      'ConfigMap/x',
      'ConfigMap/y',
    ]);
  });

  it('keeps values exact through the text (strings YAML 1.1 would read otherwise, numbers, nesting)', () => {
    const object = {
      ...cm('exact'),
      data: { on: 'on', octal: '0644', n: '1e3', multi: 'a\nb' },
      x: { n: 7 },
    };
    const [m] = parseManifests(jsonnetOutputText('f.jsonnet', JSON.stringify(object)), { file: 'f.jsonnet' });
    assert.deepEqual(m?.object, object);
  });

  const refused: Array<[string, string]> = [
    [
      '"a string"',
      'a/main.jsonnet yields a string; a Jsonnet file must yield an object or an array of objects',
    ],
    ['42', 'a/main.jsonnet yields a number; a Jsonnet file must yield an object or an array of objects'],
    ['null', 'a/main.jsonnet yields null; a Jsonnet file must yield an object or an array of objects'],
    [
      `[${JSON.stringify(cm('a'))}, [1]]`,
      'a/main.jsonnet yields an array whose item [1] is an array; a Jsonnet file must yield an object or an array of objects',
    ],
    [
      `[${JSON.stringify(cm('a'))}, "b"]`,
      'a/main.jsonnet yields an array whose item [1] is a string; a Jsonnet file must yield an object or an array of objects',
    ],
  ];
  for (const [json, message] of refused) {
    it(`refuses ${json.length > 20 ? 'an array with a non-object item' : json}`, () => {
      assert.equal(
        refusal(() => jsonnetOutputText('a/main.jsonnet', json)),
        message,
      );
    });
  }
});

describe("jsonnetFailure: go-jsonnet's error, located", () => {
  const root = '/home/op/.cache/driftdeck/git/abc/checkout';
  it('points a syntax error at its file, line and column', () => {
    const f = jsonnetFailure(
      'a/main.jsonnet',
      'a/main.jsonnet:3:6-7 Unexpected: "," while parsing terminal\n',
      root,
    );
    assert.deepEqual(
      { file: f.located.file, line: f.located.line, column: f.located.column },
      { file: 'a/main.jsonnet', line: 3, column: 6 },
    );
    assert.match(
      f.message,
      /^jsonnet: evaluating a\/main\.jsonnet failed: a\/main\.jsonnet:3:6-7 Unexpected/,
    );
  });

  it('points a runtime error at its innermost frame, in a library too, and keeps the trace', () => {
    const text =
      'RUNTIME ERROR: field does not exist: nme\n\tvendor/k/lib.libsonnet:4:12-20\tobject <anonymous>\n\ta/main.jsonnet:2:1-10\t$\n';
    const f = jsonnetFailure('a/main.jsonnet', text, root);
    assert.deepEqual([f.located.file, f.located.line, f.located.column], ['vendor/k/lib.libsonnet', 4, 12]);
    assert.match(f.message, /field does not exist: nme\n\tvendor\/k\/lib\.libsonnet:4:12-20/);
  });

  it('names the evaluated file when there is no location, and never the checkout folder', () => {
    const f = jsonnetFailure('a/main.jsonnet', `RUNTIME ERROR: cannot read ${root}/a/x and ${root}\n`, root);
    assert.equal(f.located.file, 'a/main.jsonnet');
    assert.equal(f.located.line, undefined);
    assert.ok(!f.message.includes('/home/op'), f.message);
    assert.match(f.message, /cannot read a\/x and \./);
  });

  it('cuts a huge error', () => {
    const f = jsonnetFailure('a/main.jsonnet', `RUNTIME ERROR: ${'x'.repeat(50_000)}`, root);
    assert.ok(f.message.length < 4200, String(f.message.length));
  });
});

describe('the Jsonnet files of a folder', () => {
  let repo: string;
  let bins: string;
  const write = async (file: string, text = '') => {
    await mkdir(dirname(join(repo, file)), { recursive: true });
    await writeFile(join(repo, file), text);
  };
  const jsonnetApp = (libs: string[]): AppSpec =>
    makeApp('app', {
      type: 'auto',
      jsonnet: { tlas: [{ name: 'env', value: 'prod', code: false }], extVars: [], libs },
    });
  const failure = (result: RenderResult): string =>
    result.ok ? `ok: ${result.manifests.length} objects` : formatLocatedError(result.error);
  const summary = (result: RenderResult): string | string[] =>
    result.ok
      ? result.manifests.map(
          (m) => `${m.source.file}:${m.source.line} ${m.object.kind}/${m.object.metadata.name}`,
        )
      : formatLocatedError(result.error);

  before(async () => {
    repo = await mkdtemp(join(tmpdir(), 'driftdeck-jsonnet-unit-'));
    bins = await mkdtemp(join(tmpdir(), 'driftdeck-jsonnet-bins-'));
    await write('app/a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-yaml}\n');
    await write('app/b.jsonnet', '[]');
    await write('app/c/d.jsonnet', '{}');
    await write('app/lib.libsonnet', '{}');
    await write('vendor/k.libsonnet', '{}');
    await write('afile', '');
    await symlink('/usr', join(repo, 'out'));
  });
  after(async () => {
    await rm(repo, { recursive: true, force: true });
    await rm(bins, { recursive: true, force: true });
  });

  it('asks the tool for the .jsonnet files (not .libsonnet), the app folder first among the library folders', async () => {
    const root = repo;
    const request = await jsonnetRequest(
      root,
      jsonnetApp(['vendor']),
      { abs: join(root, 'app'), rel: 'app' },
      ['app/b.jsonnet'],
    );
    assert.deepEqual(request, {
      files: ['app/b.jsonnet'],
      libs: ['app', 'vendor'],
      tlas: [{ name: 'env', value: 'prod', code: false }],
      extVars: [],
    });
  });

  it('refuses a library folder that leads out of the repository, is a file, or is missing', async () => {
    const dir = { abs: join(repo, 'app'), rel: 'app' };
    const refused = async (lib: string) =>
      jsonnetRequest(repo, jsonnetApp([lib]), dir, []).then(
        () => 'accepted',
        (err: Error) => err.message,
      );
    assert.equal(
      await refused('out'),
      'refusing jsonnet library folder of app backend out: it is a symlink to "/usr", which leads out of the repository',
    );
    assert.equal(
      await refused('afile'),
      'jsonnet library folder of app backend afile is a file, not a folder',
    );
    assert.equal(
      await refused('nope'),
      'jsonnet library folder of app backend nope does not exist in the repository',
    );
  });

  it('is an error naming the file and the way out when driftdeck-jsonnet is not there', async () => {
    const result = await renderApp(repo, jsonnetApp([]), {});
    assert.equal(
      failure(result),
      'app/b.jsonnet: app backend uses Jsonnet (app/b.jsonnet) but no driftdeck-jsonnet binary was found; run `driftdeck cluster tools` to install the tools driftdeck uses, or put the binary on PATH',
    );
  });

  /** A stand-in for driftdeck-jsonnet that answers `answer` whatever it is asked, and keeps the request. */
  async function standIn(answer: unknown): Promise<string> {
    const bin = join(bins, `fake-jsonnet-${Math.random().toString(36).slice(2)}`);
    const body = JSON.stringify(JSON.stringify(answer));
    await writeFile(
      bin,
      `#!/usr/bin/env node\nlet s='';process.stdin.on('data',c=>s+=c).on('end',()=>{const fs=require('fs');fs.writeFileSync(${JSON.stringify(`${bin}.request`)},s);fs.appendFileSync(${JSON.stringify(`${bin}.runs`)},'run\\n');process.stdout.write(${body})});\n`,
    );
    await chmod(bin, 0o755);
    return bin;
  }

  it('puts each file in sorted path order, YAML read and Jsonnet evaluated, from one run of the tool', async () => {
    const bin = await standIn({
      protocol: JSONNET_PROTOCOL,
      results: [
        { file: 'app/b.jsonnet', json: JSON.stringify([cm('b1'), cm('b2')]) },
        { file: 'app/c/d.jsonnet', json: JSON.stringify(cm('d')) },
      ],
    });
    const result = await renderApp(repo, jsonnetApp([]), { jsonnet: bin });
    assert.deepEqual(summary(result), [
      'app/a.yaml:1 ConfigMap/from-yaml',
      'app/b.jsonnet:1 ConfigMap/b1',
      'app/b.jsonnet:9 ConfigMap/b2',
      'app/c/d.jsonnet:1 ConfigMap/d',
    ]);
    const { readFile } = await import('node:fs/promises');
    const request = JSON.parse(await readFile(`${bin}.request`, 'utf8')) as { files: string[] };
    assert.deepEqual(request.files, ['app/b.jsonnet', 'app/c/d.jsonnet']);
  });

  it('reads a recurse: false folder without its subfolders, as Argo CD does', async () => {
    const bin = await standIn({
      protocol: JSONNET_PROTOCOL,
      results: [{ file: 'app/b.jsonnet', json: '[]' }],
    });
    const app = jsonnetApp([]);
    app.renderer.recurse = false;
    assert.deepEqual(summary(await renderApp(repo, app, { jsonnet: bin })), [
      'app/a.yaml:1 ConfigMap/from-yaml',
    ]);
  });

  it('is answered from the render cache for the same revision and options, and evaluated again when they change', async () => {
    const bin = await standIn({
      protocol: JSONNET_PROTOCOL,
      results: [
        { file: 'app/b.jsonnet', json: JSON.stringify([cm('b1')]) },
        { file: 'app/c/d.jsonnet', json: JSON.stringify(cm('d')) },
      ],
    });
    const { readFile } = await import('node:fs/promises');
    const runs = async () => (await readFile(`${bin}.runs`, 'utf8').catch(() => '')).split('\n').length - 1;
    const cache = new ManifestCache();
    const render = (app: AppSpec) => renderApp(repo, app, { jsonnet: bin }, { cache, revision: 'abc123' });
    assert.equal((await render(jsonnetApp([]))).ok, true);
    assert.equal((await render(jsonnetApp([]))).ok, true);
    assert.equal(await runs(), 1, 'the same revision and options: from the cache');
    const other = jsonnetApp([]);
    other.renderer.jsonnet?.tlas.push({ name: 'region', value: 'eu', code: false });
    assert.equal((await render(other)).ok, true);
    assert.equal(await runs(), 2, 'another top-level argument: evaluated again');
  });

  it('fails the app on the first file the tool could not evaluate, and on a tool speaking another protocol', async () => {
    const failing = await standIn({
      protocol: JSONNET_PROTOCOL,
      results: [{ file: 'app/b.jsonnet', error: 'app/b.jsonnet:1:1 Unexpected end of file' }],
    });
    assert.match(
      failure(await renderApp(repo, jsonnetApp([]), { jsonnet: failing })),
      /^app\/b\.jsonnet:1:1: jsonnet: evaluating app\/b\.jsonnet failed: app\/b\.jsonnet:1:1 Unexpected end of file$/,
    );
    const other = await standIn({ protocol: 'something-else/9', results: [] });
    assert.match(
      failure(await renderApp(repo, jsonnetApp([]), { jsonnet: other })),
      /the driftdeck-jsonnet binary does not speak driftdeck-jsonnet\/1; run `driftdeck cluster tools`/,
    );
  });
});
