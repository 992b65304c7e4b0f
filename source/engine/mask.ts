// Secret values never leave the engine: every value in a Secret's `data` and `stringData` becomes a mask that
// tells equal values from distinct ones without revealing either the value or its length. That holds for a Secret
// carried inside another object too (a `kind: Secret` map under a custom resource's spec, the items of a List): a
// controller may well create the Secret from it, and its values are as secret there as anywhere.
import { Buffer } from 'node:buffer';
import { cloneJson, compareText, isRecord, type Json } from './fields.js';
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
  if (desired) out.desired = maskAny(desired, maskOf);
  if (live) out.live = maskAny(live, maskOf);
  return out;
}

/** A Secret is masked; another object is copied with its embedded Secrets masked, or passed through without any. */
function maskAny(obj: KubeObject, maskOf: (value: string) => string): KubeObject {
  return isSecret(obj) ? maskOne(obj, maskOf) : maskCarrier(obj, maskOf);
}

function maskCarrier(obj: KubeObject, maskOf: (value: string) => string): KubeObject {
  if (!holdsEmbeddedSecret(obj)) return obj;
  const copy = cloneJson(obj);
  maskEmbedded(copy, maskOf, true);
  // kubectl's last-applied annotation repeats the whole object, the embedded Secret's values with it.
  const annotations = copy.metadata?.annotations;
  if (annotations && LAST_APPLIED_ANNOTATION in annotations)
    copy.metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: MASK };
  return copy;
}

/**
 * A map below the top that says `kind: Secret` and carries `data` or `stringData`. The apiVersion is not asked: an
 * embedded object's apiVersion is whatever its author wrote (often none), no server checked it, and masking a map
 * that only looks like a Secret costs a diff line, while not masking a real one leaks it.
 */
const isEmbeddedSecret = (value: Json): boolean =>
  value.kind === 'Secret' && (value.data !== undefined || value.stringData !== undefined);

/** True when any map below the object's top is an embedded Secret. */
export function holdsEmbeddedSecret(obj: unknown): boolean {
  const visit = (node: unknown, top: boolean): boolean => {
    if (Array.isArray(node)) return node.some((x) => visit(x, false));
    if (!isRecord(node)) return false;
    if (!top && isEmbeddedSecret(node)) return true;
    return Object.values(node).some((x) => visit(x, false));
  };
  return visit(obj, true);
}

/** True when the object is a Secret or carries one: what the server says about it may quote secret values. */
export function holdsSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && (isSecret(obj) || holdsEmbeddedSecret(obj));
}

/** Masks embedded Secrets in place, visiting keys in sorted order so numbering does not follow key order. */
function maskEmbedded(node: unknown, maskOf: (value: string) => string, top = false): void {
  if (Array.isArray(node)) {
    for (const x of node) maskEmbedded(x, maskOf);
    return;
  }
  if (!isRecord(node)) return;
  if (!top && isEmbeddedSecret(node)) {
    // Its data is masked whole, Secret-looking maps inside it included.
    maskData(node as KubeObject, maskOf);
    return;
  }
  for (const key of Object.keys(node).sort(compareText)) maskEmbedded(node[key], maskOf);
}

/** One object masked on its own (events, logs, JSON output). */
export function maskObject(obj: KubeObject): KubeObject {
  return maskSecrets(obj).desired ?? obj;
}

function maskOne(secret: KubeObject, maskOf: (value: string) => string): KubeObject {
  const copy = cloneJson(secret);
  maskData(copy, maskOf);
  const annotations = copy.metadata?.annotations;
  if (annotations && LAST_APPLIED_ANNOTATION in annotations) {
    copy.metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: MASK };
  }
  return copy;
}

/** Replaces `data` and `stringData` (folded into `data`) by masks, in place. */
function maskData(secret: KubeObject, maskOf: (value: string) => string): void {
  const data = foldStringData(secret);
  if (data) {
    const masked: Record<string, string> = {};
    for (const name of Object.keys(data).sort(compareText)) masked[name] = maskOf(data[name] ?? '');
    secret.data = masked;
  }
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
