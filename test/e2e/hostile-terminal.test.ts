// A commit whose subject carries terminal escapes, in a real terminal: the console's header and history pane, and
// the revert prompt of `driftdeck revert`, show the escapes as visible text. Every byte the program writes is
// recorded (tmux pipe-pane): the hostile sequences never reach the terminal, and the clipboard stays untouched.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { CLI } from '../support/cli.js';
import { testKubeconfig, uniqueName } from '../support/cluster.js';
import { appsFile, configMap, gitEnv, makeRepo, type TestRepo } from '../support/repo.js';
import { TmuxSession } from './tmux.js';

const ESC = '\x1b';
/** Clears the screen, then sets the clipboard to "pwned" (OSC 52), then a C1 CSI; the subject around it is plain. */
const SUBJECT = `web: bump ${ESC}[2J${ESC}]52;c;cHduZWQ=\x07\u009b2J done`;
const SHOWN = 'web: bump ^[[2J^[]52;c;cHduZWQ=^G\\u009b2J done';

const app = uniqueName('web');
let root: string;
let repo: TestRepo;
let sha: string;
let session: TmuxSession | undefined;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'driftdeck-hostile-'));
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'web', namespace: uniqueName('hostile') }]),
    'web/cm.yaml': configMap('web', { v: '1' }),
  });
  sha = await repo.commit({ 'web/cm.yaml': configMap('web', { v: '2' }) }, SUBJECT);
});
afterEach(async () => {
  await session?.kill();
  session = undefined;
});
after(async () => {
  await repo?.cleanup();
  await rm(root, { recursive: true, force: true });
});

/** The program in tmux, recording its output from the first byte, and a terminal that lets OSC 52 set a buffer. */
async function open(args: string[], recording: string): Promise<TmuxSession> {
  const { kubeconfig, context } = testKubeconfig();
  // A shell in between waits for the recording to start before the program writes anything: a file, not a
  // keypress, says go (a key sent before the shell reads its terminal could be lost, and the program never start).
  const go = join(root, `go-${uniqueName('tty')}`);
  const tty = await TmuxSession.start({
    argv: [
      'sh',
      '-c',
      'while [ ! -e "$0" ]; do sleep 0.05; done; exec "$@"',
      go,
      process.execPath,
      CLI,
      ...args,
      '--repo',
      repo.remote,
      '--kubeconfig',
      kubeconfig,
      '--context',
      context,
    ],
    width: 160,
    height: 40,
    env: { ...(gitEnv() as Record<string, string>), XDG_CACHE_HOME: join(root, 'cache') },
    unset: ['NO_COLOR', 'FORCE_COLOR', 'CI'],
    cwd: root,
  });
  session = tty;
  await tty.acceptClipboard();
  await tty.record(recording);
  await writeFile(go, '');
  return tty;
}

/** What the hostile subject must never be written as: its escapes as bytes. */
function assertNoHostileBytes(bytes: string) {
  assert.ok(bytes.length > 0, 'the recording holds the output');
  assert.ok(!bytes.includes(`${ESC}]52`), 'no OSC 52 was written');
  assert.ok(!bytes.includes('\u009b'), 'no C1 CSI was written');
  assert.ok(!bytes.includes(`bump ${ESC}`), 'the subject is not followed by an escape');
}

test('the console shows a hostile commit subject in the header and the history pane, obeying none of it', {
  timeout: 120_000,
}, async () => {
  const recording = join(root, 'console.bytes');
  const tty = await open([], recording);
  const header = new RegExp(`head ${sha.slice(0, 7)} ${escapeRegExp(SHOWN)}`);
  await tty.waitForScreen(
    'the app listed under the hostile head subject',
    (s) => header.test(s) && /Apps \(1\)/.test(s),
    30_000,
  );
  await tty.press('4');
  await tty.waitForText(new RegExp(`${sha.slice(0, 7)} .*${escapeRegExp(SHOWN)}`), 30_000);
  await tty.press('q');
  await tty.waitForText(/EXITED/, 15_000);
  assertNoHostileBytes(await readFile(recording, 'utf8'));
  assert.deepEqual(await tty.buffers(), [], 'the clipboard was not set');
});

test('the revert prompt shows the hostile subject visibly', { timeout: 120_000 }, async () => {
  const recording = join(root, 'revert.bytes');
  const tty = await open(['revert', sha], recording);
  await tty.waitForText(new RegExp(`Revert ${sha} "${escapeRegExp(SHOWN)}" and push to main\\?`), 30_000);
  await tty.waitForText(/Type yes to push the revert:/);
  await tty.type('no');
  await tty.press('Enter');
  await tty.waitForText(/nothing was pushed[\s\S]*EXITED 1/, 15_000);
  assertNoHostileBytes(await readFile(recording, 'utf8'));
  assert.deepEqual(await tty.buffers(), [], 'the clipboard was not set');
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
