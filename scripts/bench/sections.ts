// The benchmark, section by section, in the order they run: each section adds its figures and target checks to the
// report. Later sections rely on the state earlier ones leave (sync leaves both namespaces holding the 1,000 objects).
// Sections on the cluster get the full context; the others (the console's) need no cluster, and when only they are
// chosen (`--only console`) no cluster is started at all. They run after the cluster is deleted, on a quiet machine.
import type { BenchContext, SectionContext } from './context.js';
import { diffChanged } from './sections/change.js';
import { consoleSection } from './sections/console.js';
import { detect } from './sections/detect.js';
import { diffCreate } from './sections/diff.js';
import { fleet } from './sections/fleet.js';
import { inspect } from './sections/inspect.js';
import { rediff } from './sections/rediff.js';
import { sync } from './sections/sync.js';

export interface ClusterSection {
  id: string;
  title: string;
  cluster: true;
  /** Sections whose end state this one measures from (`--only` must name them too). */
  needs?: string[];
  run: (ctx: BenchContext) => Promise<void>;
}

export interface LocalSection {
  id: string;
  title: string;
  cluster: false;
  run: (ctx: SectionContext) => Promise<void>;
}

export type Section = ClusterSection | LocalSection;

/** The engine and headless CLI (issue 3). */
export const ENGINE_SECTIONS: ClusterSection[] = [
  { id: 'diff-create', title: 'Diff: 1,000 objects to create', cluster: true, run: diffCreate },
  { id: 'sync', title: 'Sync: create 1,000 objects', cluster: true, run: sync },
  {
    id: 'diff-change',
    needs: ['sync'],
    title: 'Diff: 10 of 1,000 objects changed',
    cluster: true,
    run: diffChanged,
  },
  {
    id: 'rediff',
    needs: ['sync'],
    title: 'Re-diff with nothing changed',
    cluster: true,
    run: rediff,
  },
  {
    id: 'detect',
    needs: ['sync'],
    title: 'Commit pushed to change detected',
    cluster: true,
    run: detect,
  },
];

/**
 * The console (issue 4): time to first frame, keypress-to-frame p50/p95 with 1,000 apps and 10,000 resources, idle
 * redraws and bytes per second (still, and with unchanged snapshots published). No cluster: a fake controller.
 */
export const CONSOLE_SECTIONS: LocalSection[] = [
  { id: 'console', title: 'Console: 1,000 apps and 10,000 resources', cluster: false, run: consoleSection },
];

/**
 * The resources view (issue 13): API requests per second of the real loop with no view open, with the tree, events
 * and a log follow open, and after they close. An app of its own: needs no other section.
 */
export const INSPECT_SECTIONS: ClusterSection[] = [
  { id: 'inspect', title: 'Resources view: requests on demand only', cluster: true, run: inspect },
];

/**
 * The fleet (issue 15): the built agent against 1,000 apps of 50 objects, from empty and after a restart. Long (tens
 * of minutes on two cores) and heavy on the cluster: run only when named (`--only fleet`).
 */
export const FLEET_SECTIONS: ClusterSection[] = [
  { id: 'fleet', title: 'Fleet: the agent over 1,000 apps of 50 objects', cluster: true, run: fleet },
];

export const SECTIONS: Section[] = [
  ...ENGINE_SECTIONS,
  ...INSPECT_SECTIONS,
  ...CONSOLE_SECTIONS,
  ...FLEET_SECTIONS,
];
/** What a plain `npm run bench` runs. */
export const DEFAULT_SECTIONS: Section[] = [...ENGINE_SECTIONS, ...INSPECT_SECTIONS, ...CONSOLE_SECTIONS];
