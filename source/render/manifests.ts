import { isMap, isSeq, LineCounter, type Node, parseAllDocuments, type YAMLError } from 'yaml';
import { duplicateKeys } from '../config/unique-keys.js';
import { describeDuplicateKey, describeYamlError } from '../config/yaml-syntax.js';
import type { KubeObject, RenderedManifest } from '../engine/types.js';
import { objectProblem } from './object-checks.js';
import { RenderFailure } from './render-failure.js';

export interface ParseContext {
  /** Where the manifests are said to come from, relative to the repo root (the file, or Chart.yaml for Helm). */
  file: string;
  /** Prefix for errors about tool output, e.g. `helm template output`; lines are then lines of that output. */
  origin?: string;
}

/**
 * How far aliases may expand one document (the yaml package's maxAliasCount): enough for anchors shared by a few
 * containers, far below a "billion laughs" block that would take the process's memory.
 */
const MAX_ALIAS_COUNT = 100;

/**
 * Multi-document YAML (or JSON) to objects: empty documents are skipped, a `kind: List` is flattened, and every
 * object must have apiVersion, kind and metadata.name of shapes an API server could serve (./object-checks.ts).
 * The first problem fails the whole text (nothing partial).
 */
export function parseManifests(text: string, context: ParseContext): RenderedManifest[] {
  const lineCounter = new LineCounter();
  // YAML 1.1, as kubectl reads manifests (sigs.k8s.io/yaml): `defaultMode: 0644` is octal 420, `on` is true.
  // Keys given twice are found by duplicateKeys, in linear time (the package's own check is quadratic).
  const docs = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    version: '1.1',
    uniqueKeys: false,
  });
  const prefix = context.origin ? `${context.origin}: ` : '';
  function fail(offset: number, message: string): never {
    const { line, col } = lineCounter.linePos(offset);
    throw new RenderFailure({
      file: context.file,
      line: Math.max(line, 1),
      column: Math.max(col, 1),
      message,
    });
  }
  function syntax(problem: { line: number; column: number; message: string }): never {
    const { line, column, message } = problem;
    throw new RenderFailure({ file: context.file, line, column, message: `${prefix}${message}` });
  }
  const yamlError = (error: YAMLError): never => syntax(describeYamlError(error, text, lineCounter));
  if ('empty' in docs) {
    const error = docs.errors[0];
    if (error) yamlError(error);
    return [];
  }
  const out: RenderedManifest[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) yamlError(error);
    const duplicate = duplicateKeys(doc)[0];
    if (duplicate) syntax(describeDuplicateKey(duplicate, lineCounter));
    const contents = doc.contents as Node | null;
    const start = contents?.range?.[0] ?? doc.range[0];
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      const message =
        err instanceof ReferenceError && /alias count/i.test(err.message)
          ? `invalid YAML: aliases (*name) expand this document more than ${MAX_ALIAS_COUNT} times over; write the values out`
          : `invalid YAML: ${(err as Error).message}`;
      fail(start, `${prefix}${message}`);
    }
    if (value == null) continue;
    if (isListObject(value)) {
      const itemNodes = isMap(contents) ? contents.get('items', true) : undefined;
      value.items.forEach((item, i) => {
        const node = isSeq(itemNodes) ? (itemNodes.items[i] as Node | undefined) : undefined;
        out.push(manifest(item, node ?? null, node?.range?.[0] ?? start, `List item items[${i}]: `));
      });
      continue;
    }
    out.push(manifest(value, contents, start, ''));
  }
  return out;

  function manifest(value: unknown, node: Node | null, offset: number, what: string): RenderedManifest {
    const problem = objectProblem(value);
    if (problem) fail(locate(node, problem.path) ?? offset, `${prefix}${what}${problem.message}`);
    return { object: value as KubeObject, source: { file: context.file, line: lineOf(lineCounter, offset) } };
  }
}

/**
 * Where the field at `path` is written, or the deepest of its parents that is: the value of `namespace:` rather
 * than the top of the object, and the key of a block mapping or list (its value starts on the next line).
 * Undefined when not even the first step is there (written through an alias, say).
 */
function locate(node: Node | null, path: readonly string[]): number | undefined {
  let at: unknown = node;
  let offset: number | undefined;
  for (const step of path) {
    if (!isMap(at)) break;
    const pair = at.items.find((p) => keyText(p.key) === step);
    if (!pair) break;
    const value = pair.value as Node | null;
    const block = (isMap(value) || isSeq(value)) && !value.flow;
    const target = block || !value ? (pair.key as Node | null) : value;
    offset = target?.range?.[0] ?? offset;
    at = value;
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  const v = (key as { value?: unknown } | null)?.value;
  return v === undefined || v === null ? undefined : String(v);
}

function lineOf(lineCounter: LineCounter, offset: number): number {
  return Math.max(lineCounter.linePos(offset).line, 1);
}

function isListObject(value: unknown): value is { kind: 'List'; items: unknown[] } {
  const v = value as { kind?: unknown; items?: unknown } | null;
  return typeof v === 'object' && v !== null && v.kind === 'List' && Array.isArray(v.items);
}
