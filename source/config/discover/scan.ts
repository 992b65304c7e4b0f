// The scan of a repository that has no driftdeck.yaml, for Argo CD Applications and Flux objects. Bounded so that a
// large or hostile repository cannot make a start slow or exhaust memory: files and bytes read, depth, and entries
// listed; symlinks are never followed; dot-folders (.git, .github) are skipped. A file is parsed only when its text
// names an Argo CD or Flux API group; a file that is not valid YAML is skipped (a scan reads files nobody pointed
// it at). A Helm chart whose templates name those groups is listed for rendering (an app-of-apps chart).
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import { parseManifests } from '../../render/manifests.js';
import { isAppProject } from './appproject.js';
import { isApplication } from './argocd.js';
import { isFluxKustomization, isFluxSource, isHelmRelease } from './flux.js';
import type { FoundObject } from './found.js';

export const SCAN_LIMITS = {
  /** Folders deeper than this are not entered. */
  depth: 8,
  /** Directory entries looked at, in all. */
  entries: 20_000,
  /** YAML files opened. */
  files: 2_000,
  /** One file larger than this is skipped (Flux's own gotk-components.yaml is well under it). */
  fileBytes: 4 * 1024 * 1024,
  /** Bytes read in all. */
  totalBytes: 64 * 1024 * 1024,
};

const MARKERS = ['argoproj.io', 'toolkit.fluxcd.io'];
const YAML_FILE = /\.ya?ml$/;

export interface ScanResult {
  objects: FoundObject[];
  /** Chart folders whose templates name an Argo CD or Flux group, relative to the root. */
  charts: string[];
  /** YAML files read. */
  files: number;
  /** What the scan left out and why, for the notice. */
  notes: string[];
}

export async function scanRepository(root: string, limits = SCAN_LIMITS): Promise<ScanResult> {
  const out: ScanResult = { objects: [], charts: [], files: 0, notes: [] };
  let entries = 0;
  let bytes = 0;
  let stopped: string | undefined;
  let skipped = 0;

  const readSmall = async (abs: string, size: number): Promise<string | undefined> => {
    if (size > limits.fileBytes || bytes + size > limits.totalBytes) return undefined;
    bytes += size;
    const handle = await open(abs, 'r');
    try {
      const buffer = Buffer.alloc(size);
      await handle.read(buffer, 0, size, 0);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  };

  const walk = async (rel: string, depth: number): Promise<void> => {
    if (stopped) return;
    const abs = rel === '.' ? root : join(root, rel);
    const names = (await readdir(abs).catch(() => [] as string[])).sort();
    const isChart = names.includes('Chart.yaml');
    for (const name of names) {
      if (stopped) return;
      if (++entries > limits.entries) {
        stopped = `${limits.entries} folder entries`;
        return;
      }
      if (name.startsWith('.') || name === 'node_modules') continue;
      const childRel = rel === '.' ? name : posix.join(rel, name);
      const childAbs = join(abs, name);
      const info = await lstat(childAbs).catch(() => undefined);
      if (!info || info.isSymbolicLink()) continue;
      if (info.isDirectory()) {
        // A chart's templates are Go templates, not YAML, and its charts/ are vendored subcharts.
        if (isChart && name === 'templates') {
          if (await templatesName(childAbs)) out.charts.push(rel);
          continue;
        }
        if (isChart && name === 'charts') continue;
        if (depth < limits.depth) await walk(childRel, depth + 1);
        continue;
      }
      if (!info.isFile() || !YAML_FILE.test(name)) continue;
      if (++out.files > limits.files) {
        stopped = `${limits.files} YAML files`;
        return;
      }
      const text = await readSmall(childAbs, info.size).catch(() => undefined);
      if (text === undefined) {
        skipped++;
        continue;
      }
      if (!MARKERS.some((m) => text.includes(m))) continue;
      try {
        for (const m of parseManifests(text, { file: childRel }))
          if (
            isApplication(m) ||
            isAppProject(m) ||
            isFluxKustomization(m) ||
            isHelmRelease(m) ||
            isFluxSource(m)
          )
            out.objects.push(m);
      } catch {
        skipped++;
      }
    }
  };

  /** Whether a chart's templates (its top folder, a few files) name an Argo CD or Flux group. */
  const templatesName = async (abs: string): Promise<boolean> => {
    const names = (await readdir(abs).catch(() => [] as string[])).filter(
      (n) => YAML_FILE.test(n) || n.endsWith('.tpl'),
    );
    for (const name of names.slice(0, 50)) {
      const info = await lstat(join(abs, name)).catch(() => undefined);
      if (!info?.isFile()) continue;
      const text = await readSmall(join(abs, name), info.size).catch(() => undefined);
      if (text && MARKERS.some((m) => text.includes(m))) return true;
    }
    return false;
  };

  await walk('.', 0);
  out.files = Math.min(out.files, limits.files);
  if (stopped)
    out.notes.push(
      `the scan stopped after ${stopped}: name the folders in driftdeck.yaml (discover: [{argocd: apps/}])`,
    );
  if (skipped)
    out.notes.push(
      `${skipped} YAML file(s) skipped (too large, or naming Argo CD or Flux but not valid YAML)`,
    );
  return out;
}

/**
 * Why a folder named in `discover` is too big to read (over the scan's bounds in entries, YAML files or bytes), or
 * undefined. Checked before the folder is rendered, so a hostile commit cannot make every start read a huge tree.
 */
export async function folderTooBig(
  root: string,
  folder: string,
  limits = SCAN_LIMITS,
): Promise<string | undefined> {
  let entries = 0;
  let files = 0;
  let bytes = 0;
  const walk = async (abs: string, depth: number): Promise<string | undefined> => {
    for (const name of await readdir(abs).catch(() => [] as string[])) {
      if (++entries > limits.entries) return `more than ${limits.entries} entries`;
      const info = await lstat(join(abs, name)).catch(() => undefined);
      if (!info || info.isSymbolicLink()) continue;
      if (info.isDirectory()) {
        if (depth >= limits.depth) return `folders deeper than ${limits.depth}`;
        const why = await walk(join(abs, name), depth + 1);
        if (why) return why;
      } else if (info.isFile() && YAML_FILE.test(name)) {
        if (++files > limits.files) return `more than ${limits.files} YAML files`;
        bytes += info.size;
        if (bytes > limits.totalBytes) return `more than ${sizeText(limits.totalBytes)} of YAML`;
      }
    }
    return undefined;
  };
  // A folder that is a symlink is measured where it leads only inside the repository; elsewhere rendering refuses it.
  const top = await realpath(folder === '.' ? root : join(root, folder)).catch(() => undefined);
  const realRoot = await realpath(root);
  if (!top || (top !== realRoot && !top.startsWith(`${realRoot}${sep}`))) return undefined;
  return walk(top, 0);
}

const sizeText = (n: number) => (n >= 1 << 20 ? `${Math.floor(n / (1 << 20))} MiB` : `${n} bytes`);
