import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import type { LocatedError } from '../../../source/engine/types.js';

describe('formatLocatedError', () => {
  const cases: Array<{ error: LocatedError; text: string }> = [
    {
      error: {
        file: 'driftdeck.yaml',
        line: 7,
        column: 16,
        field: 'apps[1].sync.auto',
        message: 'expected true or false, got "yes"',
      },
      text: 'driftdeck.yaml:7:16 apps[1].sync.auto: expected true or false, got "yes"',
    },
    { error: { file: 'apps/web/a.yaml', line: 3, message: 'bad' }, text: 'apps/web/a.yaml:3: bad' },
    { error: { file: 'apps/web', message: 'refused' }, text: 'apps/web: refused' },
    { error: { field: '--app', message: 'expected a name' }, text: '--app: expected a name' },
    { error: { line: 2, column: 5, message: 'no file' }, text: 'line 2:5: no file' },
    { error: { message: 'just this' }, text: 'just this' },
  ];
  for (const c of cases) {
    it(`prints ${JSON.stringify(c.text)}`, () => {
      assert.equal(formatLocatedError(c.error), c.text);
    });
  }
});
