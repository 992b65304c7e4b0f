// The code of the worker thread that runs jq (jq 1.7, compiled to WebAssembly: the jq-wasm package, by a jq
// maintainer). A worker, because WebAssembly cannot be interrupted: an expression from Git that never ends is stopped
// by terminating its thread, never the thread that draws the console. The jq program has no files and no real
// environment (Emscripten's in-memory file system), so an expression reads nothing but the object it is given.
//
// Kept as text (run with `eval: true`) so that the bundled CLI carries it without a second entry point; jq-wasm
// itself is required from where it is installed, the path resolved by the parent.
//
// Objects go in as a --argjson argument, not on stdin: the package reads stdin one byte at a time through a copy of
// the rest (5 KB took 218 ms, 250 KB 14 s), while an argument is copied once (250 KB: 184 ms). Arguments live on the
// WebAssembly stack, so one batch stays under BATCH_BYTES (about 1 MB crashed the module).
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const factory = require(workerData.jqModule);
let module;
const compiled = new Map();

async function jq() {
  if (!module) module = await factory();
  return module;
}

// Whether the expression compiles as a path expression (evaluated on nothing: limit(0) never runs it).
async function compileProblem(expr) {
  if (compiled.has(expr)) return compiled.get(expr);
  let problem = '';
  try {
    await (await jq()).raw('', '[limit(0; path(' + expr + '))]', ['-n', '-c']);
  } catch (err) {
    problem = String(err && err.message || err);
  }
  compiled.set(expr, problem);
  return problem;
}

parentPort.on('message', async (request) => {
  try {
    const problems = [];
    for (const expr of request.exprs) problems.push(await compileProblem(expr));
    const parts = request.exprs.map((expr, i) =>
      problems[i]
        ? 'null'
        : '(try [limit(' + (request.maxPaths + 1) + '; path(' + expr + '))] catch {error: (. | tostring)})',
    );
    const program = '$o | map([' + parts.join(', ') + '])';
    const out = await (await jq()).raw('', program, ['-n', '-c', '--argjson', 'o', request.objects]);
    parentPort.postMessage({ id: request.id, problems, out });
  } catch (err) {
    // The module may be left broken (a trap inside WebAssembly): start a new one for the next request.
    module = undefined;
    parentPort.postMessage({ id: request.id, failed: String(err && err.message || err) });
  }
});
`;
