// deploy/ is generated from installObjects: the files in the repository are exactly what `npm run gen:deploy` writes
// now (a change to install.ts without regenerating fails here), and the Kustomize base holds the same objects.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { DEFAULT_INSTALL, deployFiles, kustomizeFiles } from '../../../source/agent/deploy-files.js';
import { installObjects } from '../../../source/agent/install.js';

const root = join(import.meta.dirname, '..', '..', '..');
const deploy = join(root, 'deploy');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

function filesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(deploy, full));
    }
  };
  walk(deploy);
  return out.sort();
}

test('deploy/ is what install.ts generates (run `npm run gen:deploy` after changing it)', () => {
  const wanted = deployFiles(version);
  assert.deepEqual(filesOnDisk(), [...wanted.keys()].sort());
  for (const [path, text] of wanted)
    assert.equal(readFileSync(join(deploy, path), 'utf8'), text, `deploy/${path} differs from install.ts`);
});

test('the Kustomize base holds installObjects for the default settings, the ConfigMap as a generator', () => {
  const files = kustomizeFiles();
  const objects = installObjects(DEFAULT_INSTALL);
  const fromFiles = [...files]
    .filter(([name]) => name !== 'kustomization.yaml')
    .map(([, text]) => parse(text) as { kind: string });
  assert.deepEqual(
    fromFiles,
    objects.filter((o) => o.kind !== 'ConfigMap'),
  );
  const kustomization = parse(files.get('kustomization.yaml') ?? '') as {
    configMapGenerator: Array<{ literals: string[] }>;
  };
  const settings = objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
  assert.deepEqual(
    kustomization.configMapGenerator[0]?.literals,
    Object.entries(settings.data).map(([k, v]) => `${k}=${v}`),
  );
});

test('the chart templates every setting: no stand-in is left, each value is read', () => {
  const chart = [...deployFiles(version)].filter(([path]) => path.startsWith('helm/'));
  const text = chart.map(([, t]) => t).join('\n');
  assert.doesNotMatch(text, /helm-stand-in|987654321/);
  for (const value of ['repo', 'branch', 'interval', 'image', 'namespace', 'profile', 'namespaces'])
    assert.match(text, new RegExp(`\\.Values\\.${value}\\b`), value);
  const deployment = chart.find(([path]) => path.endsWith('templates/agent.yaml'))?.[1] ?? '';
  assert.match(deployment, /secretName: driftdeck-agent-git\n\s+optional: true/);
  assert.match(deployment, /automountServiceAccountToken: true/);
});
