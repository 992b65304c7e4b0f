// What a parsed document must be before it may become a desired object: a mapping with apiVersion, kind and
// metadata.name, each of a shape an API server could serve (they become URL path segments and cache keys), and a
// Secret whose values are text. Messages name the object but never print a value that might be a secret.
import { HELM_HOOK_ANNOTATION, HOOK_ANNOTATION } from '../engine/hooks.js';
import {
  apiVersionProblem,
  describeNameRule,
  kindProblem,
  nameProblem,
  nameRuleOf,
} from '../engine/names.js';

/** What is wrong, and the field path to point at (empty: the object itself). */
export interface ObjectProblem {
  path: string[];
  message: string;
}

const NEED = 'every object needs apiVersion, kind and metadata.name';
/** Names are shown quoted and cut to this length: enough to recognise one, not a page of text. */
const SHOWN_MAX = 80;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A name or kind as JSON text with every control character escaped (C1 too), cut to SHOWN_MAX characters. */
export function shown(value: string): string {
  const cut = value.length > SHOWN_MAX ? value.slice(0, SHOWN_MAX) : value;
  const text = JSON.stringify(cut).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return cut === value ? text : `${text}...`;
}

/** A key of a Secret as a field path segment: as it is when it is a valid key, quoted otherwise. */
function keyShown(key: string): string {
  return /^[-._a-zA-Z0-9]{1,80}$/.test(key) ? key : shown(key);
}

/** What sort of value this is, in words, without the value itself. */
export function sortOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return 'an unsupported value';
}

/** A hook (Argo CD's or Helm's annotation) with a generateName: it is created, never applied, so needs no name. */
function generatedHook(metadata: Record<string, unknown>): boolean {
  const annotations = metadata.annotations;
  if (!nonEmptyString(metadata.generateName) || !isRecord(annotations)) return false;
  return (
    typeof annotations[HOOK_ANNOTATION] === 'string' || typeof annotations[HELM_HOOK_ANNOTATION] === 'string'
  );
}

export function objectProblem(value: unknown): ObjectProblem | undefined {
  if (!isRecord(value)) {
    return { path: [], message: `expected a Kubernetes object (a mapping), got ${sortOf(value)}; ${NEED}` };
  }
  const missing: string[] = [];
  if (!nonEmptyString(value.apiVersion)) missing.push('apiVersion');
  if (!nonEmptyString(value.kind)) missing.push('kind');
  const metadata = value.metadata;
  if (!isRecord(metadata)) missing.push('metadata');
  // A hook may be created under a name the server makes (Argo CD's `generateName` hooks).
  else if (!nonEmptyString(metadata.name) && !generatedHook(metadata)) missing.push('metadata.name');
  if (missing.length > 0 || !isRecord(metadata)) {
    const kind = nonEmptyString(value.kind) && !kindProblem(value.kind) ? value.kind : 'object';
    const name = isRecord(metadata) && nonEmptyString(metadata.name) ? ` ${shown(metadata.name)}` : '';
    return { path: [], message: `${kind}${name} has no ${missing.join(', ')}; ${NEED}` };
  }
  const kind = value.kind as string;
  const apiVersion = value.apiVersion as string;
  const name = nonEmptyString(metadata.name) ? metadata.name : `${metadata.generateName as string}*`;
  const kindWrong = kindProblem(kind);
  if (kindWrong) return { path: ['kind'], message: `kind ${shown(kind)} ${kindWrong}` };
  const object = `${kind} ${shown(name)}`;
  const versionWrong = apiVersionProblem(apiVersion);
  if (versionWrong) {
    return { path: ['apiVersion'], message: `${object}: apiVersion ${shown(apiVersion)} ${versionWrong}` };
  }
  return (
    metadataProblem(object, apiVersion, kind, metadata) ?? secretProblem(object, apiVersion, kind, value)
  );
}

function metadataProblem(
  object: string,
  apiVersion: string,
  kind: string,
  metadata: Record<string, unknown>,
): ObjectProblem | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const rule = nameRuleOf(group, kind);
  const checks: Array<[field: string, rule: typeof rule, prefix: boolean]> = [
    ['name', rule, false],
    ['generateName', rule, true],
    // Every namespace is a DNS-1123 label (ValidateNamespaceName); empty or null means "the app's namespace".
    ['namespace', 'dns-label', false],
  ];
  for (const [field, fieldRule, prefix] of checks) {
    const v = metadata[field];
    if (v === undefined || v === null || (field !== 'name' && v === '')) continue;
    const path = ['metadata', field];
    if (typeof v !== 'string') {
      return { path, message: `${object}: metadata.${field} must be a string, got ${sortOf(v)}` };
    }
    const problem = nameProblem(v, fieldRule, prefix);
    if (!problem) continue;
    // The name itself is already in `object`; a namespace or prefix is shown beside its field.
    const which = field === 'name' ? `metadata.name` : `metadata.${field} ${shown(v)}`;
    const need = problem.startsWith('is not') ? '' : `; expected ${describeNameRule(fieldRule)}`;
    return { path, message: `${object}: ${which} ${problem}${need}` };
  }
  return undefined;
}

/**
 * A Secret's data and stringData hold text (base64 in data). The API server answers any other value with an error
 * that quotes it, and that text travels to screens, logs and the sync history: refuse it here, unquoted.
 */
function secretProblem(
  object: string,
  apiVersion: string,
  kind: string,
  value: Record<string, unknown>,
): ObjectProblem | undefined {
  if (apiVersion !== 'v1' || kind !== 'Secret') return undefined;
  for (const field of ['data', 'stringData']) {
    const entries = value[field];
    if (entries === undefined || entries === null) continue;
    if (!isRecord(entries)) {
      return {
        path: [field],
        message: `${object}: ${field} must be a mapping of keys to strings, got ${sortOf(entries)}`,
      };
    }
    for (const [key, v] of Object.entries(entries)) {
      // null is how YAML writes an empty value (`key:`): nothing to leak, and the server takes it as empty.
      if (typeof v === 'string' || v === null) continue;
      const scalar = v instanceof Date || typeof v === 'number' || typeof v === 'boolean';
      const need = field === 'data' ? 'base64 text' : 'a string';
      const hint = field === 'stringData' && scalar ? ' (quote it)' : '';
      return {
        path: [field, key],
        message: `${object}: ${field}.${keyShown(key)} must be ${need}, got ${sortOf(v)}${hint}; the value is not shown`,
      };
    }
  }
  return undefined;
}
