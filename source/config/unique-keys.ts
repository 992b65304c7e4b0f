// Keys given twice in one mapping, found in one pass. The yaml package's own check (uniqueKeys) compares each key
// with every key before it in its mapping: a 469 kB manifest of 40,000 keys took 16 s to parse with it. Documents
// are parsed with uniqueKeys: false and checked here instead, with the package's notion of equal keys: scalars
// whose values are === (so `1` and `"1"` differ), any other key only equal to itself.
import { type Document, isMap, isScalar, type Node, visit } from 'yaml';

export interface DuplicateKey {
  /** The key given again. */
  key: Node;
  /** Where it was first given in the same mapping. */
  first: Node;
}

/** Every key given again in its mapping, in the order they appear in the text. */
export function duplicateKeys(doc: Document.Parsed | Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map) || map.items.length < 2) return;
      const seen = new Map<unknown, Node>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const value = key.value;
        // NaN is never === itself; objects (timestamps, binary) are only equal to themselves.
        if (value === undefined || Number.isNaN(value) || (typeof value === 'object' && value !== null))
          continue;
        const first = seen.get(value);
        if (first) found.push({ key, first });
        else seen.set(value, key);
      }
    },
  });
  return found.sort((a, b) => offsetOf(a.key) - offsetOf(b.key));
}

function offsetOf(node: Node): number {
  return node.range?.[0] ?? 0;
}
