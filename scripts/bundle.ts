// Bundles the command-line program into dist/cli.js (replacing tsc's two-line entry) plus chunks in dist/chunks, and
// the console's loop thread into dist/console-thread-worker.js, the parse threads into dist/parse-worker.js.
// One file to load instead of some 900 modules: a headless command starts in about a third of the time. The console
// (Ink, React) stays in chunks of its own, loaded only when the console opens, after cli.js has chosen React's
// production build. tsc's per-module output stays in dist/ for the benchmark and the tests that import modules.
//
//   node --import tsx scripts/bundle.ts      (part of `npm run build`)
import { chmod, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');

// Chunk names carry a content hash: clear the last build's.
await rm(join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: {
    cli: join(root, 'source', 'cli.ts'),
    // The console's watch loop runs in a worker thread started from this file (cli/console-thread.ts).
    'console-thread-worker': join(root, 'source', 'cli', 'console-thread-worker.ts'),
    // The render's YAML parse threads (render/parse-pool.ts).
    'parse-worker': join(root, 'source', 'render', 'parse-worker.ts'),
  },
  outdir: join(root, 'dist'),
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Ink loads it only for React DevTools (DEV=true); it is not a dependency.
  external: ['react-devtools-core'],
  alias: {
    'whatwg-url': join(root, 'scripts', 'bundle-stubs', 'whatwg-url.mjs'),
    'is-in-ci': join(root, 'scripts', 'bundle-stubs', 'is-in-ci.mjs'),
  },
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __driftdeckCreateRequire } from 'node:module'; const require = __driftdeckCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
await chmod(join(root, 'dist', 'cli.js'), 0o755);
