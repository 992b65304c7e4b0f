// Kubernetes events about the objects of an app's tree, as an operator reads them: newest first, each naming its
// object, the message masked when the object carries a Secret and made terminal-safe (events are written by
// whoever may create them in the namespace: hostile text).
import { isRecord, numberAt, stringAt } from './fields.js';
import type { EventItem, ObjectRef, TreeNode } from './inspect.js';
import { maskServerText } from './mask-message.js';
import { terminalText } from './terminal-text.js';
import type { KubeObject } from './types.js';

const safe = (text: string) => terminalText(text);

/** When the event was last seen: lastTimestamp, a series' last observation, eventTime, or its creation. */
export function eventTime(e: KubeObject): string {
  return (
    stringAt(e, 'lastTimestamp') ??
    stringAt(e, 'series', 'lastObservedTime') ??
    stringAt(e, 'eventTime') ??
    e.metadata.creationTimestamp ??
    ''
  );
}

const refKey = (r: { kind?: unknown; namespace?: unknown; name?: unknown }) =>
  `${String(r.kind ?? '')}/${String(r.namespace ?? '')}/${String(r.name ?? '')}`;

/**
 * The events about `nodes` (by the involved object's uid when the event names one, else by kind, namespace and
 * name), newest first. `live` gives an object's live state by `kind/namespace/name`, to mask what the server said
 * about one that holds a Secret.
 */
export function eventItems(
  events: readonly KubeObject[],
  nodes: readonly TreeNode[],
  live: (ref: ObjectRef) => KubeObject | undefined,
  uids: ReadonlyMap<string, ObjectRef>,
): EventItem[] {
  const byKey = new Map<string, ObjectRef>();
  for (const n of nodes) byKey.set(refKey(n.ref), n.ref);
  const wanted = new Set(nodes.map((n) => refKey(n.ref)));
  const out: Array<EventItem & { order: string }> = [];
  for (const e of events) {
    const inv = e.involvedObject;
    if (!isRecord(inv)) continue;
    const uid = typeof inv.uid === 'string' && inv.uid ? inv.uid : undefined;
    const byUid = uid ? uids.get(uid) : undefined;
    // An event naming a uid is about that object only: a later object of the same name is another one.
    const ref = uid ? byUid : byKey.get(refKey(inv));
    if (!ref || !wanted.has(refKey(ref))) continue;
    const reason = String(e.reason ?? '');
    const text = maskServerText(live(ref), { reason, message: String(e.message ?? '') }, 'warned about');
    const lastSeen = eventTime(e);
    out.push({
      type: safe(String(e.type ?? 'Normal')),
      reason: safe(text.reason),
      message: safe(text.message),
      object: ref,
      count: Math.max(1, Math.floor(numberAt(e, 'count') ?? numberAt(e, 'series', 'count') ?? 1)),
      lastSeen: safe(lastSeen),
      order: lastSeen,
    });
  }
  out.sort((a, b) => b.order.localeCompare(a.order) || a.reason.localeCompare(b.reason));
  return out.map(({ order: _order, ...item }) => item);
}
