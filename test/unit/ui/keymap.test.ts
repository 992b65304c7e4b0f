import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Key } from 'ink';
import { keyLabel, keyName } from '../../../source/ui/key-names.js';
import {
  buildKeymap,
  COMMAND_IDS,
  COMMANDS,
  type Context,
  commandFor,
  commandsIn,
  INSPECT_CONTEXTS,
  INSPECT_GLOBALS,
  inspectCommandFor,
} from '../../../source/ui/keymap.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('keymap', () => {
  const { keymap } = buildKeymap();

  it('has the documented default keys', () => {
    const cases: Array<[Context | 'global', string, string]> = [
      ['apps', 'j', 'down'],
      ['apps', 'down', 'down'],
      ['log', 'k', 'up'],
      ['diff', 'G', 'bottom'],
      ['diff', 'g', 'top'],
      ['history', 'pgdn', 'pageDown'],
      ['diff', ']', 'nextResource'],
      ['diff', '[', 'prevResource'],
      ['history', 't', 'revert'],
      ['apps', 'enter', 'open'],
      ['apps', 'd', 'appDiff'],
      ['tree', 'enter', 'resourceDiff'],
      ['tree', 'd', 'resourceDiff'],
      ['tree', 'y', 'resourceYaml'],
      ['tree', 'e', 'resourceEvents'],
      ['tree', 'l', 'podLogs'],
      ['tree', 's', 'syncResource'],
      ['tree', '/', 'treeFilter'],
      ['tree', 'esc', 'back'],
      ['yaml', 'm', 'managedFields'],
      ['containers', 'enter', 'chooseContainer'],
      ['pod-logs', 'p', 'previousLogs'],
      ['pod-logs', 'w', 'wrapLogs'],
      ['global', 'tab', 'nextPane'],
      ['global', 'shift-tab', 'prevPane'],
      ['global', '4', 'focusHistory'],
      ['global', '/', 'filter'],
      ['global', '?', 'help'],
      ['global', ':', 'commandLine'],
      ['global', 's', 'sync'],
      ['global', 'r', 'refresh'],
      ['global', 'R', 'hardRefresh'],
      ['global', 'a', 'autoSync'],
      ['global', 'q', 'quit'],
      ['sync', 'p', 'togglePrune'],
      ['sync', 'd', 'toggleDryRun'],
      ['sync', 'y', 'confirm'],
      ['revert', 'enter', 'confirm'],
      ['revert', 'esc', 'cancel'],
      ['help', 'esc', 'close'],
    ];
    for (const [context, key, command] of cases) {
      assert.equal(commandFor(keymap, context, key), command, `${key} in ${context}`);
    }
  });

  it('keeps pane-only commands in their pane', () => {
    assert.equal(commandFor(keymap, 'apps', 't'), undefined);
    assert.equal(commandFor(keymap, 'apps', ']'), undefined);
    assert.equal(commandFor(keymap, 'global', 'j'), undefined);
  });

  it('never binds one key to two commands where both would apply', () => {
    const contexts: Array<Context | 'global'> = [
      'global',
      'apps',
      'diff',
      'log',
      'history',
      'sync',
      'revert',
      'help',
      'message',
      'text',
      'tree',
      'resource-diff',
      'yaml',
      'events',
      'containers',
      'pod-logs',
    ];
    for (const context of contexts) {
      const seen = new Map<string, string>();
      const ids = context === 'global' ? commandsIn(keymap, 'global') : commandsIn(keymap, context);
      for (const id of ids) {
        for (const key of COMMANDS[id].keys) {
          assert.equal(seen.get(key), undefined, `${key} bound to ${seen.get(key)} and ${id} in ${context}`);
          seen.set(key, id);
        }
      }
    }
  });

  it("lets the resources view's own keys and the global keys that work there never meet", () => {
    for (const context of INSPECT_CONTEXTS) {
      for (const id of commandsIn(keymap, context))
        for (const key of COMMANDS[id].keys) {
          const global = INSPECT_GLOBALS.find((g) => (COMMANDS[g].keys as readonly string[]).includes(key));
          assert.equal(global, undefined, `${key} is ${id} in ${context} and ${global} everywhere`);
        }
    }
    // The app's sync, the app filter and pane focus are not reachable from the view: their keys mean other things.
    assert.equal(inspectCommandFor(keymap, 'tree', 's'), 'syncResource');
    assert.equal(inspectCommandFor(keymap, 'tree', '/'), 'treeFilter');
    assert.equal(inspectCommandFor(keymap, 'pod-logs', 's'), undefined);
    assert.equal(inspectCommandFor(keymap, 'yaml', '2'), undefined);
    assert.equal(inspectCommandFor(keymap, 'yaml', 'q'), 'quit');
  });

  it('gives every command a description', () => {
    for (const id of COMMAND_IDS) assert.ok(COMMANDS[id].description.length > 3, id);
  });

  it('merges overrides over the defaults', () => {
    const { keymap: custom, problems } = buildKeymap({ sync: ['S', 'ctrl-s'], quit: ['Q'] });
    assert.deepEqual(problems, []);
    assert.equal(commandFor(custom, 'global', 'S'), 'sync');
    assert.equal(commandFor(custom, 'global', 'ctrl-s'), 'sync');
    assert.equal(commandFor(custom, 'global', 's'), undefined);
    assert.equal(commandFor(custom, 'global', 'Q'), 'quit');
    assert.equal(commandFor(custom, 'apps', 'j'), 'down', 'untouched commands keep their keys');
    assert.deepEqual([...COMMANDS.sync.keys], ['s'], 'defaults are not mutated');
  });

  it('reports unknown commands and empty key lists instead of applying them', () => {
    const { keymap: custom, problems } = buildKeymap({ explode: ['x'], sync: [] });
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /unknown command "explode"/);
    assert.match(problems[1] ?? '', /no keys given for "sync"/);
    assert.equal(commandFor(custom, 'global', 's'), 'sync');
  });
});

describe('key names', () => {
  const cases: Array<[string, string, Partial<Key>, string | undefined]> = [
    ['letter', 'j', {}, 'j'],
    ['capital', 'G', { shift: true }, 'G'],
    ['down arrow', '', { downArrow: true }, 'down'],
    ['page down', '', { pageDown: true }, 'pgdn'],
    ['enter', '', { return: true }, 'enter'],
    ['escape', '', { escape: true, meta: true }, 'esc'],
    ['tab', '', { tab: true }, 'tab'],
    ['shift-tab', '', { tab: true, shift: true }, 'shift-tab'],
    ['DEL from the Backspace key', '', { delete: true }, 'backspace'],
    ['ctrl-c', 'c', { ctrl: true }, 'ctrl-c'],
    ['a paste', 'backend', {}, undefined],
  ];
  for (const [name, input, key, expected] of cases) {
    it(name, () => assert.equal(keyName(input, { ...NO_KEY, ...key }), expected));
  }

  it('labels keys for people', () => {
    assert.equal(keyLabel('pgdn'), 'PgDn');
    assert.equal(keyLabel('shift-tab'), 'S-Tab');
    assert.equal(keyLabel('ctrl-d'), 'C-d');
    assert.equal(keyLabel('j'), 'j');
  });
});
