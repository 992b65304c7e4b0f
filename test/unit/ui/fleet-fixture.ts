// A fleet for UI tests: the fixture shop spread over three clusters as `--context kind-prod,kind-stage,kind-dev`
// opens them. prod holds backend and cart, stage (read-only) frontend and search, dev (connection lost) billing.
import type { AppState, ClusterState, Snapshot } from '../../../source/engine/types.js';
import { ago, fixtureSnapshot } from './fixture-snapshot.js';

export const LOST_MESSAGE = 'dial tcp 10.0.0.9:6443: connect: connection refused; retry in 8s';

export function cluster(name: string, extra: Partial<ClusterState> = {}): ClusterState {
  return {
    name,
    loop: { lastPoll: ago(3), watching: 10, connection: 'connected' },
    readonly: false,
    apps: 0,
    ...extra,
  };
}

function copy(app: AppState, name: string, clusterName: string, extra: Partial<AppState> = {}): AppState {
  return { ...app, name, spec: { ...app.spec, name, cluster: clusterName }, cluster: clusterName, ...extra };
}

export function fleetSnapshot(): Snapshot {
  const base = fixtureSnapshot();
  const [backend, frontend, cart] = base.apps as [AppState, AppState, AppState];
  // Snapshot order interleaves the clusters, as a merge of three loops' snapshots may.
  const apps = [
    copy(backend, 'backend', 'kind-prod'),
    copy(frontend, 'frontend', 'kind-stage'),
    copy(cart, 'cart', 'kind-prod'),
    copy(frontend, 'billing', 'kind-dev', { health: { status: 'Degraded' } }),
    copy(frontend, 'search', 'kind-stage'),
  ];
  return {
    ...base,
    context: 'kind-prod',
    apps,
    clusters: [
      cluster('kind-prod', { apps: 2 }),
      cluster('kind-stage', {
        apps: 2,
        readonly: true,
        readonlyReason: 'context kind-stage is marked read-only',
      }),
      cluster('kind-dev', {
        apps: 1,
        loop: { watching: 0, connection: 'lost', connectionMessage: LOST_MESSAGE },
      }),
    ],
  };
}
