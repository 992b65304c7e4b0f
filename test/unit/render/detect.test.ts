import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import type { RendererOptions } from '../../../source/engine/types.js';
import { chooseRenderer, confinePath, RenderFailure, repoRoot } from '../../../source/render/index.js';
import { makeApp } from './make-app.js';

/** Each case is a folder holding only the named files. */
const layouts: Record<string, string[]> = {
  chart: ['Chart.yaml', 'values.yaml'],
  'kustomization-yaml': ['kustomization.yaml', 'cm.yaml'],
  'kustomization-yml': ['kustomization.yml'],
  'kustomization-capital': ['Kustomization'],
  'chart-and-kustomization': ['Chart.yaml', 'kustomization.yaml'],
  plain: ['cm.yaml'],
  'chart-is-a-folder': ['Chart.yaml/keep.txt'],
};

describe('chooseRenderer', () => {
  let root = '';
  before(async () => {
    root = await repoRoot(await mkdtemp(join(tmpdir(), 'driftdeck-detect-')));
    for (const [folder, files] of Object.entries(layouts)) {
      for (const file of files) {
        await mkdir(join(root, folder, file, '..'), { recursive: true });
        await writeFile(join(root, folder, file), '');
      }
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  const chosen: Array<{ folder: string; renderer?: RendererOptions; kind: string; file?: string }> = [
    { folder: 'chart', kind: 'helm', file: 'chart/Chart.yaml' },
    { folder: 'kustomization-yaml', kind: 'kustomize', file: 'kustomization-yaml/kustomization.yaml' },
    { folder: 'kustomization-yml', kind: 'kustomize', file: 'kustomization-yml/kustomization.yml' },
    { folder: 'kustomization-capital', kind: 'kustomize', file: 'kustomization-capital/Kustomization' },
    { folder: 'chart-and-kustomization', kind: 'helm', file: 'chart-and-kustomization/Chart.yaml' },
    { folder: 'plain', kind: 'directory' },
    { folder: 'chart-is-a-folder', kind: 'directory' },
    { folder: 'chart', renderer: { type: 'directory' }, kind: 'directory' },
    {
      folder: 'chart-and-kustomization',
      renderer: { type: 'kustomize' },
      kind: 'kustomize',
      file: 'chart-and-kustomization/kustomization.yaml',
    },
    {
      folder: 'chart',
      renderer: { type: 'helm', helm: { valueFiles: ['values.yaml'] } },
      kind: 'helm',
      file: 'chart/Chart.yaml',
    },
  ];
  for (const c of chosen) {
    it(`picks ${c.kind} for ${c.folder} with renderer ${c.renderer?.type ?? 'auto'}`, async () => {
      const dir = await confinePath(root, c.folder, 'app path');
      const choice = await chooseRenderer(makeApp(c.folder, c.renderer), dir);
      assert.deepEqual(choice, c.file ? { kind: c.kind, file: c.file } : { kind: c.kind });
    });
  }

  const refused: Array<{ folder: string; renderer: RendererOptions; error: string }> = [
    {
      folder: 'plain',
      renderer: { type: 'helm' },
      error: 'plain: app backend uses the helm renderer but plain has no Chart.yaml',
    },
    {
      folder: 'chart',
      renderer: { type: 'kustomize' },
      error:
        'chart: app backend uses the kustomize renderer but chart has no kustomization.yaml, kustomization.yml or Kustomization',
    },
    {
      folder: 'plain',
      renderer: { type: 'auto', helm: { valueFiles: ['values.yaml'] } },
      error: 'app backend sets Helm options (releaseName, valueFiles, values) but plain has no Chart.yaml',
    },
    {
      folder: 'kustomization-yaml',
      renderer: { type: 'auto', helm: { valueFiles: [], releaseName: 'x' } },
      error:
        'app backend sets Helm options (releaseName, valueFiles, values) but kustomization-yaml has a kustomization (kustomization-yaml/kustomization.yaml)',
    },
  ];
  for (const c of refused) {
    it(`refuses renderer ${c.renderer.type} for ${c.folder}`, async () => {
      const dir = await confinePath(root, c.folder, 'app path');
      await assert.rejects(chooseRenderer(makeApp(c.folder, c.renderer), dir), (err: unknown) => {
        assert.ok(err instanceof RenderFailure);
        assert.equal(formatLocatedError(err.located), c.error);
        return true;
      });
    });
  }
});
