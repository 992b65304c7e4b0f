import { redactUrlsIn } from './remote-url.js';

/** Every failure of the Git adapter: a readable message, an optional hint on what to do, never a stack dump. */
export class GitError extends Error {
  override name = 'GitError';
  readonly hint?: string;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** A network git command that stalled (a remote that accepts and never answers) and was given up. */
export class GitTimeoutError extends GitError {
  override name = 'GitTimeoutError';
}

/** A git command that exited with a non-zero status. */
export class GitCommandError extends GitError {
  override name = 'GitCommandError';

  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
    readonly stdout: string,
  ) {
    super(
      `git ${args.find((arg) => !arg.startsWith('-')) ?? ''} failed: ${summarizeGitOutput(stderr || stdout)}`,
    );
  }
}

const MAX_SUMMARY = 400;

/** What git adds after most remote failures; kept only when nothing more specific was said. */
const BOILERPLATE = [
  /^Could not read from remote repository\.?$/,
  /^Please make sure you have the correct access rights$/,
  /^and the repository exists\.?$/,
];

/**
 * git's stderr reduced to what a person needs: the error lines, without hints, progress or blank lines,
 * joined on one line and bounded in length.
 */
export function summarizeGitOutput(output: string): string {
  const lines = output
    .split(/\r?\n|\r/)
    .map((line) => line.trim().replace(/^(fatal|error):\s*/, ''))
    .filter((line) => line !== '' && !line.startsWith('hint:'));
  const specific = lines.filter((line) => !BOILERPLATE.some((pattern) => pattern.test(line)));
  // git quotes the URL it was given; a query-string token in it must not reach a message.
  const text = redactUrlsIn((specific.length > 0 ? specific : lines).join(' '))
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return `exited without a message`;
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}
