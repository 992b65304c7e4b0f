// The `policy` of driftdeck.yaml, at the top (the default of every app) and per app (overriding it rule by rule).
import { DEFAULT_POLICY, destinationRefusal } from '../engine/policy.js';
import { SYSTEM_NAMESPACE } from '../engine/ports.js';
import type { AppPolicy } from '../engine/types.js';
import { CLUSTER_RESOURCE_KEYS, POLICY_KEYS } from './schema.js';
import { type Entry, isEmpty, type YamlReader } from './yaml-reader.js';

/** The rules one `policy` mapping writes, each with where it is written; a rule left out is inherited. */
export interface PolicyRules {
  destinations?: { value: string[]; at: string };
  clusterResources?: { value: AppPolicy['clusterResources']; at: string };
}

export const DESTINATION = /^!?[a-z0-9*?-]{1,63}$/;
export const DESTINATION_EXPECTED =
  'a namespace or a glob of namespaces (lowercase letters, digits, "-", "*" and "?"; a "!" in front refuses what it matches)';
export const GROUP = /^[a-z0-9.*?-]{0,253}$/;
export const GROUP_EXPECTED = 'an API group or a glob of groups ("" is the core group, "*" any group)';
export const KIND = /^[A-Za-z0-9*?]{1,63}$/;
export const KIND_EXPECTED = 'a kind or a glob of kinds (letters, digits, "*" and "?")';

export function readPolicy(r: YamlReader, entry: Entry): PolicyRules | undefined {
  if (entry.missing || isEmpty(entry.node)) return undefined;
  const fields = r.mapping(entry, POLICY_KEYS, 'a policy (a mapping with destinations and clusterResources)');
  if (!fields) return undefined;
  const rules: PolicyRules = {};
  const destinationsEntry = fields.get('destinations');
  if (destinationsEntry) {
    const value: string[] = [];
    for (const item of r.list(destinationsEntry, true, `a list of namespace globs`) ?? []) {
      const text = r.string(item, true, DESTINATION_EXPECTED);
      if (text === undefined) continue;
      if (DESTINATION.test(text)) value.push(text);
      else r.error(item, `expected ${DESTINATION_EXPECTED}, got ${JSON.stringify(text)}`);
    }
    rules.destinations = { value, at: r.where(destinationsEntry) };
  }
  const kindsEntry = fields.get('clusterResources');
  if (kindsEntry) {
    const value: AppPolicy['clusterResources'] = [];
    for (const item of r.list(kindsEntry, true, 'a list of cluster-scoped kinds ({group, kind})') ?? []) {
      const kindFields = r.mapping(item, CLUSTER_RESOURCE_KEYS, 'a mapping with group and kind');
      if (!kindFields) continue;
      const group = pattern(r, r.field(kindFields, 'group', item), GROUP, GROUP_EXPECTED);
      const kind = pattern(r, r.field(kindFields, 'kind', item), KIND, KIND_EXPECTED);
      if (group !== undefined && kind !== undefined) value.push({ group, kind });
    }
    rules.clusterResources = { value, at: r.where(kindsEntry) };
  }
  return rules;
}

/** A required string matching `shape` (the core group is written `""`). */
function pattern(r: YamlReader, entry: Entry, shape: RegExp, expected: string): string | undefined {
  const text = r.string(entry, true, expected);
  if (text === undefined) return undefined;
  if (shape.test(text)) return text;
  r.error(entry, `expected ${expected}, got ${JSON.stringify(text)}`);
  return undefined;
}

/** An app's policy: its own rules over the top-level ones; undefined when neither writes any (the default). */
export function resolvePolicy(
  defaults: PolicyRules | undefined,
  own: PolicyRules | undefined,
): AppPolicy | undefined {
  const destinations = own?.destinations ?? defaults?.destinations;
  const clusterResources = own?.clusterResources ?? defaults?.clusterResources;
  if (!destinations && !clusterResources) return undefined;
  const origin: NonNullable<AppPolicy['origin']> = {};
  if (destinations) origin.destinations = destinations.at;
  if (clusterResources) origin.clusterResources = clusterResources.at;
  return {
    destinations: destinations?.value ?? DEFAULT_POLICY.destinations,
    clusterResources: clusterResources?.value ?? DEFAULT_POLICY.clusterResources,
    origin,
  };
}

/** What is wrong with an app's own namespace under its policy, if anything. */
export function appNamespaceProblem(namespace: string, policy: AppPolicy | undefined): string | undefined {
  if (namespace === SYSTEM_NAMESPACE)
    return `${SYSTEM_NAMESPACE} is driftdeck's own namespace (its sync leases and history) and is refused to every app`;
  if (!policy) return undefined;
  const refused = destinationRefusal(policy.destinations, namespace);
  if (refused)
    return `namespace ${namespace} ${refused} for this app (${policy.origin?.destinations ?? 'the default policy'})`;
  for (const layer of policy.narrowedBy ?? []) {
    const narrowed = destinationRefusal(layer.destinations, namespace);
    if (narrowed) return `namespace ${namespace} ${narrowed} for this app (${layer.origin})`;
  }
  return undefined;
}
