// Which app renders which object. An object belongs to one app: two apps rendering one key would take turns
// overwriting it, and the first to drop it would prune it from under the other (with a Namespace, everything the
// other app keeps in it). So a key rendered by two apps is refused for both, and a prune candidate that another app
// renders, or a Namespace another app renders objects into, is kept.
import { keyOf, keyString, manifestKeys, parseKeyString } from './keys.js';
import { appLabelOf } from './ownership.js';
import type { KubeObject, LocatedError, RenderedManifest, ResourceKey, SourceLocation } from './types.js';

export interface Claim {
  app: string;
  source: SourceLocation;
}

export interface ClaimIndex {
  /** Apps rendering each key (key string), in the order the apps are listed. */
  byKey: Map<string, Claim[]>;
  /** Apps rendering objects into each namespace. */
  byNamespace: Map<string, Set<string>>;
  /** Apps whose marked objects live in each namespace (see withLiveObjects). */
  liveByNamespace?: Map<string, Set<string>>;
}

/**
 * Adds the apps whose mark live objects carry, by namespace: a Namespace holding another app's objects is kept even
 * when that app cannot render now (a broken commit, a chart that fails), since deleting it deletes them.
 */
export function withLiveObjects(index: ClaimIndex, live: Iterable<KubeObject>): ClaimIndex {
  const liveByNamespace = new Map<string, Set<string>>();
  addLiveUsers(liveByNamespace, live);
  return { ...index, liveByNamespace };
}

/** Adds the apps whose mark these live objects carry to `byNamespace` (see withLiveObjects). */
export function addLiveUsers(byNamespace: Map<string, Set<string>>, live: Iterable<KubeObject>): void {
  for (const o of live) {
    const app = appLabelOf(o);
    const ns = o.metadata?.namespace;
    if (!app || !ns) continue;
    const users = byNamespace.get(ns) ?? new Set<string>();
    users.add(app);
    byNamespace.set(ns, users);
  }
}

/** Indexes what each app renders now (namespaces defaulted); a list may be an app's last good render. */
export function claimIndex(apps: Array<{ app: string; desired: RenderedManifest[] }>): ClaimIndex {
  const byKey = new Map<string, Claim[]>();
  const byNamespace = new Map<string, Set<string>>();
  for (const { app, desired } of apps) {
    const ids = manifestKeys(desired);
    for (const [i, m] of desired.entries()) {
      const key = keyOf(m.object);
      const id = ids[i]!;
      const claims = byKey.get(id) ?? [];
      // Twice in one app is the app's own error (reconcile reports it with both places).
      if (!claims.some((c) => c.app === app)) claims.push({ app, source: m.source });
      byKey.set(id, claims);
      if (key.namespace) {
        const users = byNamespace.get(key.namespace) ?? new Set<string>();
        users.add(app);
        byNamespace.set(key.namespace, users);
      }
    }
  }
  return { byKey, byNamespace };
}

const where = (c: Claim) => `${c.app} (${c.source.file}:${c.source.line})`;

function label(key: ResourceKey): string {
  return `${key.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}

/**
 * For each app that renders a key another app renders too, one error at its own file and line naming every app
 * and place; the others are counted. Apps without such a key are absent.
 */
export function sharedKeyErrors(index: ClaimIndex): Map<string, LocatedError> {
  const found = new Map<string, LocatedError[]>();
  for (const [id, claims] of index.byKey) {
    if (claims.length < 2) continue;
    const key = parseKeyString(id);
    const message = `${key ? label(key) : id} is rendered by ${claims.length} apps: ${claims.map(where).join(' and ')}; an object belongs to one app, remove it from all but one`;
    for (const c of claims) {
      const list = found.get(c.app) ?? [];
      list.push({ message, file: c.source.file, line: c.source.line });
      found.set(c.app, list);
    }
  }
  const out = new Map<string, LocatedError>();
  for (const [app, [first, ...rest]] of found) {
    if (!first) continue;
    out.set(
      app,
      rest.length
        ? { ...first, message: `${first.message} (and ${rest.length} more shared object(s))` }
        : first,
    );
  }
  return out;
}

/**
 * Why `app` must not prune the object under `key` though it carries the app's mark: another app renders it, or it
 * is a Namespace another app renders objects into. Undefined when nothing else needs it.
 */
export function pruneKeptFor(
  index: ClaimIndex | undefined,
  app: string,
  key: ResourceKey,
): string | undefined {
  if (!index) return undefined;
  const others = (index.byKey.get(keyString(key)) ?? []).filter((c) => c.app !== app);
  if (others.length) return `kept: rendered by app ${others.map(where).join(' and ')}`;
  if (key.group === '' && key.kind === 'Namespace') {
    const users = [...(index.byNamespace.get(key.name) ?? [])].filter((a) => a !== app);
    if (users.length) return `kept: app ${users.join(', ')} renders objects in this namespace`;
    const holders = [...(index.liveByNamespace?.get(key.name) ?? [])].filter((a) => a !== app);
    if (holders.length) return `kept: it holds objects of app ${holders.join(', ')}`;
  }
  return undefined;
}
