// The console's controller, as the loop's thread builds it (cli/console-thread-worker.ts): the watch loop of one
// kube context (`:ctx` moves it to another), or with `--context a,b,c` one loop per context merged into one view.
import { ContextSwitcher } from './context-switcher.js';
import { makeFleet } from './fleet.js';
import { FleetController } from './fleet-controller.js';
import { type LoopFlags, makeLoop } from './wire.js';

export type ConsoleController = ContextSwitcher | FleetController;

/** `onError` hears what stops a loop's start (printed by the console above its frame). */
export function makeConsoleController(flags: LoopFlags, onError: (line: string) => void): ConsoleController {
  if (flags.contexts) {
    const { loops, freshPoll } = makeFleet(flags, flags.contexts);
    return new FleetController(
      loops,
      (err, context) => onError(`driftdeck: ${context}: ${err.message}`),
      freshPoll,
    );
  }
  // The first frame comes before any I/O finishes; the loop fills the screen in as Git and the cluster answer.
  // Only --readonly is fixed for the session: a context's own read-only setting comes with its snapshot.
  return new ContextSwitcher(
    makeLoop(flags),
    (context) => makeLoop({ ...flags, context }),
    (err) => onError(`driftdeck: ${err.message}`),
  );
}
