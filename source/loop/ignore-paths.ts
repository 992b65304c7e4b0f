// What an app's ignore rules leave out of one resource's comparison, with the jq paths of each side found: a jq
// expression's paths on the live object are not those on the desired one (an index in a list differs), so each
// side is evaluated on its own object, as Argo CD does.
import type { ResourceDiffInput } from '../engine/diff.js';
import { type IgnoreSet, normalize } from '../engine/normalize.js';
import type { KubeObject } from '../engine/types.js';
import type { JqPaths } from '../jq/jq-paths.js';

export type DiffIgnore = Pick<
  ResourceDiffInput,
  'ignorePointers' | 'livePointers' | 'desiredPointers' | 'managers'
>;

export interface ResolvedIgnore {
  ignore: DiffIgnore;
  /** Expressions that could not be evaluated (their fields are then compared), for the resource's message. */
  note?: string;
  /** A key naming everything above, for the diff cache. */
  cacheKey: string;
}

/** The jq paths of both sides (none asked when the rules hold no expression). */
export async function resolveIgnore(
  set: IgnoreSet,
  sides: { live?: KubeObject; desired?: KubeObject },
  jq: JqPaths,
): Promise<ResolvedIgnore> {
  const ignore: DiffIgnore = { ignorePointers: set.pointers, managers: set.managers };
  const errors: string[] = [];
  if (set.jq.length) {
    // Evaluated on the object as compared (no status, no server metadata), so a status update asks jq nothing new.
    const [live, desired] = await Promise.all([
      sides.live ? jq.paths(normalize(sides.live), set.jq) : undefined,
      sides.desired ? jq.paths(normalize(sides.desired), set.jq) : undefined,
    ]);
    if (live) ignore.livePointers = live.pointers;
    if (desired) ignore.desiredPointers = desired.pointers;
    for (const e of [...(live?.errors ?? []), ...(desired?.errors ?? [])])
      if (!errors.includes(e)) errors.push(e);
  }
  const cacheKey = JSON.stringify([set.pointers, ignore.livePointers, ignore.desiredPointers, set.managers]);
  return {
    ignore,
    cacheKey,
    ...(errors.length ? { note: `ignoreDifferences not applied: ${errors.join('; ')}` } : {}),
  };
}
