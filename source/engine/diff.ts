// The per-resource diff people read: normalized, Secret-masked, key-sorted YAML, live -> desired.
import { isDeepStrictEqual } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { dump } from 'js-yaml';
import { compareText, isRecord } from './fields.js';
import { managedFieldSet, removeManagedFields } from './managed-fields.js';
import { maskSecrets } from './mask.js';
import { normalize } from './normalize.js';
import type { KubeObject, ResourceKey } from './types.js';

/** Lines of unchanged context around each change, as in `diff -u` and `kubectl diff`. */
const CONTEXT_LINES = 3;

/**
 * Bounds on one resource's diff, which runs on the thread that draws the console and renews leases. The line
 * diff (Myers) costs about (lines x edits): an object with 8,000 changed lines took 13.4 s. The diff gives up
 * past maxEdits lines added or removed (deterministic: the same objects always give the same answer), objects
 * longer than maxLines are not searched at all, and timeoutMs is the last guard on a slow machine.
 */
export const DIFF_LIMITS = { maxEdits: 1_000, maxLines: 50_000, timeoutMs: 2_000 } as const;

/** A copy with every map's keys in code-point order, so that the server's key order never shows as a change. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareText)) out[key] = sortKeysDeep(value[key]);
  return out;
}

/**
 * YAML with sorted keys, no line folding and no anchors, so equal objects print equal text. Strings that YAML 1.1
 * would read as something else (`on`, `yes`, `0644`) are quoted. js-yaml's printer, as it is several times faster
 * than the yaml package's on the thousands of objects a large app prints.
 */
export function toYaml(obj: unknown): string {
  return dump(sortKeysDeep(obj), { lineWidth: -1, noRefs: true, quotingType: '"' });
}

export interface ResourceDiffInput {
  key: ResourceKey;
  live?: KubeObject;
  /** What the object would be after applying the desired manifest (server-side dry-run), or the manifest. */
  predicted?: KubeObject;
  ignorePointers?: readonly string[];
  /** Pointers left out of one side only: the paths jq expressions give on that side's object. */
  livePointers?: readonly string[];
  desiredPointers?: readonly string[];
  /** Field managers whose fields on the live object are left out of both sides (managedFieldsManagers). */
  managers?: readonly string[];
}

export interface ResourceDiff {
  /** Unified diff, empty when nothing differs. */
  diff: string;
  changed: boolean;
}

/** Missing live: everything is added; missing desired (a prune candidate): everything is removed. */
export function resourceDiff(input: ResourceDiffInput): ResourceDiff {
  const pointers = input.ignorePointers ?? [];
  // The owned fields are read from the live object before normalize drops its managedFields.
  const owned = managedFieldSet(input.live, input.managers ?? []);
  const side = (obj: KubeObject | undefined, own: readonly string[] | undefined) => {
    if (!obj) return undefined;
    const n = normalize(obj, own?.length ? [...pointers, ...own] : pointers);
    removeManagedFields(n, owned);
    return n;
  };
  const masked = maskSecrets(
    side(input.predicted, input.desiredPointers),
    side(input.live, input.livePointers),
  );
  // Equal objects print equal YAML (keys are sorted), so the common case, in sync, needs no printing at all.
  if (masked.live && masked.desired && isDeepStrictEqual(masked.live, masked.desired))
    return { diff: '', changed: false };
  const before = masked.live ? toYaml(masked.live) : '';
  const after = masked.desired ? toYaml(masked.desired) : '';
  if (before === after) return { diff: '', changed: false };
  const label = `${input.key.kind}/${input.key.name}`;
  // One side empty (to create, or to prune): every line is added or removed, no need to search for a diff.
  if (!before || !after) return { diff: wholePatch(label, before, after), changed: true };
  const lines = { live: countLines(before), desired: countLines(after) };
  if (lines.live + lines.desired > DIFF_LIMITS.maxLines) {
    return { diff: tooLarge(label, lines, `more than ${DIFF_LIMITS.maxLines} lines of YAML`), changed: true };
  }
  const diff = createTwoFilesPatch(`live/${label}`, `desired/${label}`, before, after, undefined, undefined, {
    context: CONTEXT_LINES,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
    maxEditLength: DIFF_LIMITS.maxEdits,
    timeout: DIFF_LIMITS.timeoutMs,
  });
  // undefined: the search gave up (too many edits, or out of time).
  if (diff === undefined) {
    return {
      diff: tooLarge(label, lines, `more than ${DIFF_LIMITS.maxEdits} lines added or removed`),
      changed: true,
    };
  }
  return { diff, changed: true };
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') || text === '' ? n : n + 1;
}

/**
 * A patch with no hunks and a note where the hunks would be: a `\` line, as unified diffs write remarks, so every
 * place that shows diffs (console, `driftdeck diff`, JSON) shows the note without knowing about it.
 */
function tooLarge(label: string, lines: { live: number; desired: number }, why: string): string {
  return (
    `--- live/${label}\n+++ desired/${label}\n` +
    `\\ too large to diff here (${why}; ${lines.live} lines live, ${lines.desired} desired): ` +
    'compare them with kubectl diff\n'
  );
}

/** The unified diff of a text against nothing (or nothing against a text), as `createTwoFilesPatch` writes it. */
export function wholePatch(label: string, before: string, after: string): string {
  const text = before || after;
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const sign = before ? '-' : '+';
  const range = before ? `-1,${lines.length} +0,0` : `-0,0 +1,${lines.length}`;
  const body = lines.map((l) => `${sign}${l}\n`).join('');
  const noNewline = text.endsWith('\n') ? '' : '\\ No newline at end of file\n';
  return `--- live/${label}\n+++ desired/${label}\n@@ ${range} @@\n${body}${noNewline}`;
}
