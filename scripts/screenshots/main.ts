// `npm run screenshots`: a local cluster of its own (`driftdeck-shots`, always deleted at the end), the demo seeded
// in a temp folder, the built console driven in tmux, and every screen rendered to screenshots/*.png.
// Four sessions: the wide console (scenes.ts), the same at 80x24 without colour, the broken release
// (broken-release.ts: the resources tree, a pod's events and logs), and the fleet (fleet.ts: one console over this
// cluster and a second one, `driftdeck-shots-b`, started for it and deleted at the end too).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sampleDir, seedDemoRepo } from '../../source/demo/index.js';
import { ensureTools, startCluster, stopCluster } from '../../source/localcluster/index.js';
import { TmuxSession } from '../../test/e2e/tmux.js';
import { playBrokenRelease } from './broken-release.js';
import { makeCamera } from './camera.js';
import { mergeKubeconfigs, playFleet, pushFleetChanges } from './fleet.js';
import { checkRenderer, makeRenderer } from './png.js';
import { playNarrow, playWide } from './scenes.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const OUT = join(ROOT, 'screenshots');
const CLUSTER = 'driftdeck-shots';
const CLUSTER_B = 'driftdeck-shots-b';
export const EXPECTED = [
  '01-app-list',
  '02-diff',
  '03-rollout',
  '04-history',
  '05-revert-confirm',
  '06-help',
  '07-80x24-no-color',
  '08-sync-plan',
  '09-resource-tree',
  '10-pod-logs',
  '11-events',
  '12-fleet',
];

/** Values of the demo Secret long enough to be recognised, in clear and in base64: none may be on a screenshot. */
async function secretValues(): Promise<string[]> {
  const file = join(sampleDir(), 'apps', 'backend', 'secret.yaml');
  const secret = parse(await readFile(file, 'utf8')) as {
    stringData?: Record<string, string>;
    data?: Record<string, string>;
  };
  const clear = [
    ...Object.values(secret.stringData ?? {}),
    ...Object.values(secret.data ?? {}).map((v) => Buffer.from(v, 'base64').toString('utf8')),
  ].filter((v) => v.length >= 8);
  if (clear.length === 0) throw new Error(`${file} has no value to check the masking with`);
  return [...clear, ...clear.map((v) => Buffer.from(v).toString('base64'))];
}

export async function main(): Promise<number> {
  const log = (line: string) => console.log(line);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  await checkRenderer();
  const forbidden = await secretValues();
  await mkdir(OUT, { recursive: true });

  const tools = await ensureTools({ onProgress: (line) => log(`  ${line}`) });
  process.env.PATH = `${tools.binDir}:${process.env.PATH ?? ''}`;
  let stopping: Promise<void> | undefined;
  const stop = (name: string) =>
    stopCluster(name, tools, { onProgress: (line) => log(`  ${line}`) }).catch((err: Error) =>
      console.error(`could not delete cluster ${name}: ${err.message}`),
    );
  const cleanup = () => {
    stopping ??= Promise.all([stop(CLUSTER), stop(CLUSTER_B)]).then(() => undefined);
    return stopping;
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const temp = await mkdtemp(join(tmpdir(), 'driftdeck-shots-'));
  const renderer = await makeRenderer(OUT);
  const sessions: TmuxSession[] = [];
  try {
    log(`starting cluster ${CLUSTER}`);
    const cluster = await startCluster({ name: CLUSTER, tools, nodes: 3, onProgress: (l) => log(`  ${l}`) });
    const demo = await seedDemoRepo({ root: temp });
    log(`demo remote: ${demo.remote}`);
    const camera = makeCamera(renderer, forbidden, log);
    const argv = [
      process.execPath,
      CLI,
      '--repo',
      demo.remote,
      '--kubeconfig',
      cluster.kubeconfig,
      '--context',
      cluster.context,
      '--interval',
      '1',
    ];
    const env = {
      GIT_AUTHOR_NAME: 'GadgetGrove Dev',
      GIT_AUTHOR_EMAIL: 'dev@gadgetgrove.example',
      GIT_COMMITTER_NAME: 'GadgetGrove Dev',
      GIT_COMMITTER_EMAIL: 'dev@gadgetgrove.example',
      XDG_CACHE_HOME: join(temp, 'cache'),
    };
    const open = async (width: number, height: number, extra: Record<string, string>, args = argv) => {
      const session = await TmuxSession.start({
        argv: args,
        width,
        height,
        env: { ...env, ...extra },
        unset: ['NO_COLOR', 'FORCE_COLOR', 'CI'].filter((name) => !(name in extra)),
        cwd: temp,
        socket: 'driftdeck-shots',
      });
      sessions.push(session);
      return session;
    };

    log('wide console (160x45)');
    const wide = await open(160, 45, {});
    await playWide(wide, camera, demo.workdir, log);
    await wide.kill();
    log('80x24 console, NO_COLOR=1');
    const narrow = await open(80, 24, { NO_COLOR: '1' });
    await playNarrow(narrow, camera);
    await narrow.kill();
    log('the broken release (160x45)');
    const broken = await open(160, 45, {});
    await playBrokenRelease(broken, camera, demo.workdir);
    await broken.kill();
    log(`the fleet: ${CLUSTER} and ${CLUSTER_B} in one console (160x45)`);
    const second = await startCluster({ name: CLUSTER_B, tools, nodes: 1, onProgress: (l) => log(`  ${l}`) });
    await pushFleetChanges(demo.workdir, second.context);
    const kubeconfig = join(temp, 'kubeconfig-fleet');
    await mergeKubeconfigs(cluster, second, kubeconfig);
    const contexts = `${cluster.context},${second.context}`;
    const fleet = await open(160, 45, {}, [
      ...[process.execPath, CLI, '--repo', demo.remote, '--kubeconfig', kubeconfig],
      ...['--context', contexts, '--interval', '1'],
    ]);
    await playFleet(fleet, camera, cluster.context, second.context);
    await fleet.kill();

    const missing = EXPECTED.filter((name) => !camera.shots.some((s) => s.name === name));
    if (missing.length > 0) throw new Error(`no screenshot taken of ${missing.join(', ')}`);
    for (const shot of camera.shots) {
      if (forbidden.some((secret) => shot.text.includes(secret)))
        throw new Error(`${shot.name} shows a Secret value`);
    }
    log(`${camera.shots.length} screenshots in ${OUT}, no Secret value on any of them`);
    return 0;
  } finally {
    for (const session of sessions) await session.kill();
    await renderer.close();
    await rm(temp, { recursive: true, force: true });
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
