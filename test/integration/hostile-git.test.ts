// The Git adapter against remotes and neighbours that do not play along: a work clone reset under a revert, a ref
// that moves after the person said yes, a remote that accepts and never answers, a token written into the URL.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gitPort } from '../../source/cli/wire.js';
import { GitSource } from '../../source/git/git-source.js';
import { CLI, driftdeck } from '../support/cli.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { requireTools, shellQuote, startGitHttpsServer } from './git-servers.js';
import { namesUnder, processLines, startStalledServer, watchProcesses } from './hostile-remote.js';

const OPERATOR = 'alice@console-1';
const TIMEOUT = { timeout: 180_000 };
/** Seconds of silence before a network command gives up, kept short so a stalled remote is quick to test. */
const STALL = 2;

async function webHistory(t: { after: (fn: () => Promise<void>) => void }) {
  const fixture = await createGitFixture('driftdeck-hostile-git-');
  t.after(() => fixture.cleanup());
  const { seed } = fixture;
  const v1 = fixture.commit(seed, { 'apps/web/deploy.yaml': 'image: web:1\n' }, 'web: v1');
  const v2 = fixture.commit(seed, { 'apps/web/deploy.yaml': 'image: web:2\n' }, 'web: v2');
  fixture.push(seed);
  return { fixture, v1, v2 };
}

function remoteFile(fixture: GitFixture, file: string): string {
  return fixture.git(fixture.remote, 'show', `main:${file}`);
}

test(
  'a work clone reset between the revert commit and its push never reports success without the commit on the remote',
  TIMEOUT,
  async (t) => {
    const { fixture, v2 } = await webHistory(t);
    // Another process resets the shared work clone to the remote head right before our push runs.
    let resets = 0;
    const source: GitSource = new GitSource({
      url: fixture.remote,
      branch: 'main',
      cacheDir: fixture.cacheDir,
      env: fixture.env,
      operator: OPERATOR,
      trace: (args) => {
        if (!args.includes('push')) return;
        fixture.git(source.paths.work, 'reset', '-q', '--hard', 'refs/remotes/origin/main');
        resets += 1;
      },
    });
    const plan = await source.describeRevert(v2);
    const outcome = await source.revert(plan.commit.sha);
    assert.equal(resets, 1, 'the reset happened before the push');
    assert.equal(fixture.remoteHead(), outcome.newSha, 'the reported commit is the remote head');
    assert.notEqual(outcome.newSha, v2);
    assert.equal(
      remoteFile(fixture, 'apps/web/deploy.yaml'),
      'image: web:1\n',
      'the revert is on the remote',
    );
    assert.equal(fixture.git(fixture.remote, 'rev-parse', 'main~1').trim(), v2);
  },
);

test(
  'a revert waits while another driftdeck process holds the work clone, and runs once it is gone',
  TIMEOUT,
  async (t) => {
    const { fixture, v2 } = await webHistory(t);
    let released = false;
    const pushes: boolean[] = [];
    const source = new GitSource({
      url: fixture.remote,
      branch: 'main',
      cacheDir: fixture.cacheDir,
      env: fixture.env,
      operator: OPERATOR,
      trace: (args) => {
        if (args.includes('push')) pushes.push(released);
      },
    });
    const plan = await source.describeRevert(v2);
    // A second process (alive, not us) holds the lock on the work clone.
    const holder = spawn('sleep', ['120'], { stdio: 'ignore' });
    t.after(() => holder.kill('SIGKILL'));
    const lock = `${source.paths.work}.lock`;
    await fs.mkdir(lock, { recursive: true });
    await fs.writeFile(path.join(lock, 'pid'), String(holder.pid));

    let settled = false;
    const reverting = source.revert(plan.commit.sha).finally(() => {
      settled = true;
    });
    reverting.catch(() => undefined);
    // Long enough for an unguarded revert to have run to its end.
    for (let waited = 0; waited < 4000 && !settled; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(settled, false, 'the revert did not run while another process held the work clone');
    assert.equal(fixture.remoteHead(), v2);

    released = true;
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const outcome = await reverting;
    assert.deepEqual(pushes, [true], 'pushed only after the holder was gone');
    assert.equal(fixture.remoteHead(), outcome.newSha);
    await assert.rejects(fs.lstat(lock), 'the lock is released');
  },
);

test(
  'the adapter reverts only a full sha: a name that can move is refused, nothing pushed',
  TIMEOUT,
  async (t) => {
    const { fixture, v2 } = await webHistory(t);
    const source = new GitSource({
      url: fixture.remote,
      branch: 'main',
      cacheDir: fixture.cacheDir,
      env: fixture.env,
      operator: OPERATOR,
    });
    for (const name of ['origin/main', 'HEAD', v2.slice(0, 12)]) {
      await assert.rejects(source.revert(name), {
        name: 'GitError',
        message: new RegExp(
          `^"${name.replace('/', '\\/')}" names ${v2.slice(0, 7)} now, but a name can move`,
        ),
      });
    }
    assert.equal(fixture.remoteHead(), v2, 'nothing pushed');
  },
);

/** `driftdeck <args>` in a pseudo-terminal (util-linux script), so that it asks before reverting. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv) {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(' ');
  const child: ChildProcess = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? -1)));
  return {
    output: () => output,
    async waitFor(text: string) {
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited before "${text}":\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    type: (text: string) => child.stdin?.write(text),
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}

test(
  'revert <ref> reverts the sha the person confirmed, even when the ref moves before they say yes',
  TIMEOUT,
  async (t) => {
    const { fixture, v2 } = await webHistory(t);
    const env = { ...fixture.env, DRIFTDECK_CACHE_DIR: path.join(fixture.root, 'driftdeck', 'localcluster') };
    const terminal = inTerminal(['revert', 'origin/main', '--repo', fixture.remote], env);
    t.after(() => terminal.kill());
    await terminal.waitFor('Type yes');
    assert.match(
      terminal.output(),
      new RegExp(`Revert ${v2} "web: v2"`),
      'the confirmation names the full sha',
    );

    // A colleague pushes while the question is on the screen: origin/main now names their commit.
    const colleague = fixture.clone('colleague');
    const theirs = fixture.commit(colleague, { 'apps/api/deploy.yaml': 'image: api:7\n' }, 'api: v7');
    fixture.push(colleague);

    terminal.type('yes\n');
    assert.equal(await terminal.exited, 0, terminal.output());
    assert.equal(fixture.git(fixture.remote, 'rev-parse', 'main~1').trim(), theirs);
    assert.equal(
      remoteFile(fixture, 'apps/web/deploy.yaml'),
      'image: web:1\n',
      'the confirmed commit is reverted',
    );
    assert.equal(
      remoteFile(fixture, 'apps/api/deploy.yaml'),
      'image: api:7\n',
      'the new commit is untouched',
    );
    assert.match(
      fixture.git(fixture.remote, 'log', '-1', '--format=%B', 'main'),
      new RegExp(`This reverts commit ${v2}`),
    );
  },
);

test(
  'a stalled http remote makes status exit non-zero, naming the command, the remote and the time',
  TIMEOUT,
  async (t) => {
    const stalled = await startStalledServer();
    t.after(() => stalled.stop());
    const root = await fs.mkdtemp(path.join(tmpdir(), 'driftdeck-stall-'));
    t.after(() => fs.rm(root, { recursive: true, force: true }));
    const url = `http://127.0.0.1:${stalled.port}/x.git`;
    const result = await driftdeck(['status', '--repo', url], 90_000, {
      env: { DRIFTDECK_GIT_TIMEOUT: String(STALL), DRIFTDECK_CACHE_DIR: path.join(root, 'localcluster') },
    });
    assert.notEqual(result.code, 0, result.stdout);
    assert.notEqual(result.code, -1, 'it ended by itself, not killed by the test');
    const expected = `git ls-remote of ${url} did not answer within ${STALL}s`;
    assert.ok(result.stderr.includes(expected), `stderr names the stall: ${result.stderr}`);
    assert.ok(stalled.accepted() > 0, 'git did reach the server');
  },
);

test(
  'a stalled ssh remote is given up by ssh itself, and by the deadline under the user`s own ssh command; every poll tries again',
  TIMEOUT,
  async (t) => {
    const stalled = await startStalledServer();
    t.after(() => stalled.stop());
    const fixture = await createGitFixture('driftdeck-hostile-ssh-');
    t.after(() => fixture.cleanup());
    const url = `ssh://127.0.0.1:${stalled.port}/x.git`;
    const port = String(stalled.port);
    for (const [name, env, within] of [
      ['our ssh command', fixture.env, STALL],
      [
        'the user`s own GIT_SSH_COMMAND',
        { ...fixture.env, GIT_SSH_COMMAND: 'ssh -o BatchMode=yes' },
        STALL * 2 + 10,
      ],
    ] as const) {
      const commands: string[][] = [];
      const source = new GitSource({
        url,
        branch: 'main',
        cacheDir: path.join(fixture.root, `cache-${within}`),
        env,
        stallSeconds: STALL,
        trace: (args) => commands.push([...args]),
      });
      for (const attempt of [1, 2]) {
        await assert.rejects(source.poll(), (error: unknown) => {
          // By name: the suite also runs against code from before GitTimeoutError existed, to see it fail.
          assert.ok(
            error instanceof Error && error.name === 'GitTimeoutError',
            `${name}, poll ${attempt}: ${String(error)}`,
          );
          assert.equal(error.message, `git ls-remote of ${url} did not answer within ${within}s`);
          return true;
        });
      }
      assert.equal(
        commands.filter((args) => args.includes('ls-remote')).length,
        2,
        `${name}: each poll asked anew`,
      );
      const left = (await processLines()).filter((line) => line.argv.some((arg) => arg.includes(port)));
      assert.deepEqual(left, [], `${name}: nothing git started is left talking to the stalled remote`);
    }
  },
);

test(
  'a token in the URL never reaches output, the header, a git command line or a cache folder name',
  TIMEOUT,
  async (t) => {
    const stalled = await startStalledServer();
    t.after(() => stalled.stop());
    const root = await fs.mkdtemp(path.join(tmpdir(), 'driftdeck-token-'));
    t.after(() => fs.rm(root, { recursive: true, force: true }));
    const password = 'glpat-PASSWORD-1f4e9c';
    const queryToken = 'QUERYTOKEN-77ab20';
    const url = `http://deployer:${password}@127.0.0.1:${stalled.port}/x.git?access_token=${queryToken}`;
    const cacheDir = path.join(root, 'localcluster');

    let cli = -1;
    const watcher = watchProcesses(
      (line) => line.pid !== cli && line.argv.some((arg) => arg.includes(`127.0.0.1:${stalled.port}`)),
    );
    const result = await driftdeck(['status', '--repo', url], 90_000, {
      env: { DRIFTDECK_GIT_TIMEOUT: String(STALL), DRIFTDECK_CACHE_DIR: cacheDir },
      onStart: (child) => {
        cli = child.pid ?? -1;
      },
    });
    const gitLines = await watcher.stop();
    assert.ok(
      gitLines.some((line) => line.argv.some((arg) => /ls-remote|remote-https?/.test(arg))),
      `git was seen talking to the remote: ${JSON.stringify(gitLines)}`,
    );
    for (const line of gitLines) {
      assert.ok(
        !line.argv.join(' ').includes(password),
        `a git command line shows the password: ${line.argv.join(' ')}`,
      );
    }
    const output = result.stdout + result.stderr;
    assert.match(
      result.stderr,
      /http:\/\/\*\*\*@127\.0\.0\.1:\d+\/x\.git\?access_token=\*\*\* did not answer/,
    );
    for (const secret of [password, queryToken]) {
      assert.ok(!output.includes(secret), `the output shows ${secret}: ${output}`);
      const names = await namesUnder(path.join(root, 'git'));
      assert.ok(names.length > 0, 'a cache folder was made');
      assert.ok(
        !names.some((name) => name.includes(secret)),
        `a cache folder is named with ${secret}: ${names}`,
      );
    }
    // The header shows the repository the loop's Git port names.
    const port = gitPort(new GitSource({ url, branch: 'main', cacheDir: path.join(root, 'port') }));
    assert.equal(port.url, `http://***@127.0.0.1:${stalled.port}/x.git?access_token=***`);
  },
);

test(
  'https credentials written in the URL still authenticate, through the environment only',
  TIMEOUT,
  async (t) => {
    await requireTools({ openssl: true });
    const { fixture } = await webHistory(t);
    const password = 'pw-in-url-5c1d';
    const server = await startGitHttpsServer({
      dir: path.join(fixture.root, 'https'),
      projectRoot: fixture.root,
      user: 'deployer',
      password,
    });
    t.after(() => server.stop());
    const commands: string[][] = [];
    const source = new GitSource({
      url: `https://deployer:${password}@127.0.0.1:${server.port}/remote.git`,
      branch: 'main',
      cacheDir: fixture.cacheDir,
      env: { ...fixture.env, GIT_SSL_CAINFO: server.caFile },
      trace: (args) => commands.push([...args]),
    });
    const { head } = await source.poll();
    assert.equal(head, fixture.remoteHead());
    assert.ok(
      server.requests.some((request) => request.user === 'deployer'),
      'the URL`s credentials were used',
    );
    assert.ok(commands.length > 0);
    assert.ok(!commands.flat().some((arg) => arg.includes(password)), 'the password is never an argument');
    assert.ok(!commands.flat().some((arg) => arg.includes('deployer@')), 'neither is the user part');
  },
);
