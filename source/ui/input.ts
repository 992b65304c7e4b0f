// The one owner of input. Every keypress goes through `route`, which decides by priority who gets it: an open
// dialog first (and nothing else, even for keys it does not use), then text being typed, then the focused pane,
// then the global keys. Components never call `useInput` themselves.
import { type Key, useInput } from 'ink';
import { useCallback, useRef } from 'react';
import type { InspectState } from './inspect-state.js';
import { keyName } from './key-names.js';
import {
  type CommandId,
  type Context,
  commandFor,
  FLEET_ONLY,
  type InspectContext,
  inspectCommandFor,
  type Keymap,
} from './keymap.js';
import type { ViewState } from './state.js';

export interface Keypress {
  /** Canonical key name (see `keyName`), undefined for pasted text. */
  name: string | undefined;
  /** The raw text Ink reported, used when typing into the filter or the command line. */
  text: string;
}

export type Routed =
  | { kind: 'command'; id: CommandId }
  | { kind: 'text'; text: string }
  | { kind: 'erase' }
  | { kind: 'none' };

const NONE: Routed = { kind: 'none' };
const command = (id: CommandId | undefined): Routed => (id ? { kind: 'command', id } : NONE);

// Keys that keep moving the app list while the filter is being typed.
const MOVES_WHILE_TYPING = new Set(['up', 'down', 'pgup', 'pgdn']);

const DETAIL_CONTEXTS: Record<NonNullable<InspectState['detail']>['view'], InspectContext> = {
  diff: 'resource-diff',
  yaml: 'yaml',
  events: 'events',
  containers: 'containers',
  logs: 'pod-logs',
};

/** The context whose keys apply right now, used for routing and for the footer hints. */
export function activeContext(state: ViewState): Context {
  const { modal, inspect } = state;
  if (modal?.kind === 'sync' && modal.diff) return 'sync-diff';
  if (modal) return modal.kind === 'command' ? 'text' : modal.kind;
  if (inspect) {
    if (inspect.filterEditing) return 'text';
    return inspect.detail ? DETAIL_CONTEXTS[inspect.detail.view] : 'tree';
  }
  if (state.filterEditing) return 'text';
  return state.focus;
}

const NOTHING_HIDDEN: readonly CommandId[] = [];
const NO_REVERT_AND_SYNC: readonly CommandId[] = ['revertAndSync'];
const NO_REVERT_AND_SYNC_ONE_CLUSTER: readonly CommandId[] = ['revertAndSync', ...FLEET_ONLY];

/**
 * Commands of the active context that would do nothing now: neither routed nor shown. "Revert and sync" is there
 * only when the app's auto-sync is off (with it on, the loop rolls the revert out) and the commit is described;
 * the fleet's commands only in a fleet. The arrays are constants, so a memoised footer sees no change.
 */
export function unavailable(state: ViewState, fleet = false): readonly CommandId[] {
  const modal = state.modal;
  if (modal?.kind === 'revert' && (!modal.detail || modal.app?.autoSync !== false))
    return fleet ? NO_REVERT_AND_SYNC : NO_REVERT_AND_SYNC_ONE_CLUSTER;
  return fleet ? NOTHING_HIDDEN : FLEET_ONLY;
}

function typed(keymap: Keymap, press: Keypress): Routed {
  if (press.name) {
    const id = commandFor(keymap, 'text', press.name);
    if (id) return command(id);
    if (press.name === 'backspace') return { kind: 'erase' };
    if (press.name.startsWith('ctrl-') || press.name.startsWith('alt-')) return NONE;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here
  if (press.text.length > 0 && !/[\u0000-\u001f\u007f]/.test(press.text))
    return { kind: 'text', text: press.text };
  return NONE;
}

/** `fleet`: the console shows several clusters, and the fleet's commands are routed. */
export function route(state: ViewState, keymap: Keymap, press: Keypress, fleet = false): Routed {
  // Ctrl-C always quits, whatever is open: it is how people leave a terminal program they are unsure of.
  if (press.name === 'ctrl-c') return { kind: 'command', id: 'quit' };
  const { modal } = state;
  if (modal) {
    if (modal.kind === 'command') return typed(keymap, press);
    const id = press.name ? commandFor(keymap, activeContext(state), press.name) : undefined;
    return command(id && !unavailable(state).includes(id) ? id : undefined);
  }
  const { inspect } = state;
  if (state.filterEditing || inspect?.filterEditing) {
    const result = typed(keymap, press);
    if (result.kind !== 'none' || !press.name || !MOVES_WHILE_TYPING.has(press.name)) return result;
    return command(commandFor(keymap, inspect ? 'tree' : 'apps', press.name));
  }
  if (!press.name) return NONE;
  if (inspect) return command(inspectCommandFor(keymap, activeContext(state), press.name));
  const id = commandFor(keymap, state.focus, press.name) ?? commandFor(keymap, 'global', press.name);
  return command(id && (fleet || !FLEET_ONLY.includes(id)) ? id : undefined);
}

/** What Ink reports for the bracketed-paste markers `ESC [200~` and `ESC [201~` (the escape removed). */
export const PASTE_START = '[200~';
export const PASTE_END = '[201~';

/** The key name of one character taken from a run: Enter, Tab and Backspace by name, control characters as ctrl-x. */
function charName(char: string): string | undefined {
  if (char === '\r' || char === '\n') return 'enter';
  if (char === '\t') return 'tab';
  if (char === ' ') return 'space';
  if (char === '\x7f' || char === '\b') return 'backspace';
  const code = char.codePointAt(0) ?? 0;
  if (code === 0) return undefined;
  if (code < 32) return `ctrl-${String.fromCharCode(code + 96)}`;
  return char;
}

/**
 * One Ink input event as keypresses. Ink hands over a run of plain characters that arrived together as one string:
 * keys typed while the console was busy (or held down) as well as a paste. Typed keys must never be lost, so a run
 * is one keypress per character; only text the terminal marks as pasted (bracketed paste) stays one piece.
 */
export function keypresses(input: string, key: Key, pasting = false): Keypress[] {
  if (pasting) return [{ name: undefined, text: input }];
  const name = keyName(input, key);
  if (name !== undefined || [...input].length <= 1) return [{ name, text: input }];
  return [...input].map((char) => ({ name: charName(char), text: char }));
}

/** Subscribes once at the root and hands each keypress to `handler`, which may change between renders. */
export function useInputOwner(handler: (press: Keypress) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  const pasting = useRef(false);
  const onInput = useCallback((input: string, key: Key) => {
    if (input === PASTE_START || input === PASTE_END) {
      pasting.current = input === PASTE_START;
      return;
    }
    for (const press of keypresses(input, key, pasting.current)) latest.current(press);
  }, []);
  useInput(onInput);
}
