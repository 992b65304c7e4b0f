// driftdeck: argv in, a command chosen, the real adapters wired, an exit code out. The only place that exits.
import meow from 'meow';
import { terminalText } from '../engine/terminal-text.js';
import { flushParseCaches } from '../render/index.js';
import { agent, agentInstall } from './agent-command.js';
import { clusterCommand } from './cluster-command.js';
import { diff, history, type Out, revert, status, sync } from './commands.js';
import { parseContexts } from './fleet.js';
import { HELP } from './help.js';
import { events, logs, tree } from './inspect-commands.js';
import { type LoopFlags, UsageError } from './wire.js';

const cli = meow(HELP, {
  importMeta: import.meta,
  allowUnknownFlags: false,
  flags: {
    repo: { type: 'string' },
    branch: { type: 'string', default: 'main' },
    path: { type: 'string' },
    app: { type: 'string' },
    namespace: { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    stateNamespace: { type: 'string' },
    interval: { type: 'number', default: 10 },
    concurrentSyncs: { type: 'number' },
    output: { type: 'string', shortFlag: 'o', default: 'table', choices: ['table', 'json'] },
    readonly: { type: 'boolean', default: false },
    prune: { type: 'boolean', default: false },
    dryRun: { type: 'boolean', default: false },
    resource: { type: 'string', isMultiple: true },
    forceConflicts: { type: 'boolean', default: false },
    wait: { type: 'boolean', default: true },
    timeout: { type: 'number', default: 300 },
    yes: { type: 'boolean', shortFlag: 'y', default: false },
    sync: { type: 'string' },
    nodes: { type: 'number', default: 3 },
    name: { type: 'string' },
    reset: { type: 'boolean', default: false },
    follow: { type: 'boolean', shortFlag: 'f', default: false },
    previous: { type: 'boolean', shortFlag: 'p', default: false },
    tail: { type: 'number' },
    metricsAddress: { type: 'string' },
    webhookSecretFile: { type: 'string' },
    id: { type: 'string' },
    leaseDuration: { type: 'number' },
    export: { type: 'boolean', default: false },
    profile: { type: 'string' },
    manage: { type: 'string', isMultiple: true },
    image: { type: 'string' },
    clusterName: { type: 'string' },
  },
});

const f = cli.flags;
/**
 * Everything printed passes here, made terminal-safe (see terminal-text.ts) whoever wrote it: tables, diffs, the
 * revert prompt's commit message, errors quoting a server. JSON keeps its meaning: JSON.stringify escapes C0 itself,
 * and the rest comes out as the `\uXXXX` escapes a parser reads back to the same value.
 */
const shown = (text: string) => terminalText(text, { multiline: true });
const out: Out = {
  json: f.output === 'json',
  write: (text) => process.stdout.write(`${shown(text)}\n`),
  error: (text) => process.stderr.write(`${shown(text)}\n`),
};

// Checked here, refused in main() with the other usage errors.
let contextsError: Error | undefined;
const contexts = (() => {
  try {
    return parseContexts(f.context);
  } catch (err) {
    contextsError = err as Error;
    return undefined;
  }
})();
const loopFlags: LoopFlags = {
  ...(f.repo ? { repo: f.repo } : {}),
  branch: f.branch,
  ...(f.path ? { path: f.path } : {}),
  ...(f.app ? { app: f.app } : {}),
  ...(f.namespace ? { namespace: f.namespace } : {}),
  ...(f.kubeconfig ? { kubeconfig: f.kubeconfig } : {}),
  ...(contexts?.[0] !== undefined ? { context: contexts[0] } : {}),
  ...(contexts && contexts.length > 1 ? { contexts } : {}),
  ...(f.stateNamespace ? { stateNamespace: f.stateNamespace } : {}),
  interval: f.interval,
  ...(f.concurrentSyncs !== undefined ? { concurrentSyncs: f.concurrentSyncs } : {}),
  readonly: f.readonly,
  autoSync: true,
  role: (cli.input[0] ?? 'console').replace(/[^a-z-]/g, '') || 'driftdeck',
};

async function main(): Promise<number> {
  const [command, ...args] = cli.input;
  if (!(f.interval > 0)) throw new UsageError('--interval must be a number of seconds above 0');
  if (f.concurrentSyncs !== undefined && !(Number.isInteger(f.concurrentSyncs) && f.concurrentSyncs >= 1))
    throw new UsageError('--concurrent-syncs must be a whole number above 0');
  if (f.stateNamespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(f.stateNamespace))
    throw new UsageError(
      `--state-namespace "${f.stateNamespace.replace(/[^\x20-\x7e]/g, '?')}" is not a namespace name (lowercase letters, digits and -, at most 63)`,
    );
  if (contextsError) throw contextsError;
  const several = loopFlags.contexts !== undefined;
  if (several && !['console', 'status', undefined].includes(command))
    throw new UsageError(
      `${safeCommand(command)} works on one cluster at a time: give the app's context alone, --context <name> (driftdeck status --context ${f.context ?? ''} shows each app's cluster)`,
    );
  switch (command) {
    case undefined:
    case 'console':
      // Ink and React load only for the console: headless commands start faster without them.
      return (await import('./console-command.js')).openConsole(loopFlags, out);
    case 'demo':
      return (await import('./console-command.js')).openDemo(
        loopFlags,
        { reset: f.reset, nodes: f.nodes },
        out,
      );
    case 'status':
      return status(loopFlags, out);
    case 'diff':
      return diff(loopFlags, args[0], out);
    case 'sync':
      return sync(
        loopFlags,
        args[0],
        {
          prune: f.prune,
          dryRun: f.dryRun,
          resource: f.resource ?? [],
          forceConflicts: f.forceConflicts,
          wait: f.wait,
          timeout: f.timeout,
        },
        out,
      );
    case 'history':
      return history(loopFlags, args[0], out);
    case 'revert':
      return revert(
        loopFlags,
        args[0],
        { yes: f.yes, ...(f.sync !== undefined ? { sync: f.sync } : {}), wait: f.wait, timeout: f.timeout },
        out,
      );
    case 'tree':
      return tree(loopFlags, args[0], out);
    case 'events':
      return events(loopFlags, args[0], args[1], out);
    case 'logs':
      return logs(
        loopFlags,
        args[0],
        args[1],
        { follow: f.follow, previous: f.previous, ...(f.tail !== undefined ? { tail: f.tail } : {}) },
        out,
      );
    case 'agent':
      if (args[0] === 'install')
        return agentInstall(
          {
            export: f.export,
            repo: f.repo ?? '',
            branch: f.branch,
            interval: f.interval,
            ...(f.profile !== undefined ? { profile: f.profile as 'cluster' | 'namespaced' } : {}),
            ...(f.manage ? { namespaces: f.manage.flatMap((m) => m.split(',')).filter(Boolean) } : {}),
            ...(f.image !== undefined ? { image: f.image } : {}),
            ...(f.namespace !== undefined ? { namespace: f.namespace } : {}),
            ...(f.clusterName !== undefined ? { clusterName: f.clusterName } : {}),
          },
          out,
        );
      if (args[0] !== undefined)
        throw new UsageError(`agent has no subcommand "${args[0].replace(/[^\x20-\x7e]/g, '?')}" (install)`);
      return agent(loopFlags, out, {
        ...(f.metricsAddress !== undefined ? { metricsAddress: f.metricsAddress } : {}),
        ...(f.webhookSecretFile !== undefined ? { webhookSecretFile: f.webhookSecretFile } : {}),
        ...(f.id !== undefined ? { id: f.id } : {}),
        ...(f.leaseDuration !== undefined ? { leaseSeconds: f.leaseDuration } : {}),
        ...(f.clusterName !== undefined ? { clusterName: f.clusterName } : {}),
      });
    case 'cluster':
      return clusterCommand(args[0], { name: f.name ?? 'driftdeck-demo', nodes: f.nodes }, out);
    default:
      throw new UsageError(`unknown command "${command}"; see driftdeck --help`);
  }
}

const safeCommand = (command: string | undefined) => (command ?? '').replace(/[^\x20-\x7e]/g, '?');

/**
 * Exits once the parse cache's saves that the watch loop put off are made (render/parse-cache.ts `saveSoon`: its
 * timer does not hold the process open) and everything written has reached stdout and stderr: a pipe would
 * otherwise lose the tail.
 */
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  void flushParseCaches()
    .catch(() => undefined)
    .then(() => {
      process.stdout.write('', done);
      process.stderr.write('', done);
    });
}

main().then(exitAfterFlush, (err: Error) => {
  process.stderr.write(`driftdeck: ${shown(err.message)}\n`);
  // 1 means "not in sync" for status and diff (like kubectl diff), so failures to run at all are 2.
  exitAfterFlush(2);
});
