// Secret values never leave the engine: every value in a Secret's `data` and `stringData` becomes a mask that
// tells equal values from distinct ones without revealing either the value or its length.
import { Buffer } from 'node:buffer';
import { cloneJson, compareText, isRecord } from './fields.js';
import { groupOf } from './keys.js';
import { LAST_APPLIED_ANNOTATION } from './normalize.js';
import type { KubeObject } from './types.js';

const MASK = '++++++++';

export function isSecret(obj: KubeObject | undefined): obj is KubeObject {
  return obj !== undefined && obj.kind === 'Secret' && groupOf(obj.apiVersion) === '';
}

export interface MaskedPair {
  desired?: KubeObject;
  live?: KubeObject;
}

/**
 * Masked copies of both sides of a comparison. For Secrets, `stringData` is first folded into base64 `data`
 * (stringData wins, as on the server) so that both sides compare like for like; then each distinct value gets
 * `++++++++ (n)`, numbered by first appearance over sorted keys, desired before live. Other kinds pass through.
 */
export function maskSecrets(desired?: KubeObject, live?: KubeObject): MaskedPair {
  const numbers = new Map<string, number>();
  const maskOf = (value: string): string => {
    let n = numbers.get(value);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(value, n);
    }
    return `${MASK} (${n})`;
  };
  const out: MaskedPair = {};
  if (desired) out.desired = isSecret(desired) ? maskOne(desired, maskOf) : desired;
  if (live) out.live = isSecret(live) ? maskOne(live, maskOf) : live;
  return out;
}

/** One object masked on its own (events, logs, JSON output). */
export function maskObject(obj: KubeObject): KubeObject {
  return maskSecrets(obj).desired ?? obj;
}

function maskOne(secret: KubeObject, maskOf: (value: string) => string): KubeObject {
  const copy = cloneJson(secret);
  const data = foldStringData(copy);
  if (data) {
    const masked: Record<string, string> = {};
    for (const name of Object.keys(data).sort(compareText)) masked[name] = maskOf(data[name] ?? '');
    copy.data = masked;
  }
  const annotations = copy.metadata?.annotations;
  if (annotations && LAST_APPLIED_ANNOTATION in annotations) {
    copy.metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: MASK };
  }
  return copy;
}

/**
 * Moves `stringData` into `data` as base64 and returns the values, or undefined when neither is a map. A malformed
 * field (a list, a scalar) is still secret, so it is replaced whole by the mask.
 */
function foldStringData(secret: KubeObject): Record<string, string> | undefined {
  let data: Record<string, string> | undefined;
  for (const field of ['data', 'stringData'] as const) {
    const value = secret[field];
    if (value === undefined || value === null) continue;
    if (!isRecord(value)) {
      secret[field] = MASK;
      continue;
    }
    data ??= {};
    for (const [k, v] of Object.entries(value)) {
      data[k] = field === 'data' ? asText(v) : Buffer.from(asText(v), 'utf8').toString('base64');
    }
    if (field === 'stringData') delete secret.stringData;
  }
  return data;
}

/** A string standing for any value, so that non-string values (a YAML number, null) are masked too. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
}
