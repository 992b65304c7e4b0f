import { isMap, isSeq, LineCounter, type Node, parseAllDocuments, type YAMLError } from 'yaml';
import { describeYamlError } from '../config/yaml-syntax.js';
import type { KubeObject, RenderedManifest } from '../engine/types.js';
import { RenderFailure } from './render-failure.js';

export interface ParseContext {
  /** Where the manifests are said to come from, relative to the repo root (the file, or Chart.yaml for Helm). */
  file: string;
  /** Prefix for errors about tool output, e.g. `helm template output`; lines are then lines of that output. */
  origin?: string;
}

/**
 * Multi-document YAML (or JSON) to objects: empty documents are skipped, a `kind: List` is flattened, and every
 * object must have apiVersion, kind and metadata.name. The first problem fails the whole text (nothing partial).
 */
export function parseManifests(text: string, context: ParseContext): RenderedManifest[] {
  const lineCounter = new LineCounter();
  // YAML 1.1, as kubectl reads manifests (sigs.k8s.io/yaml): `defaultMode: 0644` is octal 420, `on` is true.
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, version: '1.1' });
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
  function syntax(error: YAMLError): never {
    const { line, column, message } = describeYamlError(error, text, lineCounter);
    throw new RenderFailure({ file: context.file, line, column, message: `${prefix}${message}` });
  }
  if ('empty' in docs) {
    const error = docs.errors[0];
    if (error) syntax(error);
    return [];
  }
  const out: RenderedManifest[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) syntax(error);
    const contents = doc.contents as Node | null;
    const start = contents?.range?.[0] ?? doc.range[0];
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      fail(start, `${prefix}${(err as Error).message}`);
    }
    if (value == null) continue;
    if (isListObject(value)) {
      const itemNodes = isMap(contents) ? contents.get('items', true) : undefined;
      value.items.forEach((item, i) => {
        const node = isSeq(itemNodes) ? (itemNodes.items[i] as Node | undefined) : undefined;
        const offset = node?.range?.[0] ?? start;
        out.push(manifest(item, offset, `List item items[${i}]: `));
      });
      continue;
    }
    out.push(manifest(value, start, ''));
  }
  return out;

  function manifest(value: unknown, offset: number, what: string): RenderedManifest {
    const problem = objectProblem(value);
    if (problem) fail(offset, `${prefix}${what}${problem}`);
    return { object: value as KubeObject, source: { file: context.file, line: lineOf(lineCounter, offset) } };
  }
}

function lineOf(lineCounter: LineCounter, offset: number): number {
  return Math.max(lineCounter.linePos(offset).line, 1);
}

function isListObject(value: unknown): value is { kind: 'List'; items: unknown[] } {
  const v = value as { kind?: unknown; items?: unknown } | null;
  return typeof v === 'object' && v !== null && v.kind === 'List' && Array.isArray(v.items);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

function objectProblem(value: unknown): string | undefined {
  const need = 'every object needs apiVersion, kind and metadata.name';
  if (!isRecord(value)) {
    const got = Array.isArray(value) ? 'a list' : JSON.stringify(value);
    return `expected a Kubernetes object (a mapping), got ${got}; ${need}`;
  }
  const missing: string[] = [];
  if (!nonEmptyString(value.apiVersion)) missing.push('apiVersion');
  if (!nonEmptyString(value.kind)) missing.push('kind');
  const metadata = value.metadata;
  if (!isRecord(metadata)) missing.push('metadata');
  else if (!nonEmptyString(metadata.name)) missing.push('metadata.name');
  if (missing.length === 0) return undefined;
  const kind = nonEmptyString(value.kind) ? value.kind : 'object';
  const name = isRecord(metadata) && nonEmptyString(metadata.name) ? ` ${JSON.stringify(metadata.name)}` : '';
  return `${kind}${name} has no ${missing.join(', ')}; ${need}`;
}
