// Sync history lives in the cluster (one ConfigMap per app), so every operator and the agent see the same record.
import { historyConfigMapName } from '../engine/ports.js';
import type { KubeObject, SyncRecord } from '../engine/types.js';
import { ApplyError } from './apply-error.js';
import type { KubeConnection } from './client.js';
import { apiFailure } from './errors.js';
import { getOrUndefined } from './http.js';
import { apiPath } from './paths.js';

const KEEP = 20;
/** A ConfigMap holds at most 1 MiB; stay well below it. */
const MAX_BYTES = 600 * 1024;

/**
 * The newest record keeps its resource list; older ones keep only their failures (their kinds stay listed). A
 * newest record too large on its own (thousands of resources) keeps its failures too.
 */
export function compact(records: SyncRecord[]): SyncRecord[] {
  const trim = (r: SyncRecord): SyncRecord => {
    const kept = r.resources.filter((x) => !x.ok);
    const omitted = (r.omitted ?? 0) + r.resources.length - kept.length;
    return { ...r, resources: kept, ...(omitted ? { omitted } : {}) };
  };
  const out = records.slice(0, KEEP).map((r, i) => (i === 0 ? r : trim(r)));
  if (out[0] && JSON.stringify(out).length > MAX_BYTES) out[0] = trim(out[0]);
  return out;
}

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export class SyncHistoryStore {
  constructor(
    private readonly conn: KubeConnection,
    private readonly namespace: string,
    private readonly count: () => void,
  ) {}

  private ref(app: string) {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: historyConfigMapName(app),
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'driftdeck', 'driftdeck.io/history-of': app },
      },
    };
  }

  private get collection() {
    return apiPath('api', 'v1', 'namespaces', this.namespace, 'configmaps');
  }

  private async readMap(app: string): Promise<ConfigMap | undefined> {
    this.count();
    return getOrUndefined<ConfigMap>(
      this.conn.raw,
      `${this.collection}${apiPath(historyConfigMapName(app))}`,
    ).catch((err: unknown) => {
      throw new ApplyError(apiFailure(err));
    });
  }

  /** Newest first. */
  async read(app: string): Promise<SyncRecord[]> {
    const cm = await this.readMap(app);
    try {
      return JSON.parse(cm?.data?.records ?? '[]') as SyncRecord[];
    } catch {
      return [];
    }
  }

  async append(record: SyncRecord): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const cm = await this.readMap(record.app);
      const records = compact([
        record,
        ...(cm ? (JSON.parse(cm.data?.records ?? '[]') as SyncRecord[]) : []),
      ]);
      const body = { ...this.ref(record.app), data: { records: JSON.stringify(records) } };
      this.count();
      try {
        if (cm)
          await this.conn.raw.request('PUT', `${this.collection}${apiPath(body.metadata.name)}`, {
            body: { ...body, metadata: { ...body.metadata, resourceVersion: cm.metadata.resourceVersion } },
          });
        else await this.conn.raw.request('POST', this.collection, { body });
        return;
      } catch (err) {
        const f = apiFailure(err);
        // Someone else wrote meanwhile: read again and retry, never overwrite their record.
        if (f.code !== 409) throw new ApplyError(f);
      }
    }
    throw new Error(`could not record the sync of ${record.app}: the history kept changing`);
  }
}
