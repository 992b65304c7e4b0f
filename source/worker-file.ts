// A worker thread started from a module of driftdeck's own, wherever the code runs from: tsc's output (the module
// beside the caller), the sources under tsx (the tests), or the bundle (dist/<name>.js, one folder above the chunk
// the caller was bundled into). Shared by the console's loop thread and the render's parse threads.
import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts `<name>` from beside `from` (the caller's import.meta.url); undefined when no build of it is there. */
export function startWorker(name: string, from: string, options: WorkerOptions = {}): Worker | undefined {
  for (const candidate of [`./${name}.js`, `./${name}.ts`, `../${name}.js`]) {
    const url = new URL(candidate, from);
    if (!existsSync(url)) continue;
    if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
    // Node 20 does not carry tsx's loader into a worker's entry module: the sources are imported through it.
    const tsx = import.meta.resolve('tsx/esm/api');
    const code = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(from)}))`;
    return new Worker(code, { ...options, eval: true, execArgv: [] });
  }
  return undefined;
}
