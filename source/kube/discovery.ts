import type { KubeConnection } from './client.js';
import { HttpError } from './http.js';

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
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.conn.raw.request<ApiResourceList>('GET', path).catch((err: unknown) => {
        // An apiVersion the server does not serve: the kind is unknown, not an outage.
        if (err instanceof HttpError && err.statusCode === 404) return undefined;
        this.lists.delete(apiVersion);
        throw err;
      });
      this.lists.set(apiVersion, p);
    }
    return p;
  }

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
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

  /** Forget everything (a CRD was installed or removed; a hard refresh). */
  reset(): void {
    this.lists.clear();
    this.byGroupKind.clear();
  }
}

export function collectionPath(info: ResourceInfo, namespace?: string): string {
  const base = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  return info.namespaced && namespace
    ? `${base}/namespaces/${namespace}/${info.plural}`
    : `${base}/${info.plural}`;
}

export function objectPath(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${collectionPath(info, namespace)}/${encodeURIComponent(name)}`;
}
