import type { LineCounter, YAMLError } from 'yaml';
import type { DuplicateKey } from './unique-keys.js';

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Messages of the yaml package that quote the text they are about, with the quote left out: a file may hold a
 * token (`key: |ghp_...`, `!ghp_...`), and errors reach terminals, logs and the cluster's sync history.
 */
const QUOTING_MESSAGES: Array<[RegExp, string]> = [
  [/^Block scalar header includes extra characters/, 'a block scalar header (| or >) has extra characters'],
  [/^Ordered maps must not include duplicate keys/, 'ordered maps must not include duplicate keys'],
  [/^Unresolved plain scalar/, 'a plain scalar could not be resolved'],
  [/^(Unresolved tag|Could not resolve tag)/, 'unknown tag (a word after !)'],
  [
    /^(Not a valid tag|Verbatim tags aren't resolved|The .* tag has no suffix)/,
    'not a valid tag (a word after !)',
  ],
  [/^Invalid escape sequence/, 'invalid escape sequence in a double-quoted string'],
];

/** The first line of a yaml package message, without any part of the text it quotes. */
function quietMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  for (const [pattern, replacement] of QUOTING_MESSAGES) if (pattern.test(first)) return replacement;
  return first;
}

/**
 * A YAML syntax error as `invalid YAML: ...` at a 1-based line and column. The parser reports an unterminated
 * quoted string where the file ends; pointing at the opening quote instead names the line a person has to fix.
 */
export function describeYamlError(error: YAMLError, text: string, lineCounter: LineCounter): SyntaxProblem {
  let offset = error.pos[0];
  let message = `invalid YAML: ${quietMessage(error.message)}`;
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (error.code === 'MISSING_CHAR' && quote) {
    const opening = text.lastIndexOf(quote, Math.max(0, offset - 1));
    if (opening >= 0) {
      offset = opening;
      message = `invalid YAML: the string opened here with ${quote} is never closed`;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(line, 1), column: Math.max(col, 1), message };
}

/** A key given twice in one mapping, at the second one, naming the line of the first. */
export function describeDuplicateKey(duplicate: DuplicateKey, lineCounter: LineCounter): SyntaxProblem {
  const { line, col } = lineCounter.linePos(duplicate.key.range?.[0] ?? 0);
  const first = lineCounter.linePos(duplicate.first.range?.[0] ?? 0).line;
  return {
    line: Math.max(line, 1),
    column: Math.max(col, 1),
    message: `invalid YAML: Map keys must be unique; this key is already given at line ${Math.max(first, 1)}`,
  };
}
