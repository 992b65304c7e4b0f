// The agent's Prometheus metrics, with prom-client (the text format is its business, not ours). Everything is read
// from what the loop already publishes: app sync and health from the snapshot, syncs from each app's newest sync
// record (counted once, when it first appears), API requests from the cluster adapter's counter, and Git polls
// through a timing wrapper around the Git port. Nothing here asks the cluster or Git for anything.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { GitPort } from '../engine/ports.js';
import { HEALTH_ORDER, type Snapshot, type SyncRecord } from '../engine/types.js';

const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown', 'Error', 'Unmanaged'] as const;

export interface MetricsSource {
  getSnapshot(): Snapshot;
  subscribe(listener: () => void): () => void;
  /** API requests made so far by the cluster adapter. */
  requests(): number;
}

export class AgentMetrics {
  readonly registry = new Registry();
  private readonly syncs: Counter<'app' | 'result'>;
  private readonly syncSeconds: Histogram<'app' | 'result'>;
  private readonly pollSeconds: Histogram<'result'>;
  private readonly pollErrors: Counter;
  private readonly webhooks: Counter<'forge' | 'result'>;
  private readonly idleCollections: Counter;
  /** The newest sync record counted per app (its start and end), so a record is counted once. */
  private readonly counted = new Map<string, string>();
  private unsubscribe?: () => void;

  constructor(private readonly source: MetricsSource) {
    const registers = [this.registry];
    // The process's own: resident memory, heap used and allocated, CPU, event loop lag, open handles.
    collectDefaultMetrics({ register: this.registry });
    const snapshot = () => source.getSnapshot();
    new Gauge({
      name: 'driftdeck_app_sync_status',
      help: 'Sync status of each app: 1 for its current status, 0 for the others',
      labelNames: ['app', 'status'] as const,
      registers,
      collect() {
        this.reset();
        for (const app of snapshot().apps)
          for (const status of SYNC_STATUSES)
            this.set({ app: app.name, status }, app.sync === status ? 1 : 0);
      },
    });
    new Gauge({
      name: 'driftdeck_app_health_status',
      help: 'Health of each app: 1 for its current status, 0 for the others',
      labelNames: ['app', 'status'] as const,
      registers,
      collect() {
        this.reset();
        for (const app of snapshot().apps)
          for (const status of HEALTH_ORDER)
            this.set({ app: app.name, status }, app.health.status === status ? 1 : 0);
      },
    });
    new Gauge({
      name: 'driftdeck_app_syncing',
      help: 'Apps a sync is running for now (by this agent or anyone holding the app lease)',
      labelNames: ['app'] as const,
      registers,
      collect() {
        this.reset();
        for (const app of snapshot().apps) this.set({ app: app.name }, app.operation ? 1 : 0);
      },
    });
    new Gauge({
      name: 'driftdeck_agents_live',
      help: 'Agent replicas whose heartbeat Lease has not expired, this one included',
      registers,
      collect() {
        this.set(snapshot().agents?.live ?? 0);
      },
    });
    new Gauge({
      name: 'driftdeck_agent_apps_owned',
      help: 'Apps whose owner Lease this agent holds: the apps it auto-syncs and self-heals',
      registers,
      collect() {
        const snap = snapshot();
        const self = snap.agents?.self;
        this.set(self ? snap.apps.filter((a) => a.owner === self).length : 0);
      },
    });
    new Gauge({
      name: 'driftdeck_app_owned',
      help: 'Each app: 1 when this agent holds its owner Lease, 0 when another agent or no one does',
      labelNames: ['app'] as const,
      registers,
      collect() {
        this.reset();
        const snap = snapshot();
        for (const app of snap.apps)
          this.set({ app: app.name }, app.owner !== undefined && app.owner === snap.agents?.self ? 1 : 0);
      },
    });
    new Counter({
      name: 'driftdeck_api_requests_total',
      help: 'Requests made to the Kubernetes API server (list, watch, get, apply, delete...)',
      registers,
      collect() {
        this.reset();
        this.inc(source.requests());
      },
    });
    this.syncs = new Counter({
      name: 'driftdeck_syncs_total',
      help: 'Syncs that finished, by app and result',
      labelNames: ['app', 'result'] as const,
      registers,
    });
    this.syncSeconds = new Histogram({
      name: 'driftdeck_sync_duration_seconds',
      help: 'How long syncs took, by app and result',
      labelNames: ['app', 'result'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.pollSeconds = new Histogram({
      name: 'driftdeck_git_poll_duration_seconds',
      help: 'How long asking the Git remote for the branch head took',
      labelNames: ['result'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.pollErrors = new Counter({
      name: 'driftdeck_git_poll_errors_total',
      help: 'Git polls that failed (remote unreachable, refused, timed out)',
      registers,
    });
    this.webhooks = new Counter({
      name: 'driftdeck_webhook_requests_total',
      help: 'Requests to /api/webhook by forge and result (accepted, ignored, unauthorized, replayed, too_large...)',
      labelNames: ['forge', 'result'] as const,
      registers,
    });
    this.idleCollections = new Counter({
      name: 'driftdeck_idle_collections_total',
      help: 'Full garbage collections asked for when the agent went quiet after its start or a spell of syncs',
      registers,
    });
  }

  /** One webhook request answered; the labels are the receiver's own words, never the request's. */
  /** One full collection asked for when the agent went quiet (agent/idle-collect.ts). */
  countIdleCollection(): void {
    this.idleCollections.inc();
  }

  countWebhook(forge: string, result: string): void {
    this.webhooks.inc({ forge, result });
  }

  /** Starts counting syncs from the snapshots. Records already there at start are history, not counted. */
  start(): void {
    for (const app of this.source.getSnapshot().apps)
      if (app.lastSync) this.counted.set(app.name, recordId(app.lastSync));
    this.unsubscribe = this.source.subscribe(() => this.countSyncs());
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private countSyncs(): void {
    for (const app of this.source.getSnapshot().apps) {
      const record = app.lastSync;
      if (!record || this.counted.get(app.name) === recordId(record)) continue;
      this.counted.set(app.name, recordId(record));
      const labels = { app: app.name, result: record.result };
      this.syncs.inc(labels);
      const seconds = (Date.parse(record.finishedAt) - Date.parse(record.startedAt)) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0) this.syncSeconds.observe(labels, seconds);
    }
  }

  /** The Git port with each poll timed and its failures counted. */
  timedGit(git: GitPort): GitPort {
    const poll = async () => {
      const end = this.pollSeconds.startTimer();
      try {
        const answer = await git.poll();
        end({ result: 'ok' });
        return answer;
      } catch (err) {
        end({ result: 'error' });
        this.pollErrors.inc();
        throw err;
      }
    };
    return new Proxy(git, {
      get: (target, prop, receiver) => {
        if (prop === 'poll') return poll;
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

const recordId = (r: SyncRecord) => `${r.startedAt}|${r.finishedAt}|${r.by}`;
