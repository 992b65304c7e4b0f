// The per-resource diff people read: normalized, Secret-masked, key-sorted YAML, live -> desired.
import { isDeepStrictEqual } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { compareText, isRecord } from './fields.js';
import { maskSecrets } from './mask.js';
import { normalize } from './normalize.js';
import type { KubeObject, ResourceKey } from './types.js';

/** Lines of unchanged context around each change, as in `diff -u` and `kubectl diff`. */
const CONTEXT_LINES = 3;

/** A copy with every map's keys in code-point order, so that the server's key order never shows as a change. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareText)) out[key] = sortKeysDeep(value[key]);
  return out;
}

/** YAML with sorted keys, no line folding and no anchors, so equal objects print equal text. */
export function toYaml(obj: unknown): string {
  return stringify(sortKeysDeep(obj), { lineWidth: 0, aliasDuplicateObjects: false, compat: 'yaml-1.1' });
}

export interface ResourceDiffInput {
  key: ResourceKey;
  live?: KubeObject;
  /** What the object would be after applying the desired manifest (server-side dry-run), or the manifest. */
  predicted?: KubeObject;
  ignorePointers?: readonly string[];
}

export interface ResourceDiff {
  /** Unified diff, empty when nothing differs. */
  diff: string;
  changed: boolean;
}

/** Missing live: everything is added; missing desired (a prune candidate): everything is removed. */
export function resourceDiff(input: ResourceDiffInput): ResourceDiff {
  const pointers = input.ignorePointers ?? [];
  const masked = maskSecrets(
    input.predicted && normalize(input.predicted, pointers),
    input.live && normalize(input.live, pointers),
  );
  // Equal objects print equal YAML (keys are sorted), so the common case, in sync, needs no printing at all.
  if (masked.live && masked.desired && isDeepStrictEqual(masked.live, masked.desired))
    return { diff: '', changed: false };
  const before = masked.live ? toYaml(masked.live) : '';
  const after = masked.desired ? toYaml(masked.desired) : '';
  if (before === after) return { diff: '', changed: false };
  const label = `${input.key.kind}/${input.key.name}`;
  const diff = createTwoFilesPatch(`live/${label}`, `desired/${label}`, before, after, undefined, undefined, {
    context: CONTEXT_LINES,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
  return { diff, changed: true };
}
