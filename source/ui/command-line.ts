// The `:` command line, parsed into plain data so the grammar is tested on its own.

export type ParsedCommand =
  | { kind: 'sync'; app?: string }
  | { kind: 'revert'; sha: string }
  /** Without a name: in a fleet, every cluster again (one cluster has nothing to switch to without one). */
  | { kind: 'ctx'; name?: string }
  | { kind: 'refresh'; hard: boolean }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'none' }
  | { kind: 'error'; message: string };

export const COMMAND_LINE_USAGE = ':sync [app], :revert <sha>, :ctx <name>, :refresh [hard], :help, :q';

export function parseCommandLine(text: string): ParsedCommand {
  const words = text.trim().replace(/^:/, '').trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  if (verb === undefined) return { kind: 'none' };
  const arg = rest[0];
  if (rest.length > 1) {
    return { kind: 'error', message: `:${verb} takes one argument, got "${rest.join(' ')}"` };
  }
  switch (verb) {
    case 'sync':
      return arg ? { kind: 'sync', app: arg } : { kind: 'sync' };
    case 'revert':
      if (!arg) return { kind: 'error', message: 'usage: :revert <sha>' };
      if (!/^[0-9a-f]{4,40}$/i.test(arg)) return { kind: 'error', message: `not a commit sha: "${arg}"` };
      return { kind: 'revert', sha: arg.toLowerCase() };
    case 'ctx':
    case 'context':
      return arg ? { kind: 'ctx', name: arg } : { kind: 'ctx' };
    case 'refresh':
      if (arg && arg !== 'hard') return { kind: 'error', message: 'usage: :refresh [hard]' };
      return { kind: 'refresh', hard: arg === 'hard' };
    case 'help':
    case 'h':
      return { kind: 'help' };
    case 'q':
    case 'q!':
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    default:
      return { kind: 'error', message: `unknown command ":${verb}" (try ${COMMAND_LINE_USAGE})` };
  }
}
