// The rollout log: the selected app's events plus the events that concern no single app (Git polling, the API
// connection), oldest first, one line each: time, level, resource, message.
import type { EventLevel, RolloutEvent } from '../../engine/types.js';
import { timeOfDay } from './format.js';
import { type Line, seg, type Tone } from './line.js';

const LEVELS: Record<EventLevel, { word: string; tone: Tone }> = {
  info: { word: 'INFO ', tone: 'muted' },
  warning: { word: 'WARN ', tone: 'warn' },
  error: { word: 'ERROR', tone: 'bad' },
};

/** Events for `app` and app-less ones; all events when no app is selected. */
export function eventsFor(events: readonly RolloutEvent[], app: string | undefined): RolloutEvent[] {
  if (app === undefined) return [...events];
  return events.filter((event) => event.app === app || event.app === '');
}

export function logLine(event: RolloutEvent, showApp: boolean): Line {
  const level = LEVELS[event.level] ?? LEVELS.info;
  const line: Line = [
    seg(`${timeOfDay(event.time)} `, 'muted'),
    seg(`${level.word} `, level.tone, event.level !== 'info'),
  ];
  // App-less events say where they come from, so `git` and `connection` lines do not read as the app's own.
  const subject = event.resource ?? (event.app === '' ? `[${event.type}]` : undefined);
  if (showApp && event.app) line.push(seg(`${event.app} `, 'accent'));
  if (subject) line.push(seg(`${subject} `, 'info'));
  line.push(seg(event.message, event.level === 'error' ? 'bad' : undefined));
  return line;
}

export function logLines(events: readonly RolloutEvent[], app: string | undefined): Line[] {
  const shown = eventsFor(events, app);
  if (shown.length === 0) return [[seg(app ? `No events for ${app} yet.` : 'No events yet.', 'muted')]];
  return shown.map((event) => logLine(event, app === undefined));
}
