// `status --context a,b,c`: every app of every cluster listed, with its cluster, and each cluster's connection. A
// cluster that cannot be reached fails the command, named (exit 2): its apps could not be told, and an empty or
// partial table with exit 0 would read as "all well". The others are still listed.
import type { AppState, ClusterState } from '../engine/types.js';
import type { Loop } from '../loop/index.js';
import {
  appJson,
  type Out,
  repoFailure,
  sayClusterState,
  sayDiscovery,
  statusVerdict,
  waitConnected,
} from './commands.js';
import { makeFleet } from './fleet.js';
import { statusTable } from './format.js';
import type { LoopFlags } from './wire.js';

/** How long a cluster may take to answer before it is called unreachable (waitConnected waits 15 s of it). */
const REACH_MS = 20_000;

export async function fleetStatus(flags: LoopFlags, contexts: string[], out: Out): Promise<number> {
  const { loops } = makeFleet({ ...flags, autoSync: false, diffTexts: false, watch: false }, contexts);
  try {
    // Each cluster on its own: one that does not answer delays the command by REACH_MS at most, never the others.
    const reached = await Promise.all(loops.map((loop) => reach(loop)));
    const first = loops[0]!;
    repoFailure(first.getSnapshot());
    sayDiscovery(first, out);
    for (const loop of loops) sayClusterState(loop, out);
    const apps: AppState[] = [];
    const clusters: Array<ClusterState & { error?: string }> = [];
    for (const [i, loop] of loops.entries()) {
      const snap = loop.getSnapshot();
      const name = contexts[i]!;
      const error = reached[i];
      for (const a of snap.apps) apps.push({ ...a, cluster: name });
      clusters.push({
        name,
        loop: snap.loop,
        readonly: snap.readonly,
        ...(snap.readonlyReason ? { readonlyReason: snap.readonlyReason } : {}),
        apps: snap.apps.length,
        ...(error ? { error } : {}),
      });
    }
    if (out.json)
      out.write(
        JSON.stringify(
          {
            clusters: clusters.map((c) => ({
              name: c.name,
              connection: c.loop.connection,
              ...(c.loop.connectionMessage ? { connectionMessage: c.loop.connectionMessage } : {}),
              ...(c.error ? { error: c.error } : {}),
              readonly: c.readonly,
              apps: c.apps,
            })),
            apps: apps.map((a) => ({ cluster: a.cluster, ...appJson(a) })),
          },
          null,
          2,
        ),
      );
    else out.write(statusTable(apps, true));
    const unreachable = clusters.filter((c) => c.error);
    for (const c of unreachable) out.error(`cluster ${c.name}: ${c.error}`);
    const verdict = statusVerdict(apps, out);
    return unreachable.length ? 2 : verdict;
  } finally {
    for (const loop of loops) {
      loop.stop();
      loop.cluster.close();
    }
  }
}

/** Undefined once the loop's first comparison is made on a connected cluster; else why not. */
async function reach(loop: Loop): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`no answer from the Kubernetes API at ${loop.cluster.server} in ${REACH_MS / 1000} s`),
      REACH_MS,
    );
  });
  try {
    const started = loop.start().then(
      () => waitConnected(loop).then(() => undefined),
      (err: Error) => err.message,
    );
    return await Promise.race([started.catch((err: Error) => err.message), late]);
  } finally {
    clearTimeout(timer);
  }
}
