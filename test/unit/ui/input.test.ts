import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Key } from 'ink';
import { keypresses, type Routed, route } from '../../../source/ui/input.js';
import { buildKeymap } from '../../../source/ui/keymap.js';
import { initialState, type ViewState } from '../../../source/ui/state.js';

const { keymap } = buildKeymap();
const plan = { create: 0, update: 1, prune: 0, unchanged: 0, pruneCandidates: [] };
const at = (patch: Partial<ViewState>): ViewState => ({ ...initialState, ...patch });
const key = (name: string | undefined, text = name ?? '') => ({ name, text });
const cmd = (id: string): Routed => ({ kind: 'command', id }) as Routed;
const NONE: Routed = { kind: 'none' };

describe('input routing by priority', () => {
  const cases: Array<[string, ViewState, ReturnType<typeof key>, Routed]> = [
    ['a pane key in its pane', at({ focus: 'history' }), key('t'), cmd('revert')],
    ['a pane key outside its pane does nothing', at({ focus: 'apps' }), key('t'), NONE],
    ['a global key from any pane', at({ focus: 'diff' }), key('s'), cmd('sync')],
    ['movement goes to the focused pane', at({ focus: 'log' }), key('j'), cmd('down')],
    [
      'an open dialog takes its keys first',
      at({ modal: { kind: 'sync', app: 'b', plan, prune: false, dryRun: false, cursor: 0 } }),
      key('p'),
      cmd('togglePrune'),
    ],
    [
      'and stops every other key there',
      at({ modal: { kind: 'sync', app: 'b', plan, prune: false, dryRun: false, cursor: 0 } }),
      key('q'),
      NONE,
    ],
    ['q closes help instead of quitting', at({ modal: { kind: 'help', top: 0 } }), key('q'), cmd('close')],
    ['help scrolls with j', at({ modal: { kind: 'help', top: 0 } }), key('j'), cmd('down')],
    [
      'Ctrl-C quits even from a dialog',
      at({ modal: { kind: 'revert', sha: 'abc' } }),
      key('ctrl-c', 'c'),
      cmd('quit'),
    ],
    [
      'the command line takes letters as text',
      at({ modal: { kind: 'command', text: '' } }),
      key('s'),
      { kind: 'text', text: 's' },
    ],
    [
      'the command line submits on Enter',
      at({ modal: { kind: 'command', text: 'q' } }),
      key('enter', ''),
      cmd('submit'),
    ],
    [
      'Backspace erases in the command line',
      at({ modal: { kind: 'command', text: 'q' } }),
      key('backspace', ''),
      { kind: 'erase' },
    ],
    [
      'the filter takes q as text, not quit',
      at({ filterEditing: true }),
      key('q'),
      { kind: 'text', text: 'q' },
    ],
    [
      'the filter takes a paste',
      at({ filterEditing: true }),
      key(undefined, 'backend'),
      { kind: 'text', text: 'backend' },
    ],
    ['arrows still move the list while filtering', at({ filterEditing: true }), key('down', ''), cmd('down')],
    ['Esc leaves the filter', at({ filterEditing: true }), key('esc', ''), cmd('abandon')],
    ['control keys are not typed into the filter', at({ filterEditing: true }), key('ctrl-x', 'x'), NONE],
    ['a paste outside text fields is ignored', initialState, key(undefined, 'sss'), NONE],
  ];
  for (const [name, state, press, expected] of cases) {
    it(name, () => assert.deepEqual(route(state, keymap, press), expected));
  }
});

describe('keys that arrive together', () => {
  const none = {} as Key;
  it('a run of characters typed while the console was busy is one keypress each', () => {
    assert.deepEqual(keypresses('jj', none), [key('j'), key('j')]);
    assert.deepEqual(keypresses('1j', none), [key('1'), key('j')]);
    assert.deepEqual(keypresses('sy', none), [key('s'), key('y')]);
  });
  it('Enter, Tab, Backspace and control characters in a run keep their names', () => {
    assert.deepEqual(keypresses('j\r\t\x7f\x03', none), [
      key('j'),
      key('enter', '\r'),
      key('tab', '\t'),
      key('backspace', '\x7f'),
      key('ctrl-c', '\x03'),
    ]);
  });
  it('a single key is passed as it is', () => {
    assert.deepEqual(keypresses('G', { shift: true } as Key), [key('G')]);
    assert.deepEqual(keypresses('', { return: true } as Key), [key('enter', '')]);
  });
  it('text the terminal marks as pasted stays one piece', () => {
    assert.deepEqual(keypresses('sq', none, true), [key(undefined, 'sq')]);
  });
});
