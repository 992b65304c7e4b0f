// An Application's `spec.source.kustomize`, read and checked as driftdeck will apply it (render/kustomize-edit.ts).
// Every value ends up in a kustomization kustomize builds, so each is checked for what it names first: the
// namespace is a DNS-1123 label an app may use, images are image references, labels and annotations have
// Kubernetes keys, replicas name objects, and a patch or component path stays inside the repository (checked again
// against the checkout when rendering). Fields driftdeck does not apply are named, never dropped.
import { isDns1123Subdomain } from '../../engine/names.js';
import type { AppSpec, KustomizeOptions } from '../../engine/types.js';
import { buildEnv, envsubst } from '../../render/build-env.js';
import { kustomizeEntryKind } from '../../render/kustomize-remote.js';
import {
  IMAGE_EXPECTED,
  isImageArg,
  isLabelValue,
  LABEL_VALUE_EXPECTED,
} from '../../render/kustomize-values.js';
import {
  appNamespace,
  type Findings,
  isPlain,
  list,
  obj,
  type Plain,
  repoPath,
  said,
  text,
  written,
} from './found.js';

const FIELD = 'source.kustomize';

/** Fields Argo CD knows that driftdeck does not apply, each with why. */
const REFUSED: Record<string, string> = {
  version: 'driftdeck builds with its one kustomize',
  kubeVersion: 'the Kubernetes version given to Helm charts of a kustomization',
  apiVersions: 'the API versions given to Helm charts of a kustomization',
};
const APPLIED = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'images',
  'replicas',
  'commonLabels',
  'commonAnnotations',
  'forceCommonLabels',
  'forceCommonAnnotations',
  'commonAnnotationsEnvsubst',
  'labelWithoutSelector',
  'labelIncludeTemplates',
  'patches',
  'components',
  'ignoreMissingComponents',
];
const PATCH_KEYS = ['path', 'patch', 'target', 'options'];
const TARGET_KEYS = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'];
const PATCH_OPTIONS = ['allowNameChange', 'allowKindChange'];

const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9][-a-z0-9.]{0,62}$/;
const SUFFIX = /^[-a-z0-9.]{0,62}[a-z0-9]$/;

/** A label or annotation key: an optional DNS subdomain and `/`, then a name of at most 63 characters. */
export function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix))
    return `the prefix of ${said(key)} is not a DNS-1123 subdomain`;
  if (!LABEL_NAME.test(name))
    return `expected a key of letters, digits, "-", "_" and "." (at most 63, starting and ending with a letter or digit), got ${said(key)}`;
  return undefined;
}

export function argoKustomize(
  kustomize: Plain,
  appPath: string,
  findings: Findings,
): KustomizeOptions | undefined {
  if (!written(kustomize)) return undefined;
  for (const [key, why] of Object.entries(REFUSED))
    if (written(kustomize[key])) findings.notSupported(`${FIELD}.${key} (${why})`);
  for (const key of Object.keys(kustomize))
    if (!APPLIED.includes(key) && !(key in REFUSED) && written(kustomize[key]))
      findings.notSupported(`${FIELD}.${key}`);
  const out: KustomizeOptions = {};
  const str = (key: string): string | undefined => {
    const v = kustomize[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') findings.bad(`${FIELD}.${key}: expected a string`);
    return text(v);
  };
  const prefix = str('namePrefix');
  if (prefix !== undefined) {
    if (PREFIX.test(prefix)) out.namePrefix = prefix;
    else
      findings.bad(
        `${FIELD}.namePrefix: expected lowercase letters, digits, "-" and "." starting with a letter or digit (at most 63), got ${said(prefix)}`,
      );
  }
  const suffix = str('nameSuffix');
  if (suffix !== undefined) {
    if (SUFFIX.test(suffix)) out.nameSuffix = suffix;
    else
      findings.bad(
        `${FIELD}.nameSuffix: expected lowercase letters, digits, "-" and "." ending with a letter or digit (at most 63), got ${said(suffix)}`,
      );
  }
  const namespace = str('namespace');
  if (namespace !== undefined) out.namespace = appNamespace(namespace, `${FIELD}.namespace`, findings);
  const images = readImages(kustomize.images, appPath, findings);
  if (images.length) out.images = images;
  const replicas = readReplicas(kustomize.replicas, findings);
  if (replicas.length) out.replicas = replicas;
  const labels = readPairs(kustomize.commonLabels, 'commonLabels', appPath, findings);
  if (labels) out.commonLabels = labels;
  const annotations = readPairs(kustomize.commonAnnotations, 'commonAnnotations', appPath, findings);
  if (annotations) out.commonAnnotations = annotations;
  for (const key of [
    'forceCommonLabels',
    'forceCommonAnnotations',
    'commonAnnotationsEnvsubst',
    'labelWithoutSelector',
    'labelIncludeTemplates',
    'ignoreMissingComponents',
  ] as const) {
    const v = kustomize[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean') findings.bad(`${FIELD}.${key}: expected true or false`);
    else if (v) out[key] = true;
  }
  const patches = readPatches(kustomize.patches, appPath, findings);
  if (patches.length) out.patches = patches;
  const components = readComponents(kustomize.components, appPath, findings);
  if (components.length) out.components = components;
  return out;
}

function readImages(raw: unknown, appPath: string, findings: Findings): string[] {
  const out: string[] = [];
  for (const [i, item] of list(raw).entries()) {
    const field = `${FIELD}.images[${i}]`;
    const image = text(item);
    const sample = image === undefined ? undefined : withSampleEnv(image, appPath, field, findings);
    if (sample === null) continue;
    if (image !== undefined && sample !== undefined && isImageArg(sample)) out.push(image);
    else
      findings.bad(
        `${field}: expected ${IMAGE_EXPECTED}, got ${image === undefined ? 'no string' : said(image)}`,
      );
  }
  return out;
}

/**
 * A value naming Argo CD's build environment, with sample values in (a revision, the app path) to check its shape
 * now; null when it names a variable driftdeck cannot set (noted in findings). Checked again when rendered.
 */
function withSampleEnv(value: string, appPath: string, field: string, findings: Findings): string | null {
  if (!value.includes('$')) return value;
  const sample = { name: 'app', namespace: 'default', path: appPath } as AppSpec;
  const done = envsubst(value, buildEnv(sample, '0123456789abcdef0123456789abcdef01234567'));
  if (done.ok) return done.value;
  findings.notSupported(`${field} ($${done.name}: Argo CD sets it, driftdeck cannot know it)`);
  return null;
}

function readReplicas(raw: unknown, findings: Findings): Array<{ name: string; count: number }> {
  const out: Array<{ name: string; count: number }> = [];
  for (const [i, item] of list(raw).entries()) {
    const field = `${FIELD}.replicas[${i}]`;
    const r = obj(item);
    const name = text(r.name) ?? '';
    // Argo CD takes the count as a number or a string of digits.
    const count = typeof r.count === 'string' && /^\d{1,9}$/.test(r.count) ? Number(r.count) : r.count;
    if (!isDns1123Subdomain(name)) findings.bad(`${field}.name: expected an object name, got ${said(name)}`);
    else if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 2 ** 31 - 1)
      findings.bad(`${field}.count: expected a whole number of replicas, at least 0`);
    else out.push({ name, count });
  }
  return out;
}

function readPairs(
  raw: unknown,
  field: 'commonLabels' | 'commonAnnotations',
  appPath: string,
  findings: Findings,
): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlain(raw)) {
    findings.bad(`${FIELD}.${field}: expected a mapping of keys to strings`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const at = `${FIELD}.${field}.${said(key)}`;
    const problem = keyProblem(key);
    if (problem) findings.bad(`${FIELD}.${field}: ${problem}`);
    else if (typeof value !== 'string') findings.bad(`${at}: expected a string (quote numbers and booleans)`);
    else if (field === 'commonAnnotations') out[key] = value;
    else {
      const sample = withSampleEnv(value, appPath, at, findings);
      if (sample === null) continue;
      if (isLabelValue(sample)) out[key] = value;
      else findings.bad(`${at}: expected ${LABEL_VALUE_EXPECTED}, got ${said(value)}`);
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function readPatches(raw: unknown, appPath: string, findings: Findings): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const [i, item] of list(raw).entries()) {
    const field = `${FIELD}.patches[${i}]`;
    if (!isPlain(item)) {
      findings.bad(`${field}: expected a mapping with path or patch`);
      continue;
    }
    findings.refuse(
      item,
      field,
      Object.keys(item).filter((k) => !PATCH_KEYS.includes(k)),
    );
    const patch: Record<string, unknown> = {};
    const path = item.path === undefined ? undefined : text(item.path);
    const inline = item.patch === undefined ? undefined : text(item.patch);
    if ((item.path !== undefined && path === undefined) || (item.patch !== undefined && inline === undefined))
      findings.bad(`${field}: path and patch must be strings`);
    if (!path === !inline) findings.bad(`${field}: expected exactly one of path and patch`);
    // Relative to the app's kustomization, as kustomize reads it; confined again against the checkout.
    if (path && repoPath(appPath === '.' ? path : `${appPath}/${path}`, `${field}.path`, findings))
      patch.path = path;
    if (inline) patch.patch = inline;
    if (item.target !== undefined) {
      const target = obj(item.target);
      const kept: Record<string, string> = {};
      for (const [key, value] of Object.entries(target)) {
        if (!TARGET_KEYS.includes(key)) findings.notSupported(`${field}.target.${key}`);
        else if (typeof value !== 'string') findings.bad(`${field}.target.${key}: expected a string`);
        else kept[key] = value;
      }
      patch.target = kept;
    }
    if (item.options !== undefined) {
      const kept: Record<string, boolean> = {};
      for (const [key, value] of Object.entries(obj(item.options))) {
        if (!PATCH_OPTIONS.includes(key)) findings.notSupported(`${field}.options.${key}`);
        else if (typeof value !== 'boolean') findings.bad(`${field}.options.${key}: expected true or false`);
        else kept[key] = value;
      }
      patch.options = kept;
    }
    out.push(patch);
  }
  return out;
}

function readComponents(raw: unknown, appPath: string, findings: Findings): string[] {
  const out: string[] = [];
  for (const [i, item] of list(raw).entries()) {
    const field = `${FIELD}.components[${i}]`;
    const component = text(item);
    if (!component) {
      findings.bad(`${field}: expected a folder relative to the app path`);
      continue;
    }
    // A remote component is read as a kustomization's would be; a local one must stay inside the repository.
    const kind = kustomizeEntryKind(component);
    if (kind === 'local-git' || /^(git::)?file:/i.test(component))
      findings.bad(`${field}: a file:// URL makes kustomize clone a Git repository from this machine`);
    else if (kind === 'remote') out.push(component);
    else if (repoPath(appPath === '.' ? component : `${appPath}/${component}`, field, findings))
      out.push(component);
  }
  return out;
}
