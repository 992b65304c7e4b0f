// bench-results.json after a run of some sections only (`--only`): this run's sections replace theirs, and the other
// sections' figures and target checks stay, with the command and time of the run that measured them under `earlier`.
import { readFile } from 'node:fs/promises';
import type { Figure, TargetCheck } from './report.js';

/** A run whose figures are still in the file: which of its sections are, and what it noted. */
export interface Earlier {
  command: string;
  startedAt: string;
  sections: string[];
  notes: string[];
}

export interface Results {
  startedAt: string;
  command?: unknown;
  figures: Figure[];
  targets: TargetCheck[];
  notes: string[];
  earlier?: Earlier[];
}

export async function mergeEarlier<T extends Results>(path: string, current: T): Promise<T> {
  let previous: Results;
  try {
    previous = JSON.parse(await readFile(path, 'utf8')) as Results;
  } catch {
    return current; // no earlier results (or unreadable ones): this run's alone
  }
  const measured = new Set([...current.figures, ...current.targets].map((f) => f.section));
  const figures = (previous.figures ?? []).filter((f) => !measured.has(f.section));
  const targets = (previous.targets ?? []).filter((t) => !measured.has(t.section));
  const kept = new Set([...figures, ...targets].map((f) => f.section));
  if (kept.size === 0) return current;

  const olderRuns = (previous.earlier ?? []).map((e) => ({
    ...e,
    sections: e.sections.filter((s) => kept.has(s)),
  }));
  const fromOlder = new Set(olderRuns.flatMap((e) => e.sections));
  const previousRun: Earlier = {
    command: String(previous.command ?? 'npm run bench'),
    startedAt: previous.startedAt,
    sections: [...kept].filter((s) => !fromOlder.has(s)),
    notes: previous.notes ?? [],
  };
  return {
    ...current,
    figures: [...figures, ...current.figures],
    targets: [...targets, ...current.targets],
    earlier: [...olderRuns, previousRun].filter((e) => e.sections.length > 0),
  };
}
