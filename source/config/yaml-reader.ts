import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  visit,
} from 'yaml';
import type { LocatedError } from '../engine/types.js';

/** One value in the file with its field path, and where to point when it is absent or empty. */
export interface Entry {
  node: Node | null;
  /** The key (or the enclosing mapping, for a missing key): errors about an empty value point here. */
  at: Node | null;
  field: string;
  missing?: boolean;
}

/**
 * How far aliases may expand a mapping read as plain data (Helm inline values): the yaml package's default, far
 * below a "billion laughs" block.
 */
const MAX_ALIAS_COUNT = 100;

/** Reads a parsed YAML document field by field, collecting every error with its line, column and field path. */
export class YamlReader {
  readonly errors: LocatedError[] = [];
  /** What each alias stands for, found in one pass (Alias.resolve walks the whole document on every call). */
  private readonly targets = new Map<Alias, Node>();

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly doc: Document,
  ) {
    // An alias names the closest anchor before it, in document order: the order visit walks.
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node: (_, node) => {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target) this.targets.set(node, target);
          else {
            const where = { node, at: node, field: '' };
            this.error(
              where,
              `invalid YAML: the alias *${node.source} names no anchor (&${node.source}) set before it`,
            );
          }
        } else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  error(entry: Pick<Entry, 'node' | 'at' | 'field'>, message: string): void {
    const { line, col } = this.position(entry);
    this.errors.push({
      file: this.file,
      line: Math.max(line, 1),
      column: Math.max(col, 1),
      field: entry.field,
      message,
    });
  }

  /** `driftdeck.yaml:12`: where an entry is written (its key when present), for messages that cite a rule. */
  where(entry: Pick<Entry, 'node' | 'at' | 'field'>): string {
    return `${this.file}:${Math.max(this.position({ ...entry, node: entry.at ?? entry.node }).line, 1)}`;
  }

  private position(entry: Pick<Entry, 'node' | 'at' | 'field'>): { line: number; col: number } {
    const target = entry.node?.range && !isEmpty(entry.node) ? entry.node : (entry.at ?? entry.node);
    return this.lineCounter.linePos(target?.range?.[0] ?? 0);
  }

  /** Follows an alias (`*name`) to the node it stands for. */
  resolve(node: unknown): Node | null {
    if (isAlias(node)) return this.targets.get(node) ?? null;
    return (node as Node | null) ?? null;
  }

  /** The keys of a mapping, refusing keys not in `allowed`; undefined (with an error) when it is not a mapping. */
  mapping(entry: Entry, allowed: readonly string[], expected: string): Map<string, Entry> | undefined {
    const node = this.resolve(entry.node);
    if (!isMap(node)) {
      this.error(entry, `expected ${expected}, got ${describe(node)}`);
      return undefined;
    }
    const out = new Map<string, Entry>();
    for (const pair of node.items) {
      const key = this.resolve(pair.key);
      const name = isScalar(key) ? key.value : undefined;
      if (typeof name !== 'string') {
        this.error({ node: key, at: node, field: entry.field }, `expected a text key, got ${describe(key)}`);
        continue;
      }
      const field = entry.field ? `${entry.field}.${name}` : name;
      if (!allowed.includes(name)) {
        const hint = closest(name, allowed);
        this.error(
          { node: key, at: key, field },
          `unknown key ${JSON.stringify(name)}; expected one of ${allowed.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        );
        continue;
      }
      out.set(name, { node: this.resolve(pair.value), at: key, field });
    }
    return out;
  }

  /** The entry for `key`, or a missing entry pointing at the enclosing mapping. */
  field(fields: Map<string, Entry>, key: string, parent: Entry): Entry {
    const found = fields.get(key);
    if (found) return found;
    const field = parent.field ? `${parent.field}.${key}` : key;
    return { node: null, at: parent.node ?? parent.at, field, missing: true };
  }

  /** Optional values may be absent or written empty (`sync:`); required ones must be there. */
  private absent(entry: Entry, required: boolean, expected: string): boolean {
    if (!entry.missing && !isEmpty(entry.node)) return false;
    if (required) {
      this.error(
        entry,
        entry.missing ? `missing; expected ${expected}` : `expected ${expected}, got nothing`,
      );
    }
    return true;
  }

  string(entry: Entry, required: boolean, expected = 'a string'): string | undefined {
    if (this.absent(entry, required, expected)) return undefined;
    const node = entry.node;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.error(entry, `expected ${expected}, got ${describe(node)}`);
    return undefined;
  }

  boolean(entry: Entry): boolean | undefined {
    if (this.absent(entry, false, 'true or false')) return undefined;
    const node = entry.node;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.error(entry, `expected true or false, got ${describe(node)}`);
    return undefined;
  }

  list(entry: Entry, required: boolean, expected: string): Entry[] | undefined {
    if (this.absent(entry, required, expected)) return undefined;
    const node = entry.node;
    if (!isSeq(node)) {
      this.error(entry, `expected ${expected}, got ${describe(node)}`);
      return undefined;
    }
    return node.items.map((item, i) => ({
      node: this.resolve(item),
      at: node,
      field: `${entry.field}[${i}]`,
    }));
  }

  /** A mapping of anything (Helm inline values), as plain data. */
  plainMapping(entry: Entry, expected: string): Record<string, unknown> | undefined {
    if (this.absent(entry, false, expected)) return undefined;
    if (!isMap(entry.node)) {
      this.error(entry, `expected ${expected}, got ${describe(entry.node)}`);
      return undefined;
    }
    try {
      return entry.node.toJS(this.doc, { maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    } catch (err) {
      // The yaml package throws a ReferenceError for an alias bomb and for an alias to a missing anchor.
      const why = /alias count/i.test((err as Error).message)
        ? `aliases (*name) expand it more than ${MAX_ALIAS_COUNT} times over; write the values out`
        : `it cannot be read: ${(err as Error).message}`;
      this.error(entry, `expected ${expected}; ${why}`);
      return undefined;
    }
  }
}

export function isEmpty(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

export function describe(node: unknown): string {
  if (node == null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value == null) return node.source ? String(node.source) : 'nothing';
    return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
  }
  return 'an unsupported value';
}

/** The allowed key a typo most likely meant: edit distance of at most 2, or a case-insensitive match. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance =
      candidate.toLowerCase() === word.toLowerCase()
        ? 0
        : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
