// Which apps a loop runs: those destined for its cluster. An app names its cluster (`cluster:` in driftdeck.yaml,
// an Argo CD destination.name); one naming none goes to the default cluster (a console's first context, an agent
// started without --cluster-name). Pull-based: a loop never renders, watches, compares or syncs another
// cluster's app; the ones no loop of this process takes are counted, so that they are said rather than lost.
import type { AppSpec } from '../engine/types.js';

export interface Destination {
  /** The name this loop's cluster answers to: its kube context, or an agent's --cluster-name. */
  cluster?: string;
  /** Whether it takes the apps naming no cluster (it is the default cluster). */
  takesDefault: boolean;
  /** Every cluster this process opened (a fleet's contexts): apps for any other are counted as not opened. */
  opened?: readonly string[];
}

export interface DestinedApps {
  mine: AppSpec[];
  /** Apps for clusters no loop of this process opened, by cluster, in the order first seen. */
  notOpened: Map<string, number>;
}

export function isMine(app: AppSpec, dest: Destination): boolean {
  return app.cluster === undefined ? dest.takesDefault : app.cluster === dest.cluster;
}

/**
 * The apps of this loop and the count of those for clusters not opened. Only the default cluster's loop counts
 * (once per process, not once per loop of a fleet).
 */
export function destinedApps(apps: readonly AppSpec[], dest: Destination | undefined): DestinedApps {
  if (!dest) return { mine: [...apps], notOpened: new Map() };
  const opened = new Set([...(dest.opened ?? []), ...(dest.cluster !== undefined ? [dest.cluster] : [])]);
  const mine: AppSpec[] = [];
  const notOpened = new Map<string, number>();
  for (const app of apps) {
    if (isMine(app, dest)) mine.push(app);
    else if (dest.takesDefault && app.cluster !== undefined && !opened.has(app.cluster))
      notOpened.set(app.cluster, (notOpened.get(app.cluster) ?? 0) + 1);
  }
  return { mine, notOpened };
}

/** "3 apps are for clusters not opened here (prod-eu: 2, prod-us: 1)", or undefined when there are none. */
export function notOpenedNotice(
  notOpened: ReadonlyMap<string, number>,
  how = 'open them with --context',
): string | undefined {
  if (!notOpened.size) return undefined;
  const total = [...notOpened.values()].reduce((a, b) => a + b, 0);
  const each = [...notOpened].map(([cluster, n]) => `${cluster}: ${n}`).join(', ');
  return `${total} app${total === 1 ? ' is' : 's are'} for clusters not opened here (${each}); ${how}`;
}

/** A notice for the log (what was found, what is elsewhere), said again only when it changes. */
export class NoticeOnce {
  private last?: string;

  get current(): string | undefined {
    return this.last;
  }

  say(text: string | undefined, emit: (message: string) => void): void {
    if (text && text !== this.last) emit(text);
    this.last = text;
  }
}
