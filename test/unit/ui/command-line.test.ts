import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ParsedCommand, parseCommandLine } from '../../../source/ui/command-line.js';

describe('command line', () => {
  const cases: Array<[string, ParsedCommand | RegExp]> = [
    ['sync backend', { kind: 'sync', app: 'backend' }],
    [':sync backend', { kind: 'sync', app: 'backend' }],
    ['  sync   cart  ', { kind: 'sync', app: 'cart' }],
    ['sync', { kind: 'sync' }],
    ['revert A1B2C3D', { kind: 'revert', sha: 'a1b2c3d' }],
    ['revert', /usage: :revert <sha>/],
    ['revert main', /not a commit sha/],
    ['ctx kind-prod', { kind: 'ctx', name: 'kind-prod' }],
    ['ctx', { kind: 'ctx' }],
    ['refresh', { kind: 'refresh', hard: false }],
    ['refresh hard', { kind: 'refresh', hard: true }],
    ['q', { kind: 'quit' }],
    ['quit', { kind: 'quit' }],
    ['help', { kind: 'help' }],
    ['', { kind: 'none' }],
    ['sync a b', /takes one argument/],
    ['deploy backend', /unknown command ":deploy"/],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      const parsed = parseCommandLine(text);
      if (expected instanceof RegExp) {
        assert.equal(parsed.kind, 'error');
        assert.match(parsed.kind === 'error' ? parsed.message : '', expected);
      } else {
        assert.deepEqual(parsed, expected);
      }
    });
  }
});
