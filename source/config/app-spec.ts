import { isMap } from 'yaml';
import type { AppSpec, IgnoreRule, RendererOptions, SyncPolicy } from '../engine/types.js';
import { readJsonnet } from './jsonnet-spec.js';
import { appNamespaceProblem, type PolicyRules, readPolicy, resolvePolicy } from './policy-spec.js';
import { checkRepoPath } from './repo-path.js';
import {
  APP_KEYS,
  CLUSTER_NAME_EXPECTED,
  clusterNameProblem,
  DNS_LABEL_EXPECTED,
  fieldManagerProblem,
  IGNORE_KEYS,
  isDnsLabel,
  isReleaseName,
  jqExpressionProblem,
  jsonPointerProblem,
  RELEASE_NAME_EXPECTED,
  RENDERER_KEYS,
  RENDERER_TYPES,
  SYNC_KEYS,
} from './schema.js';
import { type Entry, isEmpty, type YamlReader } from './yaml-reader.js';

const RENDERER_EXPECTED = `one of ${RENDERER_TYPES.join(', ')}`;

export function dnsLabelProblem(value: string): string | undefined {
  return isDnsLabel(value) ? undefined : `expected ${DNS_LABEL_EXPECTED}, got ${JSON.stringify(value)}`;
}

/** One item of `apps`, or undefined when it has errors (all of them reported to the reader). */
export function readApp(r: YamlReader, entry: Entry, defaults?: PolicyRules): AppSpec | undefined {
  const before = r.errors.length;
  const fields = r.mapping(entry, APP_KEYS, 'an app (a mapping with name, path and namespace)');
  if (!fields) return undefined;
  const label = (key: string) => {
    const e = r.field(fields, key, entry);
    const value = r.string(e, true, DNS_LABEL_EXPECTED);
    const problem = value === undefined ? undefined : dnsLabelProblem(value);
    if (problem) r.error(e, problem);
    return value;
  };
  const name = label('name');
  const pathEntry = r.field(fields, 'path', entry);
  const rawPath = r.string(pathEntry, true, 'a folder relative to the repository root');
  const path = rawPath === undefined ? undefined : checkRepoPath(rawPath);
  if (path && !path.ok) r.error(pathEntry, path.problem);
  const namespaceEntry = r.field(fields, 'namespace', entry);
  const namespace = label('namespace');
  const policy = resolvePolicy(defaults, readPolicy(r, r.field(fields, 'policy', entry)));
  const namespaceProblem = namespace === undefined ? undefined : appNamespaceProblem(namespace, policy);
  if (namespaceProblem) r.error(namespaceEntry, namespaceProblem);
  const clusterEntry = r.field(fields, 'cluster', entry);
  const cluster = r.string(clusterEntry, false, CLUSTER_NAME_EXPECTED);
  const clusterProblem = cluster === undefined ? undefined : clusterNameProblem(cluster);
  if (clusterProblem) r.error(clusterEntry, clusterProblem);
  const renderer = readRenderer(r, r.field(fields, 'renderer', entry), path?.ok ? path.path : '.');
  const sync = readSync(r, r.field(fields, 'sync', entry));
  const ignore = readIgnore(r, r.field(fields, 'ignore', entry));
  if (r.errors.length > before || !name || !path?.ok || !namespace) return undefined;
  return {
    name,
    path: path.path,
    namespace,
    renderer,
    sync,
    ignore,
    ...(policy ? { policy } : {}),
    ...(cluster !== undefined ? { cluster } : {}),
  };
}

function readRenderer(r: YamlReader, entry: Entry, appPath: string): RendererOptions {
  if (entry.missing || isEmpty(entry.node)) return { type: 'auto' };
  if (!isMap(entry.node)) {
    const type = r.string(entry, false, RENDERER_EXPECTED);
    return { type: rendererType(r, entry, type) };
  }
  const fields = r.mapping(entry, RENDERER_KEYS, `${RENDERER_EXPECTED}, or a mapping with type and options`);
  if (!fields) return { type: 'auto' };
  const typeEntry = r.field(fields, 'type', entry);
  const type = rendererType(r, typeEntry, r.string(typeEntry, false, RENDERER_EXPECTED));
  const out: RendererOptions = { type };
  const onlyFor = (key: string, allowed: string[]) => {
    const e = fields.get(key);
    if (!e || allowed.includes(type)) return;
    r.error(
      e,
      `only applies to the ${allowed[0]} renderer; remove it or set type: ${allowed[0]} (type is ${type})`,
    );
  };
  onlyFor('releaseName', ['helm', 'auto']);
  onlyFor('valueFiles', ['helm', 'auto']);
  onlyFor('values', ['helm', 'auto']);
  onlyFor('recurse', ['directory', 'auto']);
  onlyFor('jsonnet', ['directory', 'auto']);

  const releaseEntry = r.field(fields, 'releaseName', entry);
  const releaseName = r.string(releaseEntry, false, RELEASE_NAME_EXPECTED);
  if (releaseName !== undefined && !isReleaseName(releaseName)) {
    r.error(releaseEntry, `expected ${RELEASE_NAME_EXPECTED}, got ${JSON.stringify(releaseName)}`);
  }
  const valueFiles: string[] = [];
  const list = r.list(r.field(fields, 'valueFiles', entry), false, 'a list of values files');
  for (const item of list ?? []) {
    const raw = r.string(item, true, 'a values file path relative to the app path');
    if (raw === undefined) continue;
    const checked = checkRepoPath(raw, appPath);
    if (checked.ok) valueFiles.push(checked.path);
    else r.error(item, checked.problem);
  }
  const values = r.plainMapping(r.field(fields, 'values', entry), 'a mapping of Helm values');
  if (releaseName !== undefined || list !== undefined || values !== undefined) {
    out.helm = { valueFiles };
    if (releaseName !== undefined) out.helm.releaseName = releaseName;
    if (values !== undefined) out.helm.values = values;
  }
  const recurse = r.boolean(r.field(fields, 'recurse', entry));
  if (recurse !== undefined) out.recurse = recurse;
  const jsonnet = readJsonnet(r, r.field(fields, 'jsonnet', entry));
  if (jsonnet) out.jsonnet = jsonnet;
  return out;
}

function rendererType(r: YamlReader, entry: Entry, value: string | undefined): RendererOptions['type'] {
  if (value === undefined) return 'auto';
  if ((RENDERER_TYPES as readonly string[]).includes(value)) return value as RendererOptions['type'];
  r.error(entry, `expected ${RENDERER_EXPECTED}, got ${JSON.stringify(value)}`);
  return 'auto';
}

function readSync(r: YamlReader, entry: Entry): SyncPolicy {
  const sync: SyncPolicy = { auto: false, prune: false, selfHeal: false };
  if (entry.missing || isEmpty(entry.node)) return sync;
  const fields = r.mapping(entry, SYNC_KEYS, 'a mapping with auto, prune and selfHeal');
  if (!fields) return sync;
  for (const key of SYNC_KEYS) sync[key] = r.boolean(r.field(fields, key, entry)) ?? false;
  return sync;
}

function readIgnore(r: YamlReader, entry: Entry): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const expected = 'an ignore rule (a mapping with jsonPointers, jqPathExpressions or managedFieldsManagers)';
  for (const item of r.list(entry, false, 'a list of ignore rules') ?? []) {
    const fields = r.mapping(item, IGNORE_KEYS, expected);
    if (!fields) continue;
    const rule: IgnoreRule = { jsonPointers: [] };
    for (const key of ['group', 'kind', 'namespace', 'name'] as const) {
      const value = r.string(r.field(fields, key, item), false);
      if (value !== undefined) rule[key] = value;
    }
    const strings = (
      key: string,
      what: string,
      one: string,
      problemOf: (value: string) => string | undefined,
    ) => {
      const listEntry = r.field(fields, key, item);
      const items = r.list(listEntry, false, `a list of ${what}`);
      if (items?.length === 0)
        r.error(listEntry, `expected at least ${one.replace(/^an? /, 'one ')}, got an empty list`);
      const out: string[] = [];
      for (const e of items ?? []) {
        const value = r.string(e, true, one);
        const problem = value === undefined ? undefined : problemOf(value);
        if (problem) r.error(e, `${problem}, got ${JSON.stringify(value)}`);
        else if (value !== undefined) out.push(value);
      }
      return { out, written: !listEntry.missing };
    };
    const pointers = strings(
      'jsonPointers',
      'JSON pointers such as /spec/replicas',
      'a JSON pointer',
      jsonPointerProblem,
    );
    const jq = strings(
      'jqPathExpressions',
      'jq path expressions such as .spec.replicas',
      'a jq path expression such as .spec.replicas',
      jqExpressionProblem,
    );
    const managers = strings(
      'managedFieldsManagers',
      'field manager names',
      'a field manager name such as kube-controller-manager',
      fieldManagerProblem,
    );
    rule.jsonPointers = pointers.out;
    if (jq.out.length) rule.jqPathExpressions = jq.out;
    if (managers.out.length) rule.managedFieldsManagers = managers.out;
    if (!pointers.written && !jq.written && !managers.written)
      r.error(item, 'expected jsonPointers, jqPathExpressions or managedFieldsManagers in an ignore rule');
    rules.push(rule);
  }
  return rules;
}
