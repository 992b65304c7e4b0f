// `renderer.jsonnet` of an app: Argo CD's `spec.source.directory.jsonnet` in the same shape (tlas, extVars, libs;
// each variable `{name, value, code}`), so that an Argo CD Application's options can be written here as they are.
import type { JsonnetOptions, JsonnetVariable } from '../engine/types.js';
import { checkRepoPath } from './repo-path.js';
import { JSONNET_KEYS, JSONNET_VARIABLE_KEYS } from './schema.js';
import { type Entry, isEmpty, type YamlReader } from './yaml-reader.js';

/** A top-level argument binds a parameter of the file's top-level function: its name must be one Jsonnet can have. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const IDENTIFIER_EXPECTED = 'a Jsonnet identifier (letters, digits and "_", not starting with a digit)';
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function readJsonnet(r: YamlReader, entry: Entry): JsonnetOptions | undefined {
  if (entry.missing || isEmpty(entry.node)) return undefined;
  const fields = r.mapping(entry, JSONNET_KEYS, 'a mapping with tlas, extVars and libs');
  if (!fields) return undefined;
  const libs: string[] = [];
  const list = r.list(r.field(fields, 'libs', entry), false, 'a list of library folders');
  for (const item of list ?? []) {
    const raw = r.string(item, true, 'a library folder relative to the repository root');
    if (raw === undefined) continue;
    // Relative to the repository root, as Argo CD reads them, not to the app path.
    const checked = checkRepoPath(raw);
    if (checked.ok) libs.push(checked.path);
    else r.error(item, checked.problem);
  }
  return {
    tlas: readVariables(r, r.field(fields, 'tlas', entry), 'top-level argument', true),
    extVars: readVariables(r, r.field(fields, 'extVars', entry), 'external variable', false),
    libs,
  };
}

function readVariables(r: YamlReader, entry: Entry, what: string, identifier: boolean): JsonnetVariable[] {
  const out: JsonnetVariable[] = [];
  const seen = new Set<string>();
  for (const item of r.list(entry, false, `a list of ${what}s`) ?? []) {
    const article = /^[aeiou]/.test(what) ? 'an' : 'a';
    const fields = r.mapping(
      item,
      JSONNET_VARIABLE_KEYS,
      `${article} ${what} (a mapping with name, value and code)`,
    );
    if (!fields) continue;
    const nameEntry = r.field(fields, 'name', item);
    const name = r.string(nameEntry, true, identifier ? IDENTIFIER_EXPECTED : 'a variable name');
    const valueEntry = r.field(fields, 'value', item);
    // Argo CD's value is a string; a number or boolean is Jsonnet code, written quoted with code: true.
    const value = r.string(
      valueEntry,
      true,
      'a string (quote numbers and booleans; code: true reads it as Jsonnet)',
    );
    const code = r.boolean(r.field(fields, 'code', item)) ?? false;
    if (name === undefined || value === undefined) continue;
    if (identifier && !IDENTIFIER.test(name)) {
      r.error(nameEntry, `expected ${IDENTIFIER_EXPECTED}, got ${JSON.stringify(name)}`);
      continue;
    }
    if (CONTROL.test(name)) {
      r.error(nameEntry, 'a variable name must not contain control characters');
      continue;
    }
    if (seen.has(name)) {
      r.error(nameEntry, `${what} ${JSON.stringify(name)} is given twice; the second would silently win`);
      continue;
    }
    seen.add(name);
    out.push({ name, value, code });
  }
  return out;
}
