// What the loop knows of each app's syncs: the sync-history ConfigMaps from the informer cache (asked for once
// directly, before the cache watches them), and the last sync this process made, shown until the cached history
// catches up with it. A malformed record is left out and said once in the log.
import { keyString } from '../engine/index.js';
import { type ClusterPort, historyConfigMapName, SYSTEM_NAMESPACE } from '../engine/ports.js';
import { historyRecords, type ParsedRecords } from '../engine/sync-records.js';
import type { KubeObject, RolloutEvent, SyncRecord } from '../engine/types.js';
import type { ClusterNotes } from './connection.js';
import { historyOf, withOwnRecord } from './targets.js';

export class AppRecords {
  /** The last sync this loop made per app. */
  private readonly own = new Map<string, SyncRecord>();
  /** Each app's records (newest first) as of its last comparison, for the auto-sync policy. */
  private readonly atComparison = new Map<string, SyncRecord[]>();
  private loaded = false;
  /** Each app's parsed history by the ConfigMap's resourceVersion: parsed again only when it changed. */
  private readonly parsed = new Map<string, { version: string; parsed: ParsedRecords }>();

  constructor(
    private readonly cluster: ClusterPort,
    private readonly notes: ClusterNotes,
    private readonly emit: (e: Omit<RolloutEvent, 'time'>) => void,
  ) {}

  get stateNamespace(): string {
    return this.cluster.stateNamespace ?? SYSTEM_NAMESPACE;
  }

  /**
   * Sync records of every app: from the cache once it watches them, asked for once before that. The history
   * ConfigMaps are picked out of the cache in one pass (found app by app, a fleet's 1,000 apps scanned 50,000
   * objects each), and a history already parsed at its resourceVersion is not parsed again.
   */
  async known(apps: readonly string[]): Promise<SyncRecord[]> {
    if (this.loaded) {
      const ns = this.stateNamespace;
      const histories = new Map<string, KubeObject>();
      for (const o of this.cluster.cached())
        if (o.kind === 'ConfigMap' && o.metadata.namespace === ns)
          histories.set(historyKey(o.metadata.name, ns), o);
      return apps.flatMap((app) => this.fromIndex((key) => histories.get(key), app));
    }
    this.loaded = true;
    const lists = await Promise.all(apps.map((app) => this.cluster.syncHistory(app).catch(() => [])));
    return lists.flat();
  }

  /**
   * An app's records for a comparison, newest first: the cached history, with this process's last sync in front
   * when it is newer; kept as the app's records until its next comparison.
   */
  compared(lookup: (key: string) => KubeObject | undefined, app: string): SyncRecord[] {
    const cached = this.fromIndex(lookup, app);
    const own = this.own.get(app);
    // Once the cluster's history holds this process's last sync, the record is the history's: a second copy of
    // every app's last sync (a resource list each) stayed here for good.
    if (own && cached.some((r) => r.startedAt === own.startedAt && r.by === own.by)) this.own.delete(app);
    const records = withOwnRecord(this.own.get(app), cached);
    this.atComparison.set(app, records);
    return records;
  }

  lastCompared(app: string): SyncRecord[] {
    return this.atComparison.get(app) ?? [];
  }

  /** An app no longer defined. */
  forget(app: string): void {
    this.atComparison.delete(app);
    this.parsed.delete(app);
  }

  remember(app: string, record: SyncRecord): void {
    this.own.set(app, record);
  }

  private fromIndex(lookup: (key: string) => KubeObject | undefined, app: string): SyncRecord[] {
    const cm = historyOf(lookup, app, this.stateNamespace);
    const version = cm ? `${cm.metadata.uid ?? ''}/${cm.metadata.resourceVersion ?? ''}` : '';
    let entry = this.parsed.get(app);
    if (!entry || entry.version !== version || !cm?.metadata.resourceVersion) {
      const source = `ConfigMap ${this.stateNamespace}/${historyConfigMapName(app)}`;
      entry = { version, parsed: historyRecords(cm, source) };
      this.parsed.set(app, entry);
    }
    for (const e of this.notes.badRecords(app, entry.parsed.problems)) this.emit(e);
    return entry.parsed.records;
  }
}

/** The cache key a history ConfigMap is found under (the live index's, for `historyOf`). */
const historyKey = (name: string, namespace: string) =>
  keyString({ group: '', kind: 'ConfigMap', namespace, name });
