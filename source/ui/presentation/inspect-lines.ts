// The lines of what the resources view shows over one object: its live YAML, its events and a pod's logs. Pure
// functions of the data the inspector answered; every text becomes a segment (line.ts), so control characters from
// the cluster never reach the terminal even if an answer was not cleaned upstream.

import { toYaml } from '../../engine/diff.js';
import type { ContainerState, EventItem } from '../../engine/inspect.js';
import type { KubeObject } from '../../engine/types.js';
import { age, cell, plural } from './format.js';
import { type Line, seg, selectable } from './line.js';

/** The live object as YAML, managedFields left out unless asked for (they are long and rarely what is wanted). */
export function yamlLines(object: KubeObject, managedFields: boolean): Line[] {
  let shown: KubeObject = object;
  const meta = object.metadata;
  if (!managedFields && meta && 'managedFields' in meta) {
    const { managedFields: _hidden, ...rest } = meta;
    shown = { ...object, metadata: rest as KubeObject['metadata'] };
  }
  const text = toYaml(shown).replace(/\n$/, '');
  return text.split('\n').map((line) => {
    const key = /^(\s*-?\s*)([^:\s][^:]*:)(.*)$/.exec(line);
    if (!key) return [seg(line)];
    return [seg(key[1] ?? ''), seg(key[2] ?? '', 'info'), seg(key[3] ?? '')];
  });
}

/** Events newest first, Warnings marked in the text and in colour. */
export function eventLines(items: readonly EventItem[], now: number): Line[] {
  if (items.length === 0) return [[seg('No events for this object or what it owns.', 'muted')]];
  const sorted = [...items].sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen));
  return sorted.map((event) => {
    const warning = event.type === 'Warning';
    const times = event.count > 1 ? ` (x${event.count})` : '';
    return [
      seg(cell(age(event.lastSeen, now), 5), 'muted'),
      seg(cell(event.type, 8), warning ? 'warn' : 'muted', warning),
      seg(cell(`${event.reason}${times}`, 24), warning ? 'warn' : undefined, warning),
      seg(cell(`${event.object.kind}/${event.object.name}`, 30), 'info'),
      seg(event.message, warning ? 'warn' : undefined),
    ];
  });
}

/** Log lines; with `wrap`, a long line continues on the next rows instead of being cut at the edge. */
export function logTextLines(lines: readonly string[], wrap: boolean, width: number): Line[] {
  const out: Line[] = [];
  const columns = Math.max(width, 10);
  for (const raw of lines) {
    // Made terminal-safe before cutting, so a cut never splits a `^[` placeholder from what it stands for.
    const text = seg(raw).text;
    if (!wrap || text.length <= columns) {
      out.push([seg(text)]);
      continue;
    }
    for (let at = 0; at < text.length; at += columns) out.push([seg(text.slice(at, at + columns))]);
  }
  return out;
}

/** One container to choose: name, role, state, restarts and whether a previous instance can be read. */
export function containerLine(container: ContainerState, selected: boolean): Line {
  const state = [container.state, container.reason].filter(Boolean).join(': ');
  const previous = container.hasPrevious ? '  (a previous instance to read)' : '';
  return selectable(
    [
      seg(cell(container.name, 24), undefined, true),
      seg(cell(container.role === 'init' ? 'init' : '', 6), 'muted'),
      seg(cell(state, 30), container.ready ? 'good' : 'warn'),
      seg(plural(container.restarts, 'restart'), container.restarts > 0 ? 'warn' : 'muted'),
      seg(previous, 'muted'),
    ],
    selected,
  );
}
