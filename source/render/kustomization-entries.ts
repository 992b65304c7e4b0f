// The paths a kustomization names, read as kustomize reads them (go-yaml.ts): aliases resolved, merge keys applied,
// field names matched as encoding/json matches them. Reading the YAML tree instead would miss `resources: [*alias]`
// or `<<: {resources: [...]}`.
import { fieldValues, readAsGoYaml } from './go-yaml.js';

/** How kustomize reads what an entry names. */
export type EntryReads =
  /** A resource file, or a folder holding another kustomization (or a Git URL kustomize clones). */
  | 'kustomization'
  /** A file, loaded through the kustomization's loader. */
  | 'file'
  /** A folder read whole (Helm's chart home). */
  | 'folder';

export interface KustomizationEntry {
  /** Where it is written, as a field path: `resources[1]`, `helmCharts[0].valuesFile`. */
  field: string;
  /** The path or URL as kustomize sees it (for `files`, after a `key=`). */
  entry: string;
  reads: EntryReads;
  /** The first line holding this text (the anchor's line when it came through an alias). */
  line?: number;
}

/** `[]` steps into every item of a list; other steps are field names, matched as encoding/json matches them. */
const PATH_FIELDS: Array<{ path: string[]; reads: EntryReads; keyed?: boolean }> = [
  ...['resources', 'bases', 'components', 'generators', 'transformers', 'validators'].map((f) => ({
    path: [f, '[]'],
    reads: 'kustomization' as const,
  })),
  ...['crds', 'configurations', 'patchesStrategicMerge'].map((f) => ({
    path: [f, '[]'],
    reads: 'file' as const,
  })),
  ...['patches', 'patchesJson6902', 'replacements'].map((f) => ({
    path: [f, '[]', 'path'],
    reads: 'file' as const,
  })),
  { path: ['openapi', 'path'], reads: 'file' },
  ...['configMapGenerator', 'secretGenerator'].flatMap((g) => [
    { path: [g, '[]', 'files', '[]'], reads: 'file' as const, keyed: true },
    { path: [g, '[]', 'envs', '[]'], reads: 'file' as const },
    { path: [g, '[]', 'env'], reads: 'file' as const },
  ]),
  { path: ['helmGlobals', 'chartHome'], reads: 'folder' },
  { path: ['helmGlobals', 'configHome'], reads: 'folder' },
  { path: ['helmCharts', '[]', 'valuesFile'], reads: 'file' },
  { path: ['helmCharts', '[]', 'additionalValuesFiles', '[]'], reads: 'file' },
  { path: ['helmChartInflationGenerator', '[]', 'chartHome'], reads: 'folder' },
  { path: ['helmChartInflationGenerator', '[]', 'helmHome'], reads: 'folder' },
  { path: ['helmChartInflationGenerator', '[]', 'values'], reads: 'file' },
];

/** Every path the kustomization names, from every field kustomize reads a file or folder from. */
export function kustomizationEntries(text: string, file: string): KustomizationEntry[] {
  const { value, lineOf } = readAsGoYaml(text, file, 'kustomization');
  const out: KustomizationEntry[] = [];
  for (const spec of PATH_FIELDS) {
    let at: Array<{ value: unknown; field: string }> = [{ value, field: '' }];
    for (const step of spec.path) {
      at = at.flatMap(({ value: v, field }) => {
        if (step === '[]')
          return Array.isArray(v) ? v.map((item, i) => ({ value: item, field: `${field}[${i}]` })) : [];
        return fieldValues(v, step).map(([key, item]) => ({
          value: item,
          field: field ? `${field}.${key}` : key,
        }));
      });
    }
    for (const { value: v, field } of at) {
      if (typeof v !== 'string') continue;
      // configMapGenerator files are `path` or `key=path` (kustomize's ParseFileSource).
      const entry = spec.keyed && v.split('=').length === 2 ? v.slice(v.indexOf('=') + 1) : v;
      out.push({ field, entry, reads: spec.reads, line: lineOf(v) });
    }
  }
  return out;
}
