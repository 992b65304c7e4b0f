// A fleet's loops: `--context a,b,c` read and checked, one loop per context over one shared Git source and parse
// cache, and the Git poll asked once per interval for all of them (each loop polls on its own timer; the answer of
// a poll made moments ago by another loop is theirs too).
import { clusterNameProblem } from '../config/schema.js';
import type { GitPort } from '../engine/ports.js';
import type { Loop } from '../loop/index.js';
import { ManifestCache, sharedParsePool } from '../render/index.js';
import {
  gitSource,
  type LoopExtras,
  type LoopFlags,
  makeLoop,
  manifestCacheFile,
  UsageError,
} from './wire.js';

/** `--context a,b,c` as a list: each a context name, none twice; one name is a list of one. */
export function parseContexts(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim());
  const out: string[] = [];
  for (const name of names) {
    if (name === '' && names.length > 1)
      throw new UsageError(`--context "${safe(text)}" has an empty name in its list`);
    const problem = clusterNameProblem(name);
    if (problem) throw new UsageError(`--context: ${safe(problem)}`);
    if (out.includes(name)) throw new UsageError(`--context names ${safe(name)} twice`);
    out.push(name);
  }
  return out;
}

const safe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?');

type PollAnswer = Awaited<ReturnType<GitPort['poll']>>;

/**
 * One Git poll for every loop of a fleet: a poll asked for while one runs gets its answer, and so does one asked for
 * within `freshMs` of the last answer. A revert (which moves the branch) and `forget` make the next poll a real one.
 */
export class SharedPoll {
  private running?: Promise<PollAnswer>;
  private last?: { at: number; answer: { ok: true; value: PollAnswer } | { ok: false; error: unknown } };
  /** Polls that asked the remote (for tests and the report). */
  asked = 0;
  readonly port: GitPort;

  constructor(
    git: GitPort,
    private readonly freshMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.port = {
      ...git,
      poll: () => this.poll(git),
      revert: async (sha) => {
        const outcome = await git.revert(sha);
        this.forget();
        return outcome;
      },
    };
  }

  forget(): void {
    this.last = undefined;
  }

  private poll(git: GitPort): Promise<PollAnswer> {
    if (this.running) return this.running;
    const last = this.last;
    if (last && this.now() - last.at < this.freshMs)
      return last.answer.ok ? Promise.resolve(last.answer.value) : Promise.reject(last.answer.error);
    this.asked++;
    this.running = git.poll().then(
      (value) => {
        this.last = { at: this.now(), answer: { ok: true, value } };
        return value;
      },
      (error: unknown) => {
        this.last = { at: this.now(), answer: { ok: false, error } };
        throw error;
      },
    );
    const clear = () => {
      this.running = undefined;
    };
    this.running.then(clear, clear);
    return this.running;
  }
}

/**
 * One loop per context: the first is the default cluster (it also runs the apps naming no cluster, and says which
 * apps are for clusters not opened); each has its own cluster, informers, Leases and read-only setting.
 */
export function makeFleet(
  flags: LoopFlags,
  contexts: readonly string[],
  extras: LoopExtras = {},
): { loops: Loop[]; freshPoll: () => void } {
  const source = gitSource(flags);
  const cache = new ManifestCache(manifestCacheFile(source), undefined, undefined, sharedParsePool());
  let shared: SharedPoll | undefined;
  const loops: Loop[] = [];
  try {
    for (const [i, context] of contexts.entries())
      loops.push(
        makeLoop(
          {
            ...flags,
            context,
            destination: { cluster: context, takesDefault: i === 0, opened: contexts },
            notOpenedHint: `open them with --context ${contexts.join(',')},<name>`,
          },
          {
            ...extras,
            shared: { source, cache },
            wrapGit: (git) => {
              shared ??= new SharedPoll(
                extras.wrapGit ? extras.wrapGit(git) : git,
                (flags.interval * 1000) / 2,
              );
              return shared.port;
            },
          },
        ),
      );
  } catch (err) {
    for (const loop of loops) loop.cluster.close();
    throw err;
  }
  return { loops, freshPoll: () => shared?.forget() };
}
