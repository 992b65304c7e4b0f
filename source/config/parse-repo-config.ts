import { isMap, isScalar, LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { AppSpec, DiscoverFolder, LocatedError, RepoConfig } from '../engine/types.js';
import { readApp } from './app-spec.js';
import { readPolicy, resolvePolicy } from './policy-spec.js';
import { checkRepoPath } from './repo-path.js';
import { DISCOVER_TYPES, isDnsLabel, TOP_LEVEL_KEYS } from './schema.js';
import { duplicateKeys } from './unique-keys.js';
import { type Entry, isEmpty, YamlReader } from './yaml-reader.js';
import { describeDuplicateKey, describeYamlError } from './yaml-syntax.js';

/** Syntax errors reported at most: enough to fix, without a page of consequences of the first. */
const MAX_SYNTAX_ERRORS = 10;

export type RepoConfigResult = { ok: true; config: RepoConfig } | { ok: false; errors: LocatedError[] };

/** Parses and validates driftdeck.yaml (format: ./schema.ts), reporting every error, not only the first. */
export function parseRepoConfig(text: string, file = 'driftdeck.yaml'): RepoConfigResult {
  try {
    return parseText(text, file);
  } catch (err) {
    // Whatever a hostile file finds in the parser is reported as this file's error; it must not stop a running agent.
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, message: `cannot read the file: ${(err as Error).message}` }],
    };
  }
}

function parseText(text: string, file: string): RepoConfigResult {
  const lineCounter = new LineCounter();
  // Keys given twice are found by duplicateKeys, in linear time (the package's own check is quadratic).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    // The tree of a document with syntax errors is a guess; validating it would report phantom problems.
    // After the first few, syntax errors are mostly echoes of the first (a nesting too deep gives thousands).
    const shown = doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => syntaxError(e, text, file, lineCounter));
    const more = doc.errors.length - shown.length;
    if (more > 0) shown.push({ file, message: `and ${more} more YAML syntax errors after these` });
    return { ok: false, errors: shown };
  }
  const duplicates = duplicateKeys(doc);
  if (duplicates.length > 0) {
    return {
      ok: false,
      errors: duplicates.map((d) => ({ file, ...describeDuplicateKey(d, lineCounter) })),
    };
  }
  const r = new YamlReader(file, lineCounter, doc);
  const root: Entry = { node: r.resolve(doc.contents), at: null, field: '' };
  if (isEmpty(root.node)) {
    return {
      ok: false,
      errors: [
        { file, line: 1, column: 1, message: 'the file is empty; expected a mapping with an apps list' },
      ],
    };
  }
  const fields = r.mapping(root, TOP_LEVEL_KEYS, 'a mapping with an apps list');
  const defaults = fields ? readPolicy(r, r.field(fields, 'policy', root)) : undefined;
  const discover = fields ? readDiscover(r, r.field(fields, 'discover', root)) : undefined;
  const appsEntry = fields ? r.field(fields, 'apps', root) : undefined;
  const items = appsEntry ? r.list(appsEntry, discover === undefined, 'a list of apps') : undefined;

  const apps: AppSpec[] = [];
  const seen = new Map<string, { field: string; line: number | undefined }>();
  for (const item of items ?? []) {
    const app = readApp(r, item, defaults);
    if (app) apps.push(app);
    const nameEntry = nameEntryOf(r, item);
    const name = isScalar(nameEntry.node) ? nameEntry.node.value : undefined;
    if (typeof name !== 'string' || !isDnsLabel(name)) continue; // readApp reported it
    const previous = seen.get(name);
    if (!previous) {
      seen.set(name, { field: item.field, line: lineOf(lineCounter, nameEntry) });
      continue;
    }
    const where = previous.line ? ` at line ${previous.line}` : '';
    r.error(
      nameEntry,
      `duplicate app name ${JSON.stringify(name)}, already used by ${previous.field}${where}; expected unique names`,
    );
  }
  if (r.errors.length > 0) return { ok: false, errors: sortByPosition(r.errors) };
  const policy = resolvePolicy(defaults, undefined);
  return { ok: true, config: { apps, ...(discover ? { discover } : {}), ...(policy ? { policy } : {}) } };
}

/** `discover: [{argocd: apps}, {flux: clusters/prod}]`: folders confined to the repository like app paths. */
function readDiscover(r: YamlReader, entry: Entry): DiscoverFolder[] | undefined {
  if (entry.missing) return undefined;
  const expected = 'a list of folders to discover apps from, such as [{argocd: apps}, {flux: clusters/prod}]';
  const out: DiscoverFolder[] = [];
  for (const item of r.list(entry, true, expected) ?? []) {
    const before = r.errors.length;
    const fields = r.mapping(item, DISCOVER_TYPES, 'a mapping with one key, argocd or flux, naming a folder');
    if (!fields || r.errors.length > before) continue;
    if (fields.size !== 1) {
      r.error(item, `expected one key (argocd or flux) per item, got ${fields.size}`);
      continue;
    }
    const [type, value] = [...fields][0]!;
    const raw = r.string(value, true, 'a folder relative to the repository root');
    if (raw === undefined) continue;
    const checked = checkRepoPath(raw);
    if (!checked.ok) r.error(value, checked.problem);
    else out.push({ type: type as DiscoverFolder['type'], path: checked.path, at: r.where(value) });
  }
  return out;
}

function syntaxError(e: YAMLError, text: string, file: string, lineCounter: LineCounter): LocatedError {
  const { line, column, message } = describeYamlError(e, text, lineCounter);
  if (e.code === 'MULTIPLE_DOCS') {
    return {
      file,
      line,
      column,
      message: 'expected a single YAML document, found a second one (remove the extra ---)',
    };
  }
  return { file, line, column, message };
}

/** The `name:` value node of an app, read without reporting anything (readApp reports). */
function nameEntryOf(r: YamlReader, item: Entry): Entry {
  const scalar = isMap(item.node) ? item.node.get('name', true) : undefined;
  return { node: r.resolve(scalar ?? null), at: item.node, field: `${item.field}.name` };
}

function lineOf(lineCounter: LineCounter, entry: Entry): number | undefined {
  const offset = entry.node?.range?.[0];
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function sortByPosition(errors: LocatedError[]): LocatedError[] {
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.line ?? 0) - (b.e.line ?? 0) || (a.e.column ?? 0) - (b.e.column ?? 0) || a.i - b.i)
    .map(({ e }) => e);
}
