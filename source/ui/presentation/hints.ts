// Footer hints and the help overlay, both generated from the keymap table.

import { keyLabel } from '../key-names.js';
import {
  type CommandGroup,
  type CommandId,
  type Context,
  commandsIn,
  INSPECT_GLOBALS,
  isInspectContext,
  type Keymap,
} from '../keymap.js';
import { PANES } from '../state.js';
import { type Line, seg } from './line.js';

interface Hint {
  id: CommandId;
  keys: string;
  label: string;
}

function hintsIn(keymap: Keymap, context: Context | 'global', hidden: readonly CommandId[] = []): Hint[] {
  const paired = new Set<string>();
  for (const id of commandsIn(keymap, context)) {
    const pair = keymap[id].pairWith;
    if (pair) paired.add(pair);
  }
  const hints: Hint[] = [];
  for (const id of commandsIn(keymap, context)) {
    const spec = keymap[id];
    if (!spec.hint || paired.has(id) || hidden.includes(id)) continue;
    const first = spec.keys[0];
    if (first === undefined) continue;
    const pair = spec.pairWith ? keymap[spec.pairWith as CommandId]?.keys[0] : undefined;
    const keys = pair === undefined ? keyLabel(first) : `${keyLabel(first)}/${keyLabel(pair)}`;
    hints.push({ id, keys, label: spec.hint });
  }
  return hints;
}

/** Kept to the end, in this order, when the footer is too narrow for every hint. */
const LAST: readonly CommandId[] = ['quit', 'help'];

/**
 * Keys that work right now, fitted to `width`: quit and help are kept, so more is always one key away. `hidden`
 * are commands of the context that do nothing in the current state (see `unavailable`).
 */
export function footerHints(
  keymap: Keymap,
  context: Context,
  width: number,
  hidden: readonly CommandId[] = [],
): Line {
  const isPane = PANES.some((pane) => pane === context);
  const globals = hintsIn(keymap, 'global', hidden);
  const all = isPane
    ? [...hintsIn(keymap, context, hidden), ...globals]
    : isInspectContext(context)
      ? [
          ...hintsIn(keymap, context, hidden),
          ...globals.filter((h) => INSPECT_GLOBALS.some((id) => id === h.id)),
        ]
      : hintsIn(keymap, context, hidden);
  const hints = [
    ...all.filter((h) => !LAST.includes(h.id)),
    ...LAST.flatMap((id) => all.filter((h) => h.id === id)),
  ];
  const size = (h: Hint) => h.keys.length + 1 + h.label.length + 2;
  let total = hints.reduce((sum, h) => sum + size(h), 0);
  while (total > width) {
    const drop = hints.findLastIndex((h) => !LAST.includes(h.id));
    if (drop < 0) break;
    const [removed] = hints.splice(drop, 1);
    if (removed) total -= size(removed);
  }
  const line: Line = [];
  hints.forEach((h, i) => {
    if (i > 0) line.push(seg('  '));
    line.push(seg(h.keys, 'accent', true), seg(` ${h.label}`, 'muted'));
  });
  return line;
}

const GROUPS: CommandGroup[] = ['Move', 'Panes', 'Resources', 'Actions', 'Dialogs'];

/**
 * Every command with its keys and where it applies, grouped, for the help overlay; `hidden` are left out (the fleet's
 * commands with one cluster, see `unavailable`).
 */
export function helpLines(keymap: Keymap, hidden: readonly CommandId[] = []): Line[] {
  const lines: Line[] = [];
  const ids = Object.keys(keymap) as CommandId[];
  for (const group of GROUPS) {
    lines.push([seg(group, 'accent', true)]);
    for (const id of ids) {
      const spec = keymap[id];
      if (spec.group !== group || hidden.includes(id)) continue;
      const keys = spec.keys.map(keyLabel).join(', ');
      const contexts = spec.contexts;
      const everywhere = contexts === 'global' || PANES.every((pane) => contexts.includes(pane));
      const where = contexts === 'global' || everywhere ? '' : ` [${contexts.join(', ')}]`;
      lines.push([seg(`  ${keys.padEnd(18)}`, undefined, true), seg(spec.description), seg(where, 'muted')]);
    }
  }
  return lines;
}
