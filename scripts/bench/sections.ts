// The benchmark, section by section, in the order they run: each section adds its figures and target checks to the
// report. Later sections rely on the state earlier ones leave (sync leaves both namespaces holding the 1,000 objects).
import type { BenchContext } from './context.js';
import { diffChanged } from './sections/change.js';
import { detect } from './sections/detect.js';
import { diffCreate } from './sections/diff.js';
import { rediff } from './sections/rediff.js';
import { sync } from './sections/sync.js';

export interface Section {
  id: string;
  title: string;
  run: (ctx: BenchContext) => Promise<void>;
}

/** The engine and headless CLI (issue 3). */
export const ENGINE_SECTIONS: Section[] = [
  { id: 'diff-create', title: 'Diff: 1,000 objects to create', run: diffCreate },
  { id: 'sync', title: 'Sync: create 1,000 objects', run: sync },
  { id: 'diff-change', title: 'Diff: 10 of 1,000 objects changed', run: diffChanged },
  { id: 'rediff', title: 'Re-diff with nothing changed', run: rediff },
  { id: 'detect', title: 'Commit pushed to change detected', run: detect },
];

/**
 * The console (issue 4): time to first frame, keypress-to-frame p50/p95 with 1,000 apps and 10,000 resources, idle
 * redraws and bytes per second. Add its sections here; they get the same context (cluster, repo, report).
 */
export const CONSOLE_SECTIONS: Section[] = [];

export const SECTIONS: Section[] = [...ENGINE_SECTIONS, ...CONSOLE_SECTIONS];
