import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalText } from '../../../source/engine/terminal-text.js';
import { CONTROL } from '../../support/controls.js';

// Every control a terminal obeys, and what a person reads instead. Built from code points so the table itself holds
// no raw control character.
const ESC = '\x1b';
const cases: Array<[string, string, string]> = [
  ['clean text', 'fix: bump nginx to 1.27', 'fix: bump nginx to 1.27'],
  ['clear screen (CSI 2J)', `x${ESC}[2Jy`, 'x^[[2Jy'],
  ['OSC 52 clipboard, BEL-terminated', `${ESC}]52;c;cm0gLXJmIH4=\x07`, '^[]52;c;cm0gLXJmIH4=^G'],
  ['OSC 52 clipboard, ST-terminated', `${ESC}]52;c;eA==${ESC}\\`, '^[]52;c;eA==^[\\'],
  ['carriage return overwriting the line', 'safe\rEVIL', 'safe^MEVIL'],
  ['backspaces', 'ok\b\b\bno', 'ok^H^H^Hno'],
  ['NUL', 'a\x00b', 'a^@b'],
  ['DEL', 'a\x7fb', 'a\\u007fb'],
  ['C1 CSI (U+009B)', 'a\u009b2Jb', 'a\\u009b2Jb'],
  ['C1 first and last', '\u0080\u009f', '\\u0080\\u009f'],
  ['bidi right-to-left override', 'user\u202Egnp.exe', 'user\\u202egnp.exe'],
  ['bidi isolates', '\u2066x\u2069', '\\u2066x\\u2069'],
  ['line separator', 'a\u2028b', 'a\\u2028b'],
  ['newline in a one-line text', 'first\nsecond', 'first second'],
  ['CRLF in a one-line text', 'first\r\nsecond', 'first second'],
  ['tab in a one-line text', 'a\tb', 'a b'],
  ['letters beyond ASCII are kept', 'café ünïcode 日本 🚀', 'café ünïcode 日本 🚀'],
];

describe('terminalText', () => {
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const shown = terminalText(input);
      assert.equal(shown, expected);
      assert.doesNotMatch(shown, CONTROL);
      assert.doesNotMatch(shown, /[\n\t]/);
    });
  }

  it('keeps newlines and tabs of a message of several lines, and still shows the controls in it', () => {
    assert.equal(
      terminalText(`Revert "x"\r\n\nThis reverts ${ESC}[2J\tcommit.`, { multiline: true }),
      'Revert "x"\n\nThis reverts ^[[2J\tcommit.',
    );
  });

  it('keeps JSON output meaning the same value', () => {
    const value = { subject: `a${ESC}[2J\u009b\u202e\rb` };
    const shown = terminalText(JSON.stringify(value, null, 2), { multiline: true });
    assert.doesNotMatch(shown, CONTROL);
    assert.deepEqual(JSON.parse(shown), value);
  });

  it('is idempotent', () => {
    const once = terminalText(`${ESC}[2J\u009b`);
    assert.equal(terminalText(once), once);
  });
});
