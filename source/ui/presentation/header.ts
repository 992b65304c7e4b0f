// The header: where the console points (context, repo, branch, head commit), how fresh its view is (last poll,
// objects watched, connection state) and a READ-ONLY badge that stays visible even at 80 columns.
import type { Snapshot } from '../../engine/types.js';
import { age } from './format.js';
import { type Line, seg } from './line.js';

export function headerLines(snapshot: Snapshot, now: number, readonly: boolean): [Line, Line] {
  const first: Line = [seg('driftdeck', 'accent', true)];
  if (readonly) first.push(seg('  '), seg('[READ-ONLY]', 'warn', true));
  first.push(
    seg('  ctx ', 'muted'),
    seg(snapshot.context || '-', undefined, true),
    seg('  branch ', 'muted'),
    seg(snapshot.branch || '-', undefined, true),
    seg('  repo ', 'muted'),
    seg(snapshot.repo || '-'),
  );

  const { loop, head } = snapshot;
  const second: Line = [];
  if (loop.connection === 'connected') second.push(seg('connected', 'good'));
  else if (loop.connection === 'connecting') second.push(seg('connecting...', 'warn'));
  else
    second.push(
      seg(`connection lost${loop.connectionMessage ? `: ${loop.connectionMessage}` : ''}`, 'bad', true),
    );
  second.push(seg(`  ${loop.watching} objects watched`, 'muted'));
  const agents = agentsNote(snapshot);
  if (agents) second.push(seg(`  ${agents}`, 'accent'));
  second.push(seg(`  polled ${pollAge(loop.lastPoll, now)}`, 'muted'));
  if (loop.pollError) second.push(seg(`  git: ${loop.pollError}`, 'bad'));
  if (head) {
    second.push(seg('  head ', 'muted'), seg(head.shortSha, 'accent'), seg(` ${head.subject}`));
  }
  return [first, second];
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

/** "  owner web-7d9c-1" beside the app's name in the diff pane's title, when an agent replica owns it. */
export function ownerNote(owner: string | undefined): string {
  return owner ? `  owner ${owner}` : '';
}
