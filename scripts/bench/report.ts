// What the benchmark found: figures (runs of a measurement), targets checked against them, and notes; printed as a
// table and written to bench-results.json (a run of some sections only keeps the other sections' earlier figures).
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { mergeEarlier } from './results.js';
import { formatBytes, formatMs, type Runs, summarize } from './stats.js';

export type Unit = 'ms' | 'requests' | 'x' | 'B/s' | '/s' | 'B' | '%';

export interface Figure {
  section: string;
  label: string;
  unit: Unit;
  runs: Runs;
  /** 1-minute load average when the figure was taken (the machine may be shared). */
  load: number;
  note?: string;
}

export interface TargetCheck {
  section: string;
  target: string;
  actual: string;
  pass: boolean;
}

export class Report {
  readonly figures: Figure[] = [];
  readonly targets: TargetCheck[] = [];
  readonly notes: string[] = [];
  readonly startedAt = new Date().toISOString();

  add(section: string, label: string, unit: Unit, runs: Runs | number[], note?: string): Figure {
    const fig: Figure = {
      section,
      label,
      unit,
      runs: Array.isArray(runs) ? summarize(runs) : runs,
      load: loadavg()[0]!,
      ...(note ? { note } : {}),
    };
    this.figures.push(fig);
    console.log(`  ${label}: ${show(fig.unit, fig.runs.median)} median, ${show(fig.unit, fig.runs.max)} max`);
    return fig;
  }

  /** `faster` x faster than `than`, at least `goal` times (medians). */
  speedup(section: string, what: string, faster: Figure, than: Figure, goal: number): void {
    const ratio = than.runs.median / faster.runs.median;
    this.check(
      section,
      `${what} >= ${goal}x faster than kubectl`,
      `${ratio.toFixed(2)}x (${show('ms', faster.runs.median)} vs ${show('ms', than.runs.median)})`,
      ratio >= goal,
    );
  }

  check(section: string, target: string, actual: string, pass: boolean): void {
    this.targets.push({ section, target, actual, pass });
  }

  note(text: string): void {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  print(): void {
    const rows = this.figures.map((f) => [
      f.section,
      f.label,
      show(f.unit, f.runs.median),
      show(f.unit, f.runs.max),
      String(f.runs.values.length),
      f.load.toFixed(1),
    ]);
    console.log('\nResults (median and max of the measured runs; load = 1-min load average at the time)\n');
    table(['section', 'measurement', 'median', 'max', 'runs', 'load'], rows);
    console.log('\nTargets\n');
    table(
      ['section', 'target', 'measured', 'verdict'],
      this.targets.map((t) => [t.section, t.target, t.actual, t.pass ? 'PASS' : 'MISS']),
    );
    if (this.notes.length) console.log(`\nNotes\n${this.notes.map((n) => `- ${n}`).join('\n')}`);
  }

  /** Writes the results; with `merge` (a run of some sections), other sections' figures in the file are kept. */
  async write(path: string, extra: Record<string, unknown>, merge = false): Promise<void> {
    const json = {
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      ...extra,
      figures: this.figures,
      targets: this.targets,
      notes: this.notes,
    };
    await writeFile(path, `${JSON.stringify(merge ? await mergeEarlier(path, json) : json, null, 2)}\n`);
  }
}

export function show(unit: Unit, value: number): string {
  if (unit === 'ms') return formatMs(value);
  if (unit === 'x') return `${value.toFixed(2)}x`;
  if (unit === 'B/s') return `${formatBytes(value)}/s`;
  if (unit === '/s') return `${value.toFixed(2)}/s`;
  if (unit === 'B') return formatBytes(value);
  if (unit === '%') return `${value.toFixed(1)} %`;
  return String(Math.round(value));
}

function table(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}
