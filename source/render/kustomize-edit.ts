// Argo CD applies an Application's `source.kustomize` options by editing the app's own kustomization before the
// build (`kustomize edit set nameprefix`, `set image`, `add label`, and the patches written into the file), so the
// options replace what the kustomization sets rather than stacking on it as an overlay would: an Application's
// namePrefix replaces the kustomization's, and its patches meet the objects before the prefix is added. The same
// edits are made here, to the parsed kustomization of a copy (kustomize-options.ts), and written back as JSON,
// which kustomize reads as YAML. The kustomization is read as kustomize reads it (go-yaml.ts), field names folded.
import type { KustomizeOptions } from '../engine/types.js';
import { fieldValues, foldName, readAsGoYaml } from './go-yaml.js';
import { RenderFailure } from './render-failure.js';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The kustomization `text` (file `file`, relative to the repo root) with the options applied. */
export function editKustomization(text: string, file: string, options: KustomizeOptions): string {
  const { value } = readAsGoYaml(text, file, 'kustomization');
  const k: Plain = isPlain(value) ? { ...value } : {};
  if (value !== null && value !== undefined && !isPlain(value))
    throw new RenderFailure({ file, message: 'kustomization: expected a mapping' });
  const fail = (field: string, message: string): never => {
    throw new RenderFailure({ file, message: `source.kustomize.${field}: ${message}` });
  };
  if (options.namePrefix !== undefined) set(k, 'namePrefix', options.namePrefix);
  if (options.nameSuffix !== undefined) set(k, 'nameSuffix', options.nameSuffix);
  if (options.images?.length) {
    const images = listOf(k, 'images', fail);
    for (const arg of options.images) {
      const image = parseImageArg(arg);
      const at = images.findIndex((i) => isPlain(i) && i.name === image.name);
      if (at >= 0) images[at] = image;
      else images.push(image);
    }
    set(k, 'images', images);
  }
  if (options.replicas?.length) {
    const replicas = listOf(k, 'replicas', fail);
    for (const r of options.replicas) {
      const at = replicas.findIndex((i) => isPlain(i) && i.name === r.name);
      if (at >= 0) replicas[at] = { name: r.name, count: r.count };
      else replicas.push({ name: r.name, count: r.count });
    }
    set(k, 'replicas', replicas);
  }
  if (options.commonLabels && Object.keys(options.commonLabels).length) {
    if (options.labelWithoutSelector) addLabelsWithoutSelector(k, options, fail);
    else addPairs(k, 'commonLabels', options.commonLabels, options.forceCommonLabels === true, fail);
  }
  if (options.commonAnnotations && Object.keys(options.commonAnnotations).length)
    addPairs(
      k,
      'commonAnnotations',
      options.commonAnnotations,
      options.forceCommonAnnotations === true,
      fail,
    );
  if (options.namespace !== undefined) set(k, 'namespace', options.namespace);
  if (options.patches?.length) set(k, 'patches', [...listOf(k, 'patches', fail), ...options.patches]);
  if (options.components?.length) {
    const components = listOf(k, 'components', fail);
    for (const c of options.components) if (!components.includes(c)) components.push(c);
    set(k, 'components', components);
  }
  return `${JSON.stringify(k, null, 2)}\n`;
}

/** Sets a field under its canonical name, dropping the spellings kustomize would fold into it. */
function set(k: Plain, field: string, value: unknown): void {
  for (const key of Object.keys(k)) if (foldName(key) === foldName(field)) delete k[key];
  k[field] = value;
}

function get(k: Plain, field: string): unknown {
  const found = fieldValues(k, field);
  return found.length ? found[found.length - 1]![1] : undefined;
}

function listOf(k: Plain, field: string, fail: (f: string, m: string) => never): unknown[] {
  const current = get(k, field);
  if (current === undefined || current === null) return [];
  if (!Array.isArray(current)) fail(field, `the kustomization's ${field} is not a list`);
  return [...(current as unknown[])];
}

/** `kustomize edit add label|annotation`: a key the kustomization already sets is an error unless forced. */
function addPairs(
  k: Plain,
  field: 'commonLabels' | 'commonAnnotations',
  pairs: Record<string, string>,
  force: boolean,
  fail: (f: string, m: string) => never,
): void {
  const current = get(k, field);
  if (current !== undefined && current !== null && !isPlain(current))
    fail(field, `the kustomization's ${field} is not a mapping`);
  const merged: Plain = { ...((current as Plain | undefined) ?? {}) };
  for (const [key, value] of Object.entries(pairs)) {
    if (!force && Object.hasOwn(merged, key))
      fail(
        field,
        `${JSON.stringify(key)} is already set by the kustomization; set ${field === 'commonLabels' ? 'forceCommonLabels' : 'forceCommonAnnotations'}: true to override it`,
      );
    merged[key] = value;
  }
  set(k, field, merged);
}

/** `kustomize edit add label --without-selector [--include-templates]`: a `labels` entry that spares selectors. */
function addLabelsWithoutSelector(
  k: Plain,
  options: KustomizeOptions,
  fail: (f: string, m: string) => never,
): void {
  const labels = listOf(k, 'labels', fail);
  const templates = options.labelIncludeTemplates === true;
  let entry = labels.find(
    (l): l is Plain =>
      isPlain(l) && l.includeSelectors !== true && (l.includeTemplates === true) === templates,
  );
  if (!entry) {
    entry = { pairs: {}, ...(templates ? { includeTemplates: true } : {}) };
    labels.push(entry);
  }
  const pairs: Plain = isPlain(entry.pairs) ? { ...entry.pairs } : {};
  for (const [key, value] of Object.entries(options.commonLabels ?? {})) {
    if (!options.forceCommonLabels && Object.hasOwn(pairs, key))
      fail(
        'commonLabels',
        `${JSON.stringify(key)} is already set by the kustomization; set forceCommonLabels: true to override it`,
      );
    pairs[key] = value;
  }
  entry.pairs = pairs;
  set(k, 'labels', labels);
}

/**
 * An image as `kustomize edit set image` reads it: `name=newName[:tag][@digest]`, or `name[:tag][@digest]` for the
 * image's own name. The image arguments were checked when the Application was read (argocd-kustomize.ts).
 */
export function parseImageArg(arg: string): {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
} {
  const eq = arg.indexOf('=');
  const name = eq >= 0 ? arg.slice(0, eq) : undefined;
  let rest = eq >= 0 ? arg.slice(eq + 1) : arg;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  // A tag follows the last `:` after the last `/` (a registry's port comes before the path).
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const out: { name: string; newName?: string; newTag?: string; digest?: string } = { name: name ?? rest };
  if (name !== undefined && rest !== name) out.newName = rest;
  if (tag !== undefined) out.newTag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}
