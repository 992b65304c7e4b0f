// What the API server says about a Secret may quote the Secret's values: a value of the wrong type comes back as
// `.stringData.pin: expected string, got &value.valueUnstructured{Value:123456}`, and an admission webhook may say
// anything at all. Such text must never reach a status note, `-o json`, an agent line or the sync history. So for
// an object that is or carries a Secret, the server's message is not passed on: a message is written from parts that
// cannot hold a value (the reason, field paths whose keys the object has, conflicting managers, a few fixed
// phrases), and every value the object holds is scrubbed from it once more.
import { Buffer } from 'node:buffer';
import { isRecord } from './fields.js';
import { holdsSecret, isSecret } from './mask.js';
import type { KubeObject } from './types.js';

const MASK = '++++++++';
const WITHHELD = "the rest of the server's message is withheld, as it may quote secret values";

/** Whole messages of known shape that hold names only, never a value: passed on as they are. */
const SAFE_MESSAGES = [
  // The sync creates missing target namespaces; a dry-run before that says so, and the loop reads the name.
  /^namespaces "[a-z0-9]([-a-z0-9]*[a-z0-9])?" not found$/,
  // RBAC says which verb on which resource the person may not use.
  /^[a-z0-9.]+ "[^"\\]{0,253}" is forbidden: User "[^"\\]{0,253}" cannot [a-z]+ resource "[a-z0-9.]+" in API group "[a-z0-9.]*"(?: in the namespace "[a-z0-9-]+")?$/,
];

/** Fixed phrases of the server's messages worth keeping (the loop tells a schema mismatch from a server fault). */
const PHRASES = [
  /failed to create typed (?:patch )?object/,
  /\bexpected (?:string|map|list|integer|number|boolean)\b/,
];

export interface ServerText {
  reason: string;
  message: string;
  /** Field paths the server named (a Status's details.causes[].field). */
  fields?: string[];
}

/**
 * The server's reason and message about this object, made safe to show and record: unchanged for an object that
 * holds no Secret, written from value-free parts for one that does.
 */
export function maskServerText(
  obj: KubeObject | undefined,
  text: ServerText,
  said: 'refused' | 'warned about' = 'refused',
): { reason: string; message: string } {
  if (!obj || !holdsSecret(obj)) return { reason: text.reason, message: text.message };
  const reason = /^[A-Za-z0-9]{1,64}$/.test(text.reason) ? text.reason : 'Refused';
  if (SAFE_MESSAGES.some((re) => re.test(text.message)))
    return { reason, message: scrubSecretValues(obj, text.message) };
  const parts: string[] = [];
  const phrase = PHRASES[0]!.exec(text.message)?.[0];
  const head =
    phrase ??
    `the API server ${said} ${obj.kind ?? 'the object'} ${JSON.stringify(obj.metadata?.name ?? '')}`;
  const paths = fieldPaths(obj, text);
  if (paths.length) parts.push(paths.join(', '));
  const expected = PHRASES[1]!.exec(text.message)?.[0];
  if (expected) parts.push(expected);
  const managers = [
    ...new Set([...text.message.matchAll(/conflicts? with "([^"\\]{1,128})"/g)].map((m) => m[1]!)),
  ];
  if (managers.length) parts.push(managers.map((m) => `conflict with ${JSON.stringify(m)}`).join(', '));
  const message = `${head}${parts.length ? `: ${parts.join(': ')}` : ''}; ${WITHHELD}`;
  return { reason, message: scrubSecretValues(obj, message) };
}

/** The field paths named in the server's text that are the object's own keys: `.data.password`, `.metadata.name`. */
function fieldPaths(obj: KubeObject, text: ServerText): string[] {
  // Only a top-level Secret's paths are known well enough; an embedded one's could run through anything.
  if (!isSecret(obj)) return [];
  const keys = new Set([...keysOf(obj.data), ...keysOf(obj.stringData)]);
  const out = new Set<string>();
  const sources = [text.message, ...(text.fields ?? [])];
  for (const source of sources) {
    for (const m of source.matchAll(
      /(?:^|[^A-Za-z0-9_])\.?(data|stringData)(?:\.|\[)([-._A-Za-z0-9]{1,253})/g,
    )) {
      const key = m[2]!;
      const known = keys.has(key)
        ? key
        : keys.has(key.replace(/\.+$/, ''))
          ? key.replace(/\.+$/, '')
          : undefined;
      if (known) out.add(`.${m[1]}.${known}`);
    }
    for (const m of source.matchAll(
      /(?:^|[^A-Za-z0-9_])\.?(metadata\.(?:name|namespace|labels|annotations)|type|immutable|data|stringData)(?![-._A-Za-z0-9[])/g,
    )) {
      if (m[0].includes('.') || source !== text.message) out.add(`.${m[1]}`);
    }
  }
  return [...out];
}

const keysOf = (value: unknown): string[] => (isRecord(value) ? Object.keys(value) : []);

/**
 * The text with every value of the object's Secrets (its own, or embedded) replaced by the mask: as stored
 * (base64), decoded, and as JSON for values that are not strings. Values shorter than 4 characters are left, as
 * masking them would garble the words around them and they say next to nothing.
 */
export function scrubSecretValues(obj: KubeObject | undefined, text: string): string {
  if (!obj || !holdsSecret(obj)) return text;
  const values = new Set<string>();
  collectValues(obj, true, values);
  let out = text;
  for (const v of [...values].filter((x) => x.length >= 4).sort((a, b) => b.length - a.length))
    out = out.split(v).join(MASK);
  return out;
}

function collectValues(node: unknown, top: boolean, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const x of node) collectValues(x, false, into);
    return;
  }
  if (!isRecord(node)) return;
  if (node.kind === 'Secret' && (top ? isSecret(node as KubeObject) : true)) {
    for (const field of ['data', 'stringData'] as const) addLeaves(node[field], field === 'data', into);
  }
  for (const child of Object.values(node)) collectValues(child, false, into);
}

/** Every leaf value under a Secret's data or stringData, in the forms a message may quote it. */
function addLeaves(value: unknown, base64: boolean, into: Set<string>): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value) || isRecord(value)) {
    into.add(JSON.stringify(value));
    for (const x of Object.values(value)) addLeaves(x, base64, into);
    return;
  }
  const text = typeof value === 'string' ? value : String(value);
  into.add(text);
  if (typeof value === 'string') {
    if (base64) into.add(Buffer.from(value, 'base64').toString('utf8'));
    else into.add(Buffer.from(value, 'utf8').toString('base64'));
  }
}
