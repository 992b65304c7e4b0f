// Keybindings as data. The input owner looks keys up here, and the help overlay and the footer hints are generated
// from the same table, so a binding that works is always a binding that is shown.
import type { ModalKind, Pane } from './state.js';

/**
 * The resources view: the tree, and over one of its objects its diff, live YAML, events, the choice of a pod's
 * container and the pod's logs.
 */
export const INSPECT_CONTEXTS = [
  'tree',
  'resource-diff',
  'yaml',
  'events',
  'containers',
  'pod-logs',
] as const;
export type InspectContext = (typeof INSPECT_CONTEXTS)[number];

/**
 * Where a command applies: a pane, a dialog, a text field (the filter and the `:` line), `sync-diff`: the sync
 * dialog showing the diff of one line of its plan, or a view of the resources view.
 */
export type Context = Pane | Exclude<ModalKind, 'command'> | 'sync-diff' | 'text' | InspectContext;

export type CommandGroup = 'Move' | 'Panes' | 'Resources' | 'Actions' | 'Dialogs';

export interface CommandSpec {
  /** Key names as produced by `keyName`: `j`, `G`, `up`, `pgdn`, `enter`, `esc`, `tab`, `shift-tab`, `ctrl-c`. */
  keys: readonly string[];
  description: string;
  /** `global` commands work in every pane when no dialog is open and no text is being typed. */
  contexts: 'global' | readonly Context[];
  group: CommandGroup;
  /** Short label for the footer; commands without one are only listed in the help overlay. */
  hint?: string;
  /** Show this command's first key joined with another's in the footer (`j/k move`). */
  pairWith?: string;
}

const PANES_ALL = ['apps', 'diff', 'log', 'history'] as const;
/**
 * Scrolling also works in the help overlay (taller than an 80x24 screen), in the sync dialog's plan and diff, and
 * in every view of the resources view.
 */
const SCROLLABLE = [...PANES_ALL, 'help', 'sync', 'sync-diff', ...INSPECT_CONTEXTS] as const;
/** The views over one object that can sync it (the logs are a pod's, which Git does not hold). */
const ONE_OBJECT = ['tree', 'resource-diff', 'yaml', 'events'] as const;

/**
 * Global commands that also work in the resources view. The others (pane focus, the app filter, sync of the whole
 * app) would act on what the view hides, and some of their keys mean something else there (`s`, `/`).
 */
export const INSPECT_GLOBALS = ['refresh', 'hardRefresh', 'commandLine', 'help', 'quit'] as const;

export const COMMANDS = {
  down: {
    keys: ['j', 'down'],
    description: 'Move down',
    contexts: SCROLLABLE,
    group: 'Move',
    hint: 'move',
    pairWith: 'up',
  },
  up: { keys: ['k', 'up'], description: 'Move up', contexts: SCROLLABLE, group: 'Move' },
  top: { keys: ['g', 'home'], description: 'Go to the top', contexts: SCROLLABLE, group: 'Move' },
  bottom: {
    keys: ['G', 'end'],
    description: 'Go to the bottom (the log follows new lines again)',
    contexts: SCROLLABLE,
    group: 'Move',
    hint: 'bottom',
  },
  pageDown: { keys: ['pgdn', 'ctrl-d'], description: 'Page down', contexts: SCROLLABLE, group: 'Move' },
  pageUp: { keys: ['pgup', 'ctrl-u'], description: 'Page up', contexts: SCROLLABLE, group: 'Move' },
  nextResource: {
    keys: [']'],
    description: 'Next resource in the diff',
    contexts: ['diff'],
    group: 'Move',
    hint: 'next res',
    pairWith: 'prevResource',
  },
  prevResource: {
    keys: ['['],
    description: 'Previous resource in the diff',
    contexts: ['diff'],
    group: 'Move',
  },
  open: {
    keys: ['enter'],
    description: "The selected app's resources as a tree (what it renders and what those own)",
    contexts: ['apps'],
    group: 'Panes',
    hint: 'resources',
  },
  logTree: {
    keys: ['enter'],
    description: "The app's resources, filtered to the newest failing pod the log names",
    contexts: ['log'],
    group: 'Panes',
    hint: 'resources',
  },
  appDiff: {
    keys: ['d'],
    description: 'The diff of the selected app',
    contexts: ['apps'],
    group: 'Panes',
    hint: 'diff',
  },
  back: {
    keys: ['esc'],
    description: 'Back (to the tree, to the apps); in a list, first clear the filter',
    contexts: [...PANES_ALL, ...INSPECT_CONTEXTS],
    group: 'Panes',
  },
  nextPane: { keys: ['tab'], description: 'Next pane', contexts: 'global', group: 'Panes', hint: 'pane' },
  prevPane: { keys: ['shift-tab'], description: 'Previous pane', contexts: 'global', group: 'Panes' },
  focusApps: { keys: ['1'], description: 'Apps pane', contexts: 'global', group: 'Panes' },
  focusDiff: { keys: ['2'], description: 'Diff pane', contexts: 'global', group: 'Panes' },
  focusLog: { keys: ['3'], description: 'Rollout log pane', contexts: 'global', group: 'Panes' },
  focusHistory: { keys: ['4'], description: 'History pane', contexts: 'global', group: 'Panes' },
  groupClusters: {
    // k9s has no grouping to follow; `c` for cluster, free in every context of the list.
    keys: ['c'],
    description: 'Fleet: group the apps by cluster, or list them as one',
    contexts: ['apps'],
    group: 'Panes',
    hint: 'group',
  },
  filter: {
    keys: ['/'],
    description: 'Filter apps by name, cluster, namespace, sync or health (every word must match)',
    contexts: 'global',
    group: 'Actions',
    hint: 'filter',
  },
  treeFilter: {
    keys: ['/'],
    description: 'Filter the resources by kind, name, status or reason',
    contexts: ['tree'],
    group: 'Resources',
    hint: 'filter',
  },
  resourceDiff: {
    keys: ['d', 'enter'],
    description: 'The diff of the selected resource (desired vs live)',
    contexts: ['tree'],
    group: 'Resources',
    hint: 'diff',
  },
  resourceYaml: {
    keys: ['y'],
    description: 'The live YAML of the selected resource (Secrets masked)',
    contexts: ['tree'],
    group: 'Resources',
    hint: 'yaml',
  },
  resourceEvents: {
    keys: ['e'],
    description: 'Events of the selected resource and what it owns, newest first',
    contexts: ['tree'],
    group: 'Resources',
    hint: 'events',
  },
  podLogs: {
    keys: ['l'],
    description: 'Logs of the selected Pod, followed (asks which container when it has several)',
    contexts: ['tree'],
    group: 'Resources',
    hint: 'logs',
  },
  syncResource: {
    keys: ['s'],
    description: 'Sync only the selected resource (asks first)',
    contexts: ONE_OBJECT,
    group: 'Resources',
    hint: 'sync it',
  },
  managedFields: {
    keys: ['m'],
    description: 'Live YAML: show or hide metadata.managedFields',
    contexts: ['yaml'],
    group: 'Resources',
    hint: 'managedFields',
  },
  chooseContainer: {
    keys: ['enter'],
    description: 'Read the logs of the selected container',
    contexts: ['containers'],
    group: 'Resources',
    hint: 'logs',
  },
  previousLogs: {
    keys: ['p'],
    description: 'Logs: the previous instance of the container (after a restart), or back to the current one',
    contexts: ['pod-logs'],
    group: 'Resources',
    hint: 'previous',
  },
  wrapLogs: {
    keys: ['w'],
    description: 'Logs: wrap long lines, or cut them at the edge',
    contexts: ['pod-logs'],
    group: 'Resources',
    hint: 'wrap',
  },
  sync: {
    keys: ['s'],
    description: 'Sync the selected app (asks first)',
    contexts: 'global',
    group: 'Actions',
    hint: 'sync',
  },
  revert: {
    keys: ['t'],
    description: 'Revert the selected commit and push (asks first)',
    contexts: ['history'],
    group: 'Actions',
    hint: 'revert',
  },
  autoSync: {
    keys: ['a'],
    description: 'Toggle auto-sync for the selected app',
    contexts: 'global',
    group: 'Actions',
  },
  refresh: {
    keys: ['r'],
    description: 'Refresh: poll Git now',
    contexts: 'global',
    group: 'Actions',
    hint: 'refresh',
  },
  hardRefresh: {
    keys: ['R'],
    description: 'Hard refresh: poll Git, relist the cluster, drop cached diffs',
    contexts: 'global',
    group: 'Actions',
  },
  commandLine: {
    keys: [':'],
    description: 'Command line (:sync <app>, :revert <sha>, :ctx <name>, :q)',
    contexts: 'global',
    group: 'Actions',
  },
  help: { keys: ['?'], description: 'Show this help', contexts: 'global', group: 'Actions', hint: 'help' },
  quit: { keys: ['q', 'ctrl-c'], description: 'Quit', contexts: 'global', group: 'Actions', hint: 'quit' },
  togglePrune: {
    keys: ['p'],
    description: 'Sync dialog: toggle prune',
    contexts: ['sync'],
    group: 'Dialogs',
    hint: 'prune',
  },
  toggleDryRun: {
    keys: ['d'],
    description: 'Sync dialog: toggle dry-run',
    contexts: ['sync'],
    group: 'Dialogs',
    hint: 'dry-run',
  },
  planDiff: {
    keys: ['space', 'right'],
    description: 'Sync dialog: the diff of the selected line of the plan',
    contexts: ['sync'],
    group: 'Dialogs',
    hint: 'diff',
  },
  planBack: {
    keys: ['esc', 'left'],
    description: "Sync dialog: from a line's diff back to the plan",
    contexts: ['sync-diff'],
    group: 'Dialogs',
    hint: 'back to the plan',
  },
  confirm: {
    keys: ['enter', 'y'],
    description: 'Confirm the dialog',
    contexts: ['sync', 'revert'],
    group: 'Dialogs',
    hint: 'confirm',
  },
  revertAndSync: {
    keys: ['s'],
    description: "Revert dialog, when the app's auto-sync is off: revert, then sync the app at the revert",
    contexts: ['revert'],
    group: 'Dialogs',
    hint: 'revert and sync',
  },
  cancel: {
    keys: ['esc', 'n'],
    description: 'Cancel the dialog',
    contexts: ['sync', 'revert'],
    group: 'Dialogs',
    hint: 'cancel',
  },
  close: {
    keys: ['esc', 'enter', 'q', '?'],
    description: 'Close help or a message',
    contexts: ['help', 'message'],
    group: 'Dialogs',
    hint: 'close',
  },
  submit: {
    keys: ['enter'],
    description: 'Filter or command line: accept',
    contexts: ['text'],
    group: 'Dialogs',
    hint: 'accept',
  },
  abandon: {
    keys: ['esc'],
    description: 'Filter or command line: clear and leave',
    contexts: ['text'],
    group: 'Dialogs',
    hint: 'cancel',
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandId = keyof typeof COMMANDS;

/** Commands that mean something only in a fleet (`--context a,b,c`): neither shown nor acted on with one cluster. */
export const FLEET_ONLY: readonly CommandId[] = ['groupClusters'];
export type Keymap = Record<CommandId, CommandSpec>;

export const COMMAND_IDS = Object.keys(COMMANDS) as CommandId[];

export function isCommandId(name: string): name is CommandId {
  return Object.hasOwn(COMMANDS, name);
}

/**
 * Defaults with the user's overrides merged over them: an override replaces the keys of the command it names.
 * Unknown command names and empty key lists are reported, not applied.
 */
export function buildKeymap(overrides: Record<string, string[]> = {}): {
  keymap: Keymap;
  problems: string[];
} {
  const keymap = { ...COMMANDS } as Keymap;
  const problems: string[] = [];
  for (const [name, keys] of Object.entries(overrides)) {
    if (!isCommandId(name)) {
      problems.push(`unknown command "${name}" in key overrides`);
      continue;
    }
    const clean = keys.filter((k) => typeof k === 'string' && k.length > 0);
    if (clean.length === 0) {
      problems.push(`no keys given for "${name}"; keeping ${COMMANDS[name].keys.join(', ')}`);
      continue;
    }
    keymap[name] = { ...COMMANDS[name], keys: clean };
  }
  return { keymap, problems };
}

function applies(spec: CommandSpec, context: Context | 'global'): boolean {
  if (spec.contexts === 'global') return context === 'global';
  return context !== 'global' && spec.contexts.includes(context);
}

/** The command bound to `key` in exactly this context (`global` looks at global commands only). */
export function commandFor(keymap: Keymap, context: Context | 'global', key: string): CommandId | undefined {
  for (const id of COMMAND_IDS) {
    const spec = keymap[id];
    if (applies(spec, context) && spec.keys.includes(key)) return id;
  }
  return undefined;
}

/**
 * The command bound to `key` in the resources view: the view's own first, then the few global ones that work there.
 */
export function inspectCommandFor(keymap: Keymap, context: Context, key: string): CommandId | undefined {
  const own = commandFor(keymap, context, key);
  if (own) return own;
  return INSPECT_GLOBALS.find((id) => keymap[id].keys.includes(key));
}

export function isInspectContext(context: Context): context is InspectContext {
  return INSPECT_CONTEXTS.some((c) => c === context);
}

/** Commands that apply in a context, in table order. */
export function commandsIn(keymap: Keymap, context: Context | 'global'): CommandId[] {
  return COMMAND_IDS.filter((id) => applies(keymap[id], context));
}
