// Argo CD's helm.values (YAML text), valuesObject and parameters, merged into one mapping of inline values the way
// Argo CD gives them to helm: values, then valuesObject over them, then each parameter as a `--set`.
import { parse } from 'yaml';
import { type Findings, isPlain, list, obj, type Plain, said, text } from './found.js';

/** `a.b-c.d_e`: the names a parameter may have here; helm's list indexes and escapes (`a[0]`, `a\.b`) are not read. */
const PARAMETER_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/** The keys that must never be written through a parameter path: they would reach the prototype. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export function argoHelmValues(helm: Plain, findings: Findings): Record<string, unknown> | undefined {
  let values: Record<string, unknown> | undefined;
  const yamlText = text(helm.values);
  if (yamlText !== undefined && yamlText.trim() !== '') {
    try {
      const parsed: unknown = parse(yamlText, { maxAliasCount: 100 });
      if (isPlain(parsed)) values = parsed;
      else if (parsed != null) findings.bad('source.helm.values: expected YAML text of a mapping');
    } catch (err) {
      findings.bad(`source.helm.values: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
  } else if (isPlain(helm.values)) values = helm.values;
  if (isPlain(helm.valuesObject)) values = merge(values ?? {}, helm.valuesObject);
  for (const [i, raw] of list(helm.parameters).entries()) {
    const p = obj(raw);
    const name = text(p.name) ?? '';
    const field = `source.helm.parameters[${i}]`;
    if (!PARAMETER_NAME.test(name) || name.split('.').some((k) => FORBIDDEN.has(k))) {
      findings.notSupported(`${field} (name ${said(name)}: only dotted names such as image.tag are read)`);
      continue;
    }
    const value = setValue(text(p.value) ?? String(p.value ?? ''), p.forceString === true);
    values = merge(values ?? {}, nested(name.split('.'), value));
  }
  return values;
}

/** The value of `--set name=value` as helm types it: true, false, null and integers are not strings. */
function setValue(value: string, forceString: boolean): unknown {
  if (forceString) return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (value === 'null') return null;
  if (/^(0|-?[1-9][0-9]{0,15})$/.test(value)) return Number(value);
  return value;
}

function nested(path: string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  return { [head!]: rest.length ? nested(rest, value) : value };
}

/** `over` merged into `base`, mappings key by key, anything else replaced (helm's coalescing of user values). */
export function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (FORBIDDEN.has(k)) continue;
    const before = out[k];
    out[k] = isPlain(before) && isPlain(v) ? merge(before, v) : v;
  }
  return out;
}
