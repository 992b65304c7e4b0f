import type { KubeConnection } from './client.js';
import { HttpError } from './http.js';
import { apiPath, checkNames, groupVersionPath, parseApiVersion } from './paths.js';

export interface ResourceInfo {
  apiVersion: string;
  kind: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  plural: string;
  namespaced: boolean;
}

interface ApiResourceList {
  resources: Array<{ name: string; kind: string; namespaced: boolean }>;
}

export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

/** The resources of a discovery answer; none when the answer is not an APIResourceList (a server or proxy oddity). */
function resourcesOf(answer: unknown): ApiResourceList['resources'] {
  const list = (answer as { resources?: unknown } | undefined)?.resources;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (r): r is ApiResourceList['resources'][number] =>
      typeof r?.name === 'string' && typeof r?.kind === 'string' && typeof r?.namespaced === 'boolean',
  );
}

/** Kind -> resource resolution: one discovery request per apiVersion, answered from memory afterwards. */
export class Discovery {
  private readonly lists = new Map<string, Promise<ApiResourceList | undefined>>();
  private readonly byGroupKind = new Map<string, ResourceInfo>();

  constructor(
    private readonly conn: KubeConnection,
    private readonly onRequest: () => void = () => {},
  ) {}

  private list(apiVersion: string): Promise<ApiResourceList | undefined> {
    let p = this.lists.get(apiVersion);
    if (!p) {
      this.onRequest();
      p = this.conn.raw
        .request<unknown>('GET', groupVersionPath(apiVersion))
        .then((answer) => ({ resources: resourcesOf(answer) }))
        .catch((err: unknown) => {
          // An apiVersion the server does not serve: the kind is unknown, not an outage.
          if (err instanceof HttpError && err.statusCode === 404) return undefined;
          this.lists.delete(apiVersion);
          throw err;
        });
      this.lists.set(apiVersion, p);
    }
    return p;
  }

  /**
   * The resource serving this kind, or undefined when the server has none. A malformed apiVersion (`apps/v1/x`) is
   * never sent: it has no resource either (KubeCluster.resolve says why, for that object alone).
   */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    if ('problem' in parseApiVersion(apiVersion)) return undefined;
    const list = await this.list(apiVersion);
    const r = list?.resources.find((x) => x.kind === kind && !x.name.includes('/'));
    if (!r) return undefined;
    const info = { apiVersion, kind, plural: r.name, namespaced: r.namespaced };
    this.byGroupKind.set(`${groupOf(apiVersion)}/${kind}`, info);
    return info;
  }

  /** From memory only: undefined when the kind was never resolved (or does not exist). */
  isNamespaced(group: string, kind: string): boolean | undefined {
    return this.byGroupKind.get(`${group}/${kind}`)?.namespaced;
  }

  /** Forget what one apiVersion serves (asked again on the next resolve). */
  forget(apiVersion: string): void {
    this.lists.delete(apiVersion);
    for (const [key, info] of this.byGroupKind)
      if (info.apiVersion === apiVersion) this.byGroupKind.delete(key);
  }

  /** Forget everything (a CRD was installed or removed; a hard refresh). */
  reset(): void {
    this.lists.clear();
    this.byGroupKind.clear();
  }
}

/** The collection's URL; throws a refusal for a namespace that is not a valid namespace name. */
export function collectionPath(info: ResourceInfo, namespace?: string): string {
  const base = groupVersionPath(info.apiVersion);
  if (info.namespaced && namespace) {
    checkNames(info.kind, namespace);
    return `${base}${apiPath('namespaces', namespace, info.plural)}`;
  }
  return `${base}${apiPath(info.plural)}`;
}

/** The object's URL; throws a refusal naming the object when its namespace or name is not a valid name. */
export function objectPath(info: ResourceInfo, namespace: string | undefined, name: string): string {
  checkNames(info.kind, info.namespaced ? namespace : undefined, name);
  return `${collectionPath(info, namespace)}${apiPath(name)}`;
}
