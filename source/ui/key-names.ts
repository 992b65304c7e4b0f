// Key names: one canonical spelling per key (`j`, `G`, `up`, `pgdn`, `enter`, `esc`, `space`, `ctrl-c`), used
// by the keymap table and by overrides, and the label a person reads for each.
import type { Key } from 'ink';

/** The name a person reads for a key. */
export function keyLabel(key: string): string {
  const labels: Record<string, string> = {
    enter: 'Enter',
    esc: 'Esc',
    tab: 'Tab',
    'shift-tab': 'S-Tab',
    up: 'Up',
    down: 'Down',
    left: 'Left',
    right: 'Right',
    pgup: 'PgUp',
    pgdn: 'PgDn',
    home: 'Home',
    end: 'End',
    backspace: 'Bksp',
    delete: 'Del',
    space: 'Space',
  };
  if (labels[key]) return labels[key];
  if (key.startsWith('ctrl-')) return `C-${key.slice(5)}`;
  return key;
}

/**
 * The canonical key name of one Ink keypress, or undefined for several characters at once (which `keypresses` in
 * input.ts splits, unless they were pasted).
 */
export function keyName(input: string, key: Key): string | undefined {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.backspace) return 'backspace';
  // Most terminals send DEL (0x7f) for the Backspace key; Ink reports it as delete.
  if (key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl-${input.toLowerCase()}`;
  if (key.meta && input.length === 1) return `alt-${input}`;
  if (input === ' ') return 'space';
  return input.length === 1 ? input : undefined;
}
