// A sync's "synced backend to abc1234" stays on the status line until something else is said; when the rollout it
// started then fails, the line must not go on saying all is well. The success line of a sync names its app, and
// when that app turns Degraded the line is said again as a warning with the reason, pointing to the resources view.
// "Turns": the app must have been seen not Degraded since the line was said. A sync of an app that was already
// Degraded (the fix being rolled out) is not called failed while the old pods are still failing.
import type { AppState } from '../engine/types.js';
import type { StatusMessage } from './state.js';

export interface FollowUp {
  /** The success line whose app has been seen not Degraded since it was said: the next Degraded is news. */
  armed: StatusMessage | undefined;
  /** The line to show instead, when there is one. */
  next?: StatusMessage;
}

export function followUp(
  message: StatusMessage | undefined,
  apps: readonly Pick<AppState, 'name' | 'health'>[],
  armed: StatusMessage | undefined,
): FollowUp {
  if (message?.level !== 'success' || message.app === undefined) return { armed: undefined };
  const app = apps.find((a) => a.name === message.app);
  if (!app) return { armed };
  if (app.health.status !== 'Degraded') return { armed: message };
  if (armed !== message) return { armed };
  const reason = app.health.message ? `: ${app.health.message.split('\n')[0]}` : '';
  return {
    armed: undefined,
    next: {
      level: 'warning',
      text: `${app.name} turned Degraded after the sync (Enter on it: resources)${reason}`,
    },
  };
}
