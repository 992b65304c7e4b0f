// A commit whose subject carries terminal escapes (clear screen, OSC 52 clipboard, carriage return, C1 CSI, bidi
// override), read through the built CLI: the table shows them as visible text and writes no escape byte, JSON keeps
// the exact subject, and an error quoting hostile text from the repository reaches stderr shown, not obeyed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { driftdeck } from '../support/cli.js';
import { uniqueName } from '../support/cluster.js';
import { CONTROL, HOSTILE, HOSTILE_SHOWN } from '../support/controls.js';
import { appsFile, configMap, makeRepo, type TestRepo } from '../support/repo.js';

const app = uniqueName('web');
let repo: TestRepo;

before(async () => {
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([{ name: app, path: 'web', namespace: uniqueName('hostile') }]),
    'web/cm.yaml': configMap('web', { v: '1' }),
  });
  await repo.commit({ 'web/cm.yaml': configMap('web', { v: '2' }) }, `web: ${HOSTILE} done`);
});
after(async () => {
  await repo?.cleanup();
});

test('history shows a hostile commit subject visibly and writes no escape byte', async () => {
  const r = await driftdeck(['history', app, '--repo', repo.remote]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`web: ${HOSTILE_SHOWN} done`), r.stdout);
  assert.doesNotMatch(r.stdout, CONTROL);
  assert.doesNotMatch(r.stderr, CONTROL);
  // One row per commit: the carriage return did not start a line of its own.
  assert.equal(r.stdout.trimEnd().split('\n').length, 3, r.stdout);
});

test('history -o json keeps the exact subject and still writes no escape byte', async () => {
  const r = await driftdeck(['history', app, '--repo', repo.remote, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, CONTROL);
  const [newest] = JSON.parse(r.stdout) as Array<{ subject: string }>;
  assert.equal(newest?.subject, `web: ${HOSTILE} done`);
});

test('an app error quoting hostile text from the repository reaches stderr shown, not obeyed', async () => {
  // The app's path carries the escapes (YAML escapes in a double-quoted string); `diff` reports the app's error.
  const escaped = HOSTILE.replaceAll('\x1b', '\\e')
    .replaceAll('\x07', '\\a')
    .replaceAll('\r', '\\r')
    .replaceAll('\b', '\\b')
    .replaceAll('\u009b', '\\x9b')
    .replaceAll('\u202e', '\\u202e');
  const broken = await makeRepo({
    'driftdeck.yaml': `apps:\n  - name: shop\n    path: "web${escaped}"\n    namespace: default\n`,
    'web/cm.yaml': configMap('web', { v: '1' }),
  });
  try {
    const r = await driftdeck(['diff', 'shop', '--repo', broken.remote]);
    assert.equal(r.code, 2, r.stderr + r.stdout);
    assert.ok(r.stderr.includes(`web${HOSTILE_SHOWN}`), r.stderr);
    assert.doesNotMatch(r.stderr, CONTROL);
  } finally {
    await broken.cleanup();
  }
});
