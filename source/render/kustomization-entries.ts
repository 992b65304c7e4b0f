// The paths a kustomization names, read as kustomize reads them. Kustomize turns the YAML into JSON with YAML 1.1
// rules (sigs.k8s.io/yaml over yaml.v2: aliases resolved, `<<` merge keys applied) and decodes that JSON with Go's
// encoding/json, which matches field names case-insensitively (`Resources:` and even `reſources:` fill
// `resources`). So the text is parsed to plain JS with the same rules and every field is looked up the same way;
// reading the YAML tree instead would miss `resources: [*alias]` or `<<: {resources: [...]}`.
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, visit } from 'yaml';
import { describeYamlError } from '../config/yaml-syntax.js';
import { RenderFailure } from './render-failure.js';

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

/**
 * Go's encoding/json field-name folding, or a little more: ASCII letters compared without case, any other rune by
 * ToUpper(ToLower(r)). Go folds a rune to the least of its case orbit, which reaches ASCII only from `ſ` (U+017F,
 * to S) and the Kelvin sign (to K); both fold the same here, and a key matched here that Go would not match is only
 * checked needlessly.
 */
export function foldName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (ch.charCodeAt(0) < 0x80) out += ch.toUpperCase();
    else {
      const folded = ch.toLowerCase().toUpperCase();
      out += [...folded].length === 1 ? folded : ch;
    }
  }
  return out;
}

/** Every key of `object` that fills `field` as encoding/json fills it, with its value. */
function fieldValues(object: unknown, field: string): Array<[string, unknown]> {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return [];
  const wanted = foldName(field);
  return Object.entries(object).filter(([key]) => foldName(key) === wanted);
}

/**
 * Parses a kustomization file's text to the value kustomize decodes, refusing what kustomize and this reader could
 * read differently: several documents, and a merge key overriding a key set before it in the same mapping
 * (yaml.v2 lets the later one win, the YAML merge rules the explicit key).
 */
export function readKustomization(
  text: string,
  file: string,
): { value: unknown; lineOf: (s: string) => number | undefined } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, version: '1.1', merge: true });
  const fail = (message: string, line?: number, column?: number): never => {
    throw new RenderFailure({ file, line, column, message: `kustomization: ${message}` });
  };
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > 1) {
    const second = list[1]!.range[0];
    fail(
      'holds more than one YAML document; kustomize reads only the first, so keep one',
      lineCounter.linePos(second).line,
    );
  }
  const doc = list[0];
  if (!doc) return { value: null, lineOf: () => undefined };
  const error = doc.errors[0];
  if (error) {
    const { line, column, message } = describeYamlError(error, text, lineCounter);
    fail(message, line, column);
  }
  const lines = new Map<string, number>();
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && !lines.has(node.value) && node.range)
        lines.set(node.value, lineCounter.linePos(node.range[0]).line);
    },
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isMergeKey(pair.key)) {
          seen.add(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
          continue;
        }
        const merged = mergedKeys(pair.value as Node, (node) => node.toJS(doc, { maxAliasCount: 100 }));
        for (const key of merged) {
          if (seen.has(key)) {
            const at =
              isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]) : undefined;
            fail(
              `the merge key (<<) sets "${key}" again after it was set in the same mapping; kustomize would take the merged value and YAML the first, so set it once`,
              at?.line,
              at?.col,
            );
          }
        }
        for (const key of merged) seen.add(key);
      }
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    fail((err as Error).message);
  }
  return { value, lineOf: (s) => lines.get(s) };
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  if (typeof key.value === 'symbol') return key.value.description === '<<';
  return key.value === '<<' && (!key.type || key.type === 'PLAIN');
}

/** The keys a merge value brings: one mapping, an alias of one, or a list of those. */
function mergedKeys(value: Node | null, toJS: (node: Node) => unknown): string[] {
  const resolve = (node: unknown): unknown =>
    isAlias(node) ? toJS(node) : isMap(node) ? toJS(node) : undefined;
  const sources = isSeq(value) ? value.items : [value];
  return sources.flatMap((source) => {
    const js = resolve(source);
    return typeof js === 'object' && js !== null ? Object.keys(js) : [];
  });
}

/** Every path the kustomization names, from every field kustomize reads a file or folder from. */
export function kustomizationEntries(text: string, file: string): KustomizationEntry[] {
  const { value, lineOf } = readKustomization(text, file);
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
