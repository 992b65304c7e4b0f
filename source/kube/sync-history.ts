// Sync history lives in the cluster (one ConfigMap per app), so every operator and the agent see the same record.
import { historyConfigMapName } from '../engine/ports.js';
import { parseSyncRecords, withoutRecordsText } from '../engine/sync-records.js';
import type { KubeObject, SyncRecord } from '../engine/types.js';
import { ApplyError } from './apply-error.js';
import type { KubeConnection } from './client.js';
import { apiFailure } from './errors.js';
import { compact } from './history-budget.js';
import { getOrUndefined } from './http.js';
import { apiPath } from './paths.js';

export { compact };

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const HISTORY_OF = 'driftdeck.io/history-of';

/**
 * What the informer cache keeps of an app's history ConfigMap in the state namespace: its records parsed, without
 * the text (engine/sync-records.ts `historyRecords` answers them). Any other object, a ConfigMap elsewhere with the
 * same label (an app may render one) included, is kept as it is.
 */
export function cachedHistory(obj: KubeObject, stateNamespace: string | undefined): KubeObject {
  const app = obj.metadata?.labels?.[HISTORY_OF];
  if (
    stateNamespace === undefined ||
    obj.kind !== 'ConfigMap' ||
    obj.apiVersion !== 'v1' ||
    typeof app !== 'string' ||
    obj.metadata.namespace !== stateNamespace ||
    obj.metadata.name !== historyConfigMapName(app) ||
    typeof (obj as ConfigMap).data?.records !== 'string'
  )
    return obj;
  return withoutRecordsText(obj as ConfigMap);
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
        labels: { 'app.kubernetes.io/managed-by': 'driftdeck', [HISTORY_OF]: app },
      },
    };
  }

  private get collection() {
    return apiPath('api', 'v1', 'namespaces', this.namespace, 'configmaps');
  }

  private path(app: string) {
    return `${this.collection}${apiPath(historyConfigMapName(app))}`;
  }

  private parse(app: string, cm: ConfigMap | undefined) {
    return parseSyncRecords(cm?.data?.records, `ConfigMap ${this.namespace}/${historyConfigMapName(app)}`);
  }

  private async readMap(app: string): Promise<ConfigMap | undefined> {
    this.count();
    return getOrUndefined<ConfigMap>(this.conn.raw, this.path(app)).catch((err: unknown) => {
      throw new ApplyError(apiFailure(err));
    });
  }

  /** Newest first; records that are not well-formed are left out (the loop reports them from its cache). */
  async read(app: string): Promise<SyncRecord[]> {
    return this.parse(app, await this.readMap(app)).records;
  }

  async append(record: SyncRecord): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const cm = await this.readMap(record.app);
      // A malformed stored record is dropped here: it was reported when read, and must not block recording.
      const records = compact([record, ...this.parse(record.app, cm).records]);
      const body = { ...this.ref(record.app), data: { records: JSON.stringify(records) } };
      this.count();
      try {
        if (cm)
          await this.conn.raw.request('PUT', this.path(record.app), {
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
