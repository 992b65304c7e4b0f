// Times the two inputs a hostile commit could use to freeze the console (issue 11, item 11): one manifest of
// 40,000 keys (about 469 kB) through parseManifests, and one object whose 8,000 lines all change through
// resourceDiff. Run: node --import tsx scripts/measure-freezes.ts
import { performance } from 'node:perf_hooks';
import { resourceDiff } from '../source/engine/diff.js';
import type { KubeObject } from '../source/engine/types.js';
import { parseManifests } from '../source/render/manifests.js';

function time<T>(label: string, work: () => T): T {
  const start = performance.now();
  const result = work();
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
}

const KEYS = 40_000;
const lines = Array.from({ length: KEYS }, (_, i) => `  k${String(i).padStart(5, '0')}: v`);
const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many-keys\ndata:\n${lines.join('\n')}\n`;
console.log(`manifest: ${KEYS} keys, ${(manifest.length / 1000).toFixed(0)} kB`);
time('parse', () => parseManifests(manifest, { file: 'many-keys.yaml' }));

const CHANGED = 8_000;
const configMap = (prefix: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'many-lines', namespace: 'default' },
  data: Object.fromEntries(Array.from({ length: CHANGED }, (_, i) => [`k${i}`, `${prefix}-${i}`])),
});
const diff = time('diff', () =>
  resourceDiff({
    key: { group: '', kind: 'ConfigMap', namespace: 'default', name: 'many-lines' },
    live: configMap('old'),
    predicted: configMap('new'),
  }),
);
console.log(`diff: ${CHANGED} changed lines, ${diff.diff.split('\n').length - 1} lines of diff`);
const note = diff.diff.split('\n').find((l) => l.startsWith('\\'));
if (note) console.log(note);
