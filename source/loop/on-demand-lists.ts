// Collections the informer cache does not hold, listed when a view asks for them and reused for a moment: a
// resource tree or events view refreshing every second asks the server at most once per TTL per collection, and
// nothing at all once the view is closed (there is no timer here: only a question makes a request).
import type { ClusterPort, WatchTarget } from '../engine/ports.js';
import type { KubeObject } from '../engine/types.js';

/** How long one list answers for. Short: a view shows what the cluster does, not what it did. */
export const LIST_TTL_MS = 2000;

interface Entry {
  at: number;
  answer: Promise<{ items: KubeObject[]; note?: string }>;
}

export class OnDemandLists {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly cluster: Pick<ClusterPort, 'list'>,
    private readonly ttlMs = LIST_TTL_MS,
    private readonly now = () => Date.now(),
  ) {}

  /**
   * The objects of the collection (at most `limit`); what went wrong or was cut is pushed to `notes` in words and
   * the answer is then what could be read (nothing for a failure), never a throw.
   */
  async read(target: WatchTarget, opts: { limit: number }, notes: string[]): Promise<KubeObject[]> {
    const id = `${target.apiVersion}/${target.kind}/${target.namespace}`;
    const at = this.now();
    this.prune(at);
    let entry = this.entries.get(id);
    if (!entry || at - entry.at >= this.ttlMs) {
      entry = { at, answer: this.list(target, opts) };
      this.entries.set(id, entry);
    }
    const { items, note } = await entry.answer;
    if (note) notes.push(note);
    return items;
  }

  private async list(target: WatchTarget, opts: { limit: number }) {
    const where = target.namespace ? ` of namespace ${target.namespace}` : '';
    const what = `${target.kind}s${where}`;
    if (!this.cluster.list) return { items: [], note: `this cluster adapter cannot list ${what}` };
    try {
      const { items, truncated } = await this.cluster.list(target, { limit: opts.limit });
      return truncated ? { items, note: `only the first ${opts.limit} ${what} were read` } : { items };
    } catch (err) {
      return {
        items: [],
        note: `${what} could not be read: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }

  /** Answers past their time are dropped, so a closed view leaves nothing behind but the last few. */
  private prune(at: number): void {
    for (const [id, e] of this.entries) if (at - e.at >= this.ttlMs) this.entries.delete(id);
  }
}
