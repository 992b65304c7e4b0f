// The built-in demo's sample repository and its seeding, with real git in temporary folders.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { parseRepoConfig } from '../../source/config/index.js';
import { demoCacheDir, demoPaths, sampleDir } from '../../source/demo/paths.js';
import { seedDemoRepo } from '../../source/demo/seed.js';
import { type Change, deleteFile, pushChange, writeFile } from '../../source/demo/story.js';
import { isolatedEnv } from './git-fixture.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'demo', 'gadgetgrove');
const HISTORY = [
  'Bump frontend to v2.3.1',
  'Tune backend readiness probe',
  'Add cart chart',
  'Add frontend (kustomize)',
  'Add backend service',
  'Start the GadgetGrove deploy repo',
];
const PATCH = { from: 'backend:v1.0.0', to: 'backend:v1.0.1-security-patch' };

let tmp: string;
let env: NodeJS.ProcessEnv;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const head = (repo: string, rev = 'main') => git(repo, 'rev-parse', rev).trim();
const lines = (text: string) => text.trim().split('\n');

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'driftdeck-demo-'));
  mkdirSync(join(tmp, 'home'));
  env = isolatedEnv(join(tmp, 'home'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.split('/').includes('.git') && statSync(join(dir, f)).isFile())
    .sort();
}

describe('seedDemoRepo', () => {
  test('creates a bare remote whose main holds the sample with its history', async () => {
    const root = join(tmp, 'fresh');
    const seeded = await seedDemoRepo({ root, env });
    const paths = demoPaths(root);
    assert.deepEqual(seeded, { remote: paths.remote, workdir: paths.workdir, branch: 'main', created: true });
    const { remote, workdir } = seeded;
    assert.equal(git(remote, 'rev-parse', '--is-bare-repository').trim(), 'true');
    assert.equal(git(remote, 'symbolic-ref', 'HEAD').trim(), 'refs/heads/main');
    const who = 'GadgetGrove Dev <dev@gadgetgrove.example>';
    const log = lines(git(remote, 'log', '--format=%s|%an <%ae>|%cn <%ce>', 'main'));
    assert.deepEqual(
      log,
      HISTORY.map((s) => `${s}|${who}|${who}`),
    );
    const tree = lines(git(remote, 'ls-tree', '-r', '--name-only', 'main')).sort();
    assert.deepEqual(tree, filesUnder(SAMPLE));
    for (const file of tree) {
      assert.equal(git(remote, 'show', `main:${file}`), readFileSync(join(SAMPLE, file), 'utf8'), file);
      assert.equal(readFileSync(join(workdir, file), 'utf8'), readFileSync(join(SAMPLE, file), 'utf8'), file);
    }
    assert.equal(git(workdir, 'status', '--porcelain').trim(), '');
    assert.equal(head(workdir, 'HEAD'), head(remote));
    // Earlier forms: the first commit registers no app, the backend started with a slower probe.
    assert.match(git(remote, 'show', 'main~5:driftdeck.yaml'), /^apps: \[\]$/m);
    assert.match(git(remote, 'show', 'main~4:apps/backend/deployment.yaml'), /initialDelaySeconds: 20/);
    assert.equal(parseRepoConfig(git(remote, 'show', 'main~3:driftdeck.yaml')).ok, true);
    const dates = lines(git(remote, 'log', '--format=%ct', 'main')).map(Number);
    assert.ok(
      dates.every((d, i) => i === 0 || d < (dates[i - 1] ?? 0)),
      'commit dates go back in time',
    );
  });

  test('reuses an existing remote untouched, unless reset', async () => {
    const root = join(tmp, 'again');
    const first = await seedDemoRepo({ root, env });
    const change = { file: 'README.md', replace: ['small', 'tiny'] as [string, string], message: 'x' };
    const sha = await pushChange(first.workdir, change, { env });
    rmSync(first.workdir, { recursive: true });
    const second = await seedDemoRepo({ root, env });
    assert.equal(second.created, false);
    assert.equal(head(second.remote), sha);
    assert.equal(head(second.workdir, 'HEAD'), sha, 'a missing work clone is cloned again');
    const third = await seedDemoRepo({ root, env, reset: true });
    assert.equal(third.created, true);
    assert.equal(git(third.remote, 'rev-list', '--count', 'main').trim(), String(HISTORY.length));
  });

  test('refuses to overwrite a folder it did not make', async () => {
    const root = join(tmp, 'occupied');
    mkdirSync(join(root, 'gadgetgrove.git'), { recursive: true });
    writeFileSync(join(root, 'gadgetgrove.git', 'notes.txt'), 'mine');
    await assert.rejects(seedDemoRepo({ root, env }), /not a Git repository made by the demo/);
    assert.equal(readFileSync(join(root, 'gadgetgrove.git', 'notes.txt'), 'utf8'), 'mine');
  });
});

describe('story helpers', () => {
  test('pushChange, deleteFile and writeFile push one commit each, after pulling', async () => {
    const { remote, workdir } = await seedDemoRepo({ root: join(tmp, 'story'), env });
    const file = 'apps/backend/deployment.yaml';
    const sha = await pushChange(
      workdir,
      { file, replace: [PATCH.from, PATCH.to], message: 'Patch' },
      { env },
    );
    assert.equal(head(remote), sha);
    assert.equal(git(remote, 'log', '-1', '--format=%s', 'main').trim(), 'Patch');
    assert.equal(git(remote, 'diff', '--numstat', 'main~1', 'main').trim(), `1\t1\t${file}`);
    assert.match(git(remote, 'show', `main:${file}`), /image: \S+\/backend:v1\.0\.1-security-patch$/m);

    // Someone else pushes (the console's revert): the next change lands on top of it.
    const other = join(tmp, 'other');
    git(tmp, 'clone', '-q', remote, other);
    git(other, '-c', 'user.name=O', '-c', 'user.email=o@x', 'revert', '--no-edit', 'HEAD');
    git(other, 'push', '-q', 'origin', 'main');
    const reverted = head(remote);
    const gone = await deleteFile(workdir, 'apps/backend/configmap.yaml', 'Drop backend config', { env });
    assert.deepEqual([head(remote, 'main~1'), head(remote)], [reverted, gone]);
    assert.doesNotMatch(git(remote, 'ls-tree', '-r', '--name-only', 'main'), /configmap\.yaml/);

    const broken = await writeFile(workdir, 'apps/cart/values.yaml', 'replicaCount: [2\n', 'Oops', { env });
    assert.equal(head(remote), broken);
    assert.equal(git(remote, 'show', 'main:apps/cart/values.yaml'), 'replicaCount: [2\n');
  });

  test('a replacement that does not match exactly once commits nothing', async () => {
    const { remote, workdir } = await seedDemoRepo({ root: join(tmp, 'nomatch'), env });
    const start = head(remote);
    const file = 'apps/backend/deployment.yaml';
    const change = (from: string): Change => ({ file, replace: [from, 'y'], message: 'x' });
    await assert.rejects(pushChange(workdir, change('v9.9.9'), { env }), /found it 0 times/);
    await assert.rejects(pushChange(workdir, change('backend'), { env }), /found it \d+ times/);
    await assert.rejects(deleteFile(workdir, '../outside.yaml', 'x', { env }), /not a path inside/);
    assert.equal(head(remote), start);
    assert.equal(git(workdir, 'status', '--porcelain'), '');
  });
});

describe('sample repository', () => {
  const isYaml = (f: string) => f.endsWith('.yaml') && !f.startsWith('apps/cart/templates/');
  const yamlFiles = filesUnder(SAMPLE).filter(isYaml);

  test('every file parses as YAML and driftdeck.yaml is a valid config', () => {
    assert.ok(yamlFiles.length >= 10, yamlFiles.join(', '));
    for (const file of yamlFiles) {
      for (const doc of parseAllDocuments(readFileSync(join(SAMPLE, file), 'utf8'))) {
        assert.deepEqual(doc.errors, [], file);
      }
    }
    const result = parseRepoConfig(readFileSync(join(SAMPLE, 'driftdeck.yaml'), 'utf8'));
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(
      result.config.apps.map((a) => [a.name, a.path, a.namespace, a.renderer.type, a.sync.auto]),
      [
        ['backend', 'apps/backend', 'gadgetgrove', 'auto', false],
        ['frontend', 'apps/frontend', 'gadgetgrove', 'auto', false],
        ['cart', 'apps/cart', 'gadgetgrove', 'auto', false],
      ],
    );
  });

  test('Deployments select their own pods and carry the images the stories use', () => {
    const objects = [
      ...yamlFiles
        .filter((f) => f.startsWith('apps/'))
        .flatMap((f) => parseAll(readFileSync(join(SAMPLE, f), 'utf8'))),
      ...['deployment.yaml', 'service.yaml'].flatMap((f) => parseAll(renderCart(f))),
    ];
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    const summary = deployments.map((d) => {
      const selector = d.spec.selector.matchLabels as Record<string, string>;
      const labels = d.spec.template.metadata.labels as Record<string, string>;
      assert.ok(Object.keys(selector).length > 0, d.metadata.name);
      for (const [k, v] of Object.entries(selector)) assert.equal(labels[k], v, `${d.metadata.name}: ${k}`);
      return [d.metadata.name, d.spec.replicas, d.spec.template.spec.containers[0].image];
    });
    assert.deepEqual(summary.sort(), [
      ['backend', 3, 'registry.gadgetgrove.example/backend:v1.0.0'],
      ['cart', 2, 'registry.gadgetgrove.example/cart:v0.9.0'],
      ['frontend', 2, 'registry.gadgetgrove.example/frontend:v2.3.1'],
    ]);
    const backend = filesUnder(SAMPLE).filter((f) => f.startsWith('apps/backend/'));
    const text = backend.map((f) => readFileSync(join(SAMPLE, f), 'utf8')).join('');
    assert.equal(text.split(PATCH.from).length - 1, 1, 'the security patch is a one-line change');
    const ns = objects.find((o) => o.kind === 'Namespace');
    assert.equal(ns?.metadata.annotations['driftdeck.io/sync-wave'], '-1');
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'backend-db');
    assert.ok(secret?.stringData.password, 'a Secret value for the console to mask');
  });
});

test('the sample is found from the sources and the build; the cache folder follows the environment', () => {
  assert.equal(sampleDir(join(import.meta.dirname, '../../source/demo')), SAMPLE);
  assert.equal(sampleDir(join(import.meta.dirname, '../../dist/demo')), SAMPLE);
  // The bundle runs it from its entry (dist/cli.js) or one of its chunks (dist/chunks).
  assert.equal(sampleDir(join(import.meta.dirname, '../../dist')), SAMPLE);
  assert.equal(sampleDir(join(import.meta.dirname, '../../dist/chunks')), SAMPLE);
  assert.throws(() => sampleDir(join(tmp, 'a', 'b')), /sample repository is missing/);
  // The cache folder follows DRIFTDECK_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache.
  assert.equal(demoCacheDir({ DRIFTDECK_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }), '/c/demo');
  assert.equal(demoCacheDir({ XDG_CACHE_HOME: '/x' }), '/x/driftdeck/demo');
  assert.match(demoCacheDir({}), /\.cache\/driftdeck\/demo$/);
  assert.equal(demoPaths('/r').remote, '/r/gadgetgrove.git');
  assert.equal(demoPaths('/r').workdir, '/r/gadgetgrove');
});

// biome-ignore lint/suspicious/noExplicitAny: manifests are walked freely and checked with assertions
type Manifest = any;

function parseAll(text: string): Manifest[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

/** Just enough of `helm template` for this chart: `.Release`, `.Chart`, `.Values`, `quote`, `toYaml | nindent`. */
function renderCart(template: string): string {
  const dir = join(SAMPLE, 'apps/cart');
  const chart = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'));
  const scope: Manifest = {
    Release: { Name: 'cart', Namespace: 'gadgetgrove' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    Values: parse(readFileSync(join(dir, 'values.yaml'), 'utf8')),
  };
  const lookup = (path: string) => {
    let value = scope;
    for (const key of path.slice(1).split('.')) value = value?.[key];
    assert.notEqual(value, undefined, `${template}: ${path} has no value`);
    return value;
  };
  let out = '';
  let rest = readFileSync(join(dir, 'templates', template), 'utf8');
  for (let m = /\{\{(-?)\s*(.*?)\s*\}\}/s.exec(rest); m; m = /\{\{(-?)\s*(.*?)\s*\}\}/s.exec(rest)) {
    out += rest.slice(0, m.index);
    if (m[1] === '-') out = out.trimEnd();
    const expr = m[2] ?? '';
    const simple = /^(\.[\w.]+)(\s*\|\s*quote)?$/.exec(expr);
    const block = /^toYaml (\.[\w.]+) \| nindent (\d+)$/.exec(expr);
    if (simple?.[1]) out += simple[2] ? JSON.stringify(String(lookup(simple[1]))) : String(lookup(simple[1]));
    else if (block?.[1]) {
      const pad = ' '.repeat(Number(block[2]));
      out += `\n${stringify(lookup(block[1])).trimEnd().replace(/^/gm, pad)}`;
    } else assert.fail(`${template}: the test's template evaluator does not know {{ ${expr} }}`);
    rest = rest.slice(m.index + m[0].length);
  }
  return out + rest;
}
