// YAML read as Go tools read it. Kustomize and Helm turn YAML into JSON with sigs.k8s.io/yaml over yaml.v2 (YAML 1.1:
// aliases resolved, `<<` merge keys applied) and decode that JSON with encoding/json, which matches field names
// case-insensitively (`Resources:` and even `reſources:` fill `resources`). So a file whose paths must be checked is
// parsed to plain JS with the same rules, and fields are looked up the same way; where the two readers could
// disagree (a merge key overriding a key set before it, several documents), the file is refused.
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, visit } from 'yaml';
import { describeYamlError } from '../config/yaml-syntax.js';
import { RenderFailure } from './render-failure.js';

/**
 * Go's encoding/json field-name folding, or a little more: ASCII letters compared without case, any other rune by
 * ToUpper(ToLower(r)). Go folds a rune to the least of its case orbit, which reaches ASCII only from `ſ` (U+017F,
 * to S) and the Kelvin sign (to K); both fold the same here, and a key matched here that Go would not match is only
 * checked needlessly.
 */
export function foldName(name: string): string {
  let out = '';
  for (const ch of name) {
    if (ch.charCodeAt(0) < 0x80) out += ch.toUpperCase();
    else {
      const folded = ch.toLowerCase().toUpperCase();
      out += [...folded].length === 1 ? folded : ch;
    }
  }
  return out;
}

/** Every key of `object` that fills `field` as encoding/json fills it, with its value. */
export function fieldValues(object: unknown, field: string): Array<[string, unknown]> {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return [];
  const wanted = foldName(field);
  return Object.entries(object).filter(([key]) => foldName(key) === wanted);
}

/**
 * Parses a file's text to the value a Go tool decodes, refusing what it and this reader could read differently:
 * several documents, and a merge key overriding a key set before it in the same mapping (yaml.v2 lets the later one
 * win, the YAML merge rules the explicit key). `label` starts error messages: `kustomization`, `Chart.yaml`.
 */
export function readAsGoYaml(
  text: string,
  file: string,
  label: string,
): { value: unknown; lineOf: (s: string) => number | undefined } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, version: '1.1', merge: true });
  const fail = (message: string, line?: number, column?: number): never => {
    throw new RenderFailure({ file, line, column, message: `${label}: ${message}` });
  };
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > 1) {
    const second = list[1]!.range[0];
    fail(
      'holds more than one YAML document; only the first is read, so keep one',
      lineCounter.linePos(second).line,
    );
  }
  const doc = list[0];
  if (!doc) return { value: null, lineOf: () => undefined };
  const error = doc.errors[0];
  if (error) {
    const { line, column, message } = describeYamlError(error, text, lineCounter);
    fail(message, line, column);
  }
  const lines = new Map<string, number>();
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && !lines.has(node.value) && node.range)
        lines.set(node.value, lineCounter.linePos(node.range[0]).line);
    },
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isMergeKey(pair.key)) {
          seen.add(isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
          continue;
        }
        const merged = mergedKeys(pair.value as Node, (node) => node.toJS(doc, { maxAliasCount: 100 }));
        for (const key of merged) {
          if (seen.has(key)) {
            const at =
              isScalar(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]) : undefined;
            fail(
              `the merge key (<<) sets "${key}" again after it was set in the same mapping; yaml.v2 (Go) takes the merged value where YAML takes the first, so set it once`,
              at?.line,
              at?.col,
            );
          }
        }
        for (const key of merged) seen.add(key);
      }
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    fail((err as Error).message);
  }
  return { value, lineOf: (s) => lines.get(s) };
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  if (typeof key.value === 'symbol') return key.value.description === '<<';
  return key.value === '<<' && (!key.type || key.type === 'PLAIN');
}

/** The keys a merge value brings: one mapping, an alias of one, or a list of those. */
function mergedKeys(value: Node | null, toJS: (node: Node) => unknown): string[] {
  const resolve = (node: unknown): unknown =>
    isAlias(node) ? toJS(node) : isMap(node) ? toJS(node) : undefined;
  const sources = isSeq(value) ? value.items : [value];
  return sources.flatMap((source) => {
    const js = resolve(source);
    return typeof js === 'object' && js !== null ? Object.keys(js) : [];
  });
}
