// Snapshots sent from the loop's thread to the console's (cli/console-thread.ts): each message carries only what
// moved since the one before. A snapshot holds every app's resources (50,000 at 1,000 apps); copying all of them
// between threads at every change would cost the console's thread more than the loop it was moved away from. The
// loop keeps an unchanged app's state, its resources and its events as the same objects from one snapshot to the
// next, so "the same object as last time" is sent as a name or a number, and the decoder takes its own copy of it
// from the last snapshot it built. Messages must be decoded in the order they were encoded (postMessage keeps it).
import type { AppState, HistoryEntry, RolloutEvent, Snapshot } from '../engine/types.js';

/** An app as sent: its name alone when its state is the object sent last time; else the fields that moved. */
export type AppWire = string | { name: string; keep: string[]; set: Partial<AppState> };

export interface SnapshotMessage {
  /** The snapshot without its apps, events and history. */
  rest: Omit<Snapshot, 'apps' | 'events' | 'history'>;
  apps: AppWire[];
  /** Each event, or its index in the last message's events when it was sent then. */
  events: Array<RolloutEvent | number>;
  /** History lists kept from the last message, by app, and those set anew. */
  history: { keep: string[]; set: Record<string, HistoryEntry[]> };
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

export class SnapshotEncoder {
  private apps = new Map<string, AppState>();
  private events = new Map<RolloutEvent, number>();
  private history: Record<string, HistoryEntry[]> = {};

  encode(snapshot: Snapshot): SnapshotMessage {
    const { apps, events, history, ...rest } = snapshot;
    const message: SnapshotMessage = {
      rest,
      apps: apps.map((app) => this.app(app)),
      events: events.map((e) => this.events.get(e) ?? e),
      history: { keep: [], set: {} },
    };
    for (const [app, entries] of Object.entries(history)) {
      if (this.history[app] === entries) message.history.keep.push(app);
      else message.history.set[app] = entries;
    }
    this.apps = new Map(apps.map((a) => [a.name, a]));
    this.events = new Map(events.map((e, i) => [e, i]));
    this.history = history;
    return message;
  }

  private app(app: AppState): AppWire {
    const last = this.apps.get(app.name);
    if (last === app) return app.name;
    const keep: string[] = [];
    const set: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(app)) {
      // Objects the last state held too (its resources, spec, last sync) are the decoder's already.
      if (last && isObject(value) && (last as unknown as Record<string, unknown>)[key] === value)
        keep.push(key);
      else set[key] = value;
    }
    return { name: app.name, keep, set: set as Partial<AppState> };
  }
}

export class SnapshotDecoder {
  private apps = new Map<string, AppState>();
  private events: RolloutEvent[] = [];
  private history: Record<string, HistoryEntry[]> = {};

  decode(message: SnapshotMessage): Snapshot {
    const apps = message.apps.map((wire) => this.app(wire));
    const events = message.events.map((e) => (typeof e === 'number' ? this.known(this.events[e], e) : e));
    const history: Record<string, HistoryEntry[]> = {};
    for (const app of message.history.keep) history[app] = this.known(this.history[app], app);
    Object.assign(history, message.history.set);
    this.apps = new Map(apps.map((a) => [a.name, a]));
    this.events = events;
    this.history = history;
    return { ...message.rest, apps, events, history };
  }

  private app(wire: AppWire): AppState {
    if (typeof wire === 'string') return this.known(this.apps.get(wire), wire);
    const last = wire.keep.length ? this.known(this.apps.get(wire.name), wire.name) : undefined;
    const out: Record<string, unknown> = {};
    for (const key of wire.keep) out[key] = (last as unknown as Record<string, unknown>)[key];
    return Object.assign(out, wire.set) as unknown as AppState;
  }

  /** A reference to the last snapshot that it does not hold: messages were lost or reordered. */
  private known<T>(value: T | undefined, ref: string | number): T {
    if (value === undefined)
      throw new Error(`snapshot message refers to ${JSON.stringify(ref)}, not sent before`);
    return value;
  }
}
