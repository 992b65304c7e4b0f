// One page of a collection read now, for what the informer cache does not hold and is asked for only while a view
// is open (a resource tree's ReplicaSets and EndpointSlices, an object's events). Bounded by `limit` (one page, no
// continue) and by time: a view waits at most `timeoutMs`, whatever the server does.
import type { KubeObject } from '../engine/types.js';
import type { KubeConnection } from './client.js';
import { collectionPath, type ResourceInfo } from './discovery.js';
import { foreignItem } from './informer.js';

interface ObjectList {
  apiVersion?: string;
  kind?: string;
  items?: unknown[];
  metadata?: { continue?: string };
}

export const LIST_TIMEOUT_MS = 10_000;

export async function listOnce(
  conn: KubeConnection,
  info: ResourceInfo,
  namespace: string | undefined,
  opts: { limit: number; fieldSelector?: string; timeoutMs?: number },
): Promise<{ items: KubeObject[]; truncated: boolean; dropped: number }> {
  const path = collectionPath(info, namespace);
  const timeoutMs = opts.timeoutMs ?? LIST_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`listing ${info.kind} took longer than ${timeoutMs / 1000}s`)),
      timeoutMs,
    );
    timer.unref?.();
  });
  try {
    const page = await Promise.race([
      conn.raw.request<ObjectList>('GET', path, {
        query: { limit: Math.max(1, Math.floor(opts.limit)), fieldSelector: opts.fieldSelector },
      }),
      timeout,
    ]);
    const items: KubeObject[] = [];
    let dropped = 0;
    for (const item of Array.isArray(page?.items) ? page.items : []) {
      // What was not asked for is never passed on under the asked kind (see informer.ts foreignItem).
      if (foreignItem(info, namespace, item, page)) {
        dropped++;
        continue;
      }
      items.push({ ...(item as KubeObject), apiVersion: info.apiVersion, kind: info.kind });
    }
    return { items: items.slice(0, opts.limit), truncated: Boolean(page?.metadata?.continue), dropped };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
