import type { LineCounter, YAMLError } from 'yaml';

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * A YAML syntax error as `invalid YAML: ...` at a 1-based line and column. The parser reports an unterminated
 * quoted string where the file ends; pointing at the opening quote instead names the line a person has to fix.
 */
export function describeYamlError(error: YAMLError, text: string, lineCounter: LineCounter): SyntaxProblem {
  let offset = error.pos[0];
  let message = `invalid YAML: ${error.message.split('\n')[0] ?? error.message}`;
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
