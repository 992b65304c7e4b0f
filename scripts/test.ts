// `npm test`: type-check, lint, unit tests, then the integration and end-to-end suites against a real local cluster
// that this script brings up (building it when the cache is cold) and always removes, even when tests fail.
//
//   npm test                      everything
//   npm test -- --only unit       type-check, lint and unit tests (no cluster)
//   npm test -- --only integration|e2e [files...]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import process from 'node:process';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
const fileArgs = args.filter((a, i) => !a.startsWith('--') && i !== onlyIndex + 1 && i !== onlyIndex);

function run(cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(`could not start ${cmd}: ${err.message}`);
      resolve(1);
    });
  });
}

function testFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, full));
    }
  };
  walk(join(root, 'test', folder));
  return out;
}

function step(title: string) {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 100 - title.length))}`);
}

const node = process.execPath;
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

const totals = { passed: 0, failed: 0, skipped: 0 };

/** A step that is no test file (type-check, lint, build, cluster start) counts as one test in the closing line. */
function counted(code: number): number {
  if (code) totals.failed += 1;
  else totals.passed += 1;
  return code ? 1 : 0;
}
const reports = mkdtempSync(join(tmpdir(), 'driftdeck-test-'));

/** Runs test files with the spec reporter on screen and a TAP copy whose counts make the final summary. */
async function nodeTests(
  phase: string,
  files: string[],
  concurrency: number,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  if (files.length === 0) {
    console.error(`no ${phase} test files found`);
    totals.failed += 1;
    return 1;
  }
  const tap = join(reports, `${phase}.tap`);
  const code = await run(
    node,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
  if (code && !count('fail')) totals.failed += 1;
  return code;
}

async function main(): Promise<number> {
  const wanted = (phase: string) => !only || only === phase;
  let failed = 0;

  if (!only) {
    step('type-check');
    failed += counted(await run(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']));
    step('lint and format');
    failed += counted(await run(bin('biome'), ['check', 'source', 'test', 'scripts']));
  }

  if (wanted('unit')) {
    step('unit tests');
    const files = fileArgs.length && only === 'unit' ? fileArgs : testFiles('unit');
    // Ink decides when it is loaded whether to draw only the last frame (a CI-marked environment); the built
    // program never does (scripts/bundle-stubs/is-in-ci.mjs), and the unit tests load Ink from source, so they
    // run without the marks, as the console does.
    const { CI: _ci, CONTINUOUS_INTEGRATION: _ci2, ...unitEnv } = process.env;
    failed += (await nodeTests('unit', files, 2, unitEnv)) ? 1 : 0;
  }
  if (only === 'unit') return failed;

  // The same build as `npm run build`: the integration and end-to-end tests run dist/cli.js, which must be the
  // bundle people run (tsc's per-module output alone left the bundle's stand-ins, such as is-in-ci, untested).
  step('build');
  if (counted(await run(bin('tsc'), ['-p', 'tsconfig.build.json']))) return failed + 1;
  if (counted(await run(node, ['--import', 'tsx', join(root, 'scripts', 'bundle.ts')]))) return failed + 1;

  // The cluster module is loaded only now so that unit runs never touch it.
  const { ensureTools, startCluster, stopCluster } = await import('../source/localcluster/index.js');
  step('local cluster');
  const name = `driftdeck-test-${process.pid}`;
  let tools: Awaited<ReturnType<typeof ensureTools>>;
  try {
    tools = await ensureTools({ onProgress: (line) => console.log(`  ${line}`) });
  } catch (err) {
    console.error(`\n${(err as Error).message}`);
    return failed + counted(1);
  }
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  // A second cluster, for the fleet tests (apps on two clusters, one stopped mid-run): started beside the first,
  // from the same cache, it adds seconds. Only the integration phase uses it.
  const nameB = `${name}-b`;
  const withB = wanted('integration');
  let clusterB: typeof cluster;
  const cleanup = async () => {
    step('removing the local cluster');
    for (const n of withB ? [name, nameB] : [name])
      await stopCluster(n, tools, { onProgress: (line) => console.log(`  ${line}`) }).catch((err: Error) =>
        console.error(`  could not remove cluster ${n}: ${err.message}`),
      );
  };
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    try {
      const progress = (line: string) => console.log(`  ${line}`);
      // One after the other: two kwokctl runs at once may both take the same free port, and one cluster never
      // comes up (seen in a CI rehearsal).
      cluster = await startCluster({ name, tools, nodes: 3, onProgress: progress });
      clusterB = withB
        ? await startCluster({ name: nameB, tools, nodes: 1, onProgress: progress })
        : undefined;
    } catch (err) {
      counted(1);
      throw err;
    }
    counted(0);
    const env = {
      ...process.env,
      DRIFTDECK_TEST_KUBECONFIG: cluster.kubeconfig,
      DRIFTDECK_TEST_CONTEXT: cluster.context,
      ...(clusterB
        ? { DRIFTDECK_TEST_KUBECONFIG_B: clusterB.kubeconfig, DRIFTDECK_TEST_CONTEXT_B: clusterB.context }
        : {}),
      DRIFTDECK_TOOLS_BIN: tools.binDir,
      PATH: `${tools.binDir}:${process.env.PATH ?? ''}`,
    };
    for (const phase of ['integration', 'e2e'] as const) {
      if (!wanted(phase)) continue;
      step(`${phase} tests`);
      const files = fileArgs.length && only === phase ? fileArgs : testFiles(phase);
      failed += (await nodeTests(phase, files, phase === 'e2e' ? 1 : 2, env)) ? 1 : 0;
    }
  } catch (err) {
    console.error(`\n${(err as Error).message}`);
    failed += 1;
    // A cluster that did not start was counted where it failed.
    if (cluster) totals.failed += 1;
  } finally {
    await cleanup();
  }
  return failed;
}

/** One plain closing line for every step together, as CI reads it: printed however the run ended. */
function close(failed: number): never {
  console.log(
    `\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
  );
  if (failed) console.error(`${failed} step(s) failed`);
  process.exit(failed ? 1 : 0);
}

main().then(close, (err: Error) => {
  console.error(err.stack ?? err.message);
  totals.failed += 1;
  close(1);
});
