// The header: where the console points (context, repo, branch, head commit), how fresh its view is (last poll,
// objects watched, connection state) and a READ-ONLY badge that stays visible even at 80 columns. In a fleet it
// names every cluster with its connection state on the first line, and says why a lost one is lost on the second.
import type { ClusterState, Snapshot } from '../../engine/types.js';
import { CONNECTION_TONES, CONNECTION_WORDS } from './app-groups.js';
import { age } from './format.js';
import { type Line, seg } from './line.js';

/** `narrowed`: the cluster `:ctx` narrowed a fleet's view to. */
export function headerLines(
  snapshot: Snapshot,
  now: number,
  readonly: boolean,
  narrowed?: string,
): [Line, Line] {
  const first: Line = [seg('driftdeck', 'accent', true)];
  if (readonly) first.push(seg('  '), seg('[READ-ONLY]', 'warn', true));
  const clusters = snapshot.clusters;
  if (clusters) first.push(...fleetContexts(clusters, narrowed));
  else first.push(seg('  ctx ', 'muted'), seg(snapshot.context || '-', undefined, true));
  first.push(
    seg('  branch ', 'muted'),
    seg(snapshot.branch || '-', undefined, true),
    seg('  repo ', 'muted'),
    seg(snapshot.repo || '-'),
  );

  const { loop, head } = snapshot;
  const second: Line = [];
  if (clusters) second.push(...fleetConnections(clusters, narrowed));
  else if (loop.connection === 'connected') second.push(seg('connected', 'good'));
  else if (loop.connection === 'connecting') second.push(seg('connecting...', 'warn'));
  else
    second.push(
      seg(`connection lost${loop.connectionMessage ? `: ${loop.connectionMessage}` : ''}`, 'bad', true),
    );
  const shown = clusters?.filter((c) => narrowed === undefined || c.name === narrowed);
  const watching = shown ? shown.reduce((sum, c) => sum + c.loop.watching, 0) : loop.watching;
  second.push(seg(`  ${watching} objects watched`, 'muted'));
  const agents = agentsNote(
    shown ? { agents: { live: shown.reduce((n, c) => n + (c.agents?.live ?? 0), 0) } } : snapshot,
  );
  if (agents) second.push(seg(`  ${agents}`, 'accent'));
  second.push(seg(`  polled ${pollAge(loop.lastPoll, now)}`, 'muted'));
  if (loop.pollError) second.push(seg(`  git: ${loop.pollError}`, 'bad'));
  if (head) {
    second.push(seg('  head ', 'muted'), seg(head.shortSha, 'accent'), seg(` ${head.subject}`));
  }
  return [first, second];
}

/**
 * `ctx kind-dev (of 3)` when `:ctx` narrowed the view, then every cluster and its connection, in the order given:
 * `kind-prod connected  kind-stage connecting...  kind-dev LOST`; a read-only one says so.
 */
function fleetContexts(clusters: readonly ClusterState[], narrowed: string | undefined): Line {
  const line: Line = [];
  if (narrowed !== undefined)
    line.push(
      seg('  ctx ', 'muted'),
      seg(narrowed, 'accent', true),
      seg(` (of ${clusters.length})`, 'muted'),
    );
  line.push(seg('  clusters', 'muted'));
  clusters.forEach((cluster, index) => {
    const connection = cluster.loop.connection;
    line.push(
      seg(index === 0 ? ' ' : ', '),
      seg(cluster.name, undefined, cluster.name === narrowed),
      seg(` ${CONNECTION_WORDS[connection]}`, CONNECTION_TONES[connection]),
    );
    if (cluster.readonly) line.push(seg(' (read-only)', 'warn'));
  });
  return line;
}

/** `2 of 3 connected; kind-dev lost: <why, and when the next retry is>`, for every lost cluster. */
function fleetConnections(clusters: readonly ClusterState[], narrowed: string | undefined): Line {
  const connected = clusters.filter((c) => c.loop.connection === 'connected').length;
  const all = connected === clusters.length;
  const line: Line = [seg(`${connected} of ${clusters.length} connected`, all ? 'good' : 'warn')];
  for (const cluster of clusters) {
    if (cluster.loop.connection !== 'lost') continue;
    const why = cluster.loop.connectionMessage ? `: ${cluster.loop.connectionMessage}` : '';
    // The cluster the view is narrowed to first: its apps are the ones on screen.
    const lost = [seg('; '), seg(`${cluster.name} lost${why}`, 'bad', true)];
    if (cluster.name === narrowed) line.splice(1, 0, ...lost);
    else line.push(...lost);
  }
  return line;
}

/**
 * "just now" for a poll less than a minute old (the default interval is 10 s), then minutes: a seconds count that
 * ticked with every poll or snapshot would redraw the whole screen each time for no news. A poll that fails says
 * so beside it (`git: ...`) at once; the age is for a poller that has gone quiet.
 */
export function pollAge(lastPoll: string | undefined, now: number): string {
  if (!lastPoll) return 'not yet';
  const then = Date.parse(lastPoll);
  if (!Number.isNaN(then) && now - then < 60_000) return 'just now';
  return `${age(lastPoll, now)} ago`;
}

/**
 * "agents: 3" while agent replicas are live (they auto-sync then, not this console); nothing when none is, or when
 * this process cannot see their Leases.
 */
export function agentsNote(snapshot: Pick<Snapshot, 'agents'>): string | undefined {
  const live = snapshot.agents?.live ?? 0;
  return live > 0 ? `agents: ${live}` : undefined;
}

/** "  cluster kind-prod" beside the app's name in the titles of the diff, log and history panes, in a fleet. */
export function clusterNote(cluster: string | undefined): string {
  return cluster ? `  cluster ${cluster}` : '';
}

/** "  owner web-7d9c-1" beside the app's name in the diff pane's title, when an agent replica owns it. */
export function ownerNote(owner: string | undefined): string {
  return owner ? `  owner ${owner}` : '';
}
