// The fleet the console is measured with: 1,000 apps of 10 resources each (one out of sync with a diff), built from
// the UI tests' fixture snapshot, with its times moved to now so that ages on screen ("polled 3s ago") are the
// ones a user would see, and change as the clock moves.
import type { AppState, Snapshot } from '../../source/engine/types.js';
import { BACKEND_DIFF, NOW } from '../../test/unit/ui/fake-controller.js';
import { fixtureSnapshot } from '../../test/unit/ui/fixture-snapshot.js';

export const APPS = 1000;
export const RESOURCES_PER_APP = 10;

export const appName = (i: number) => `app-${String(i).padStart(4, '0')}`;

export function fleet(now = Date.now()): Snapshot {
  const base = fixtureSnapshot();
  const template = base.apps[0] as AppState;
  const resource = template.resources[0]!;
  const apps: AppState[] = Array.from({ length: APPS }, (_, i) => ({
    ...template,
    name: appName(i),
    resources: Array.from({ length: RESOURCES_PER_APP }, (_, r) => ({
      ...resource,
      key: { ...resource.key, name: `res-${r}` },
      status: r === 0 ? 'OutOfSync' : 'Synced',
      diff: r === 0 ? BACKEND_DIFF : '',
    })),
  }));
  return shiftTimes({ ...base, apps }, now - NOW);
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function shiftTimes(snapshot: Snapshot, byMs: number): Snapshot {
  return JSON.parse(JSON.stringify(snapshot), (_key, value: unknown) =>
    typeof value === 'string' && ISO.test(value) ? new Date(Date.parse(value) + byMs).toISOString() : value,
  ) as Snapshot;
}
