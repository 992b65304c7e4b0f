// Builds the pinned control-plane binaries and tools from Go modules into the cache, once per version.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withLock } from '../process-lock.js';
import { goVersionOf, parseGoVersion, versionAtLeast, wrapperGoMod } from './gomod.js';
import { cachePaths } from './paths.js';
import { type ProgressSink, timedStep } from './progress.js';
import { runLogged, runQuiet } from './run.js';
import { binaryName, COMPONENTS, type Component, MIN_GO, wrapperModule } from './versions.js';

export interface Tools {
  /** One folder with every binary below, for PATH. */
  binDir: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  etcd: string;
  kwok: string;
  kwokctl: string;
  helm: string;
  kustomize: string;
  /** driftdeck's own Jsonnet renderer, built against the pinned go-jsonnet. */
  jsonnet: string;
}

export class LocalClusterError extends Error {
  constructor(
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
    this.name = 'LocalClusterError';
  }
}

const goEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GOWORK: 'off',
  GOTOOLCHAIN: 'local',
  CGO_ENABLED: '0',
  GOFLAGS: '-mod=mod',
});

export async function checkGo(): Promise<string> {
  let out: string;
  try {
    out = await runQuiet('go', ['version'], { env: goEnv() });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT')
      throw new LocalClusterError(
        `Go was not found on PATH. The local cluster is built from Go modules: install Go ${MIN_GO} or newer (e.g. from your package manager) and try again.`,
      );
    throw new LocalClusterError(`\`go version\` failed: ${e.message}`);
  }
  const have = parseGoVersion(out);
  if (!have || !versionAtLeast(have, MIN_GO))
    throw new LocalClusterError(
      `Go ${MIN_GO} or newer is needed to build the local cluster; found: ${out.trim()}. Install a newer Go and try again.`,
    );
  return out.trim();
}

const stamp = (dir: string) => join(dir, '.complete');

/** Builds one component into the cache unless its stamp is there; ensureTools builds every missing one under its lock. */
export async function buildComponent(c: Component, sink: ProgressSink): Promise<void> {
  const paths = cachePaths();
  const binDir = paths.bin(c);
  if (existsSync(stamp(binDir))) return;
  const src = paths.src(c);
  await mkdir(src, { recursive: true });
  await mkdir(paths.logs, { recursive: true });
  const logFile = join(paths.logs, `build-${c.id}-${c.version}.log`);
  const log = createWriteStream(logFile, { flags: 'w' });
  const env = goEnv();
  let compiled = 0;
  const onLine = (line: string) => {
    // `go build -v` names each package as it compiles: a count that keeps moving on a long cold build.
    if (/^[\w.-]+\.[\w.-]+\/|^[a-z]+(\/|$)/.test(line)) compiled++;
  };
  const fail = (what: string) => (err: Error) => {
    throw new LocalClusterError(
      `building ${c.id} ${c.version} failed while ${what}: ${err.message.split('\n').slice(-3).join(' ').trim()}\nfull log: ${logFile}`,
      logFile,
    );
  };
  try {
    const title = `building ${c.id} ${c.version}`;
    await timedStep(
      sink,
      title,
      async () => {
        if (!existsSync(join(src, 'go.sum'))) {
          const info = await runLogged('go', ['mod', 'download', '-json', `${c.rootModule}@${c.version}`], {
            cwd: src,
            env,
            log,
          }).catch(fail(`downloading ${c.rootModule}`));
          const goModPath = (JSON.parse(info) as { GoMod?: string }).GoMod;
          if (!goModPath)
            throw new LocalClusterError(`go mod download gave no go.mod for ${c.rootModule}`, logFile);
          const rootGoMod = await readFile(goModPath, 'utf8');
          await writeFile(
            join(src, 'go.mod'),
            wrapperGoMod(wrapperModule(c.id), rootGoMod, c.replaceVersion),
          );
          sink(`  ${c.id}: module go ${goVersionOf(rootGoMod) ?? '?'}, resolving dependencies`);
          // A program of driftdeck's own is the wrapper module's main package and needs the library as a
          // dependency; upstream commands are tools of the wrapper module.
          if (c.mainSource !== undefined) await writeFile(join(src, 'main.go'), c.mainSource);
          const get =
            c.mainSource !== undefined
              ? ['get', `${c.rootModule}@${c.version}`]
              : ['get', '-tool', ...c.packages.map((p) => `${p}@${c.version}`)];
          await runLogged('go', get, { cwd: src, env, log }).catch(fail('resolving modules'));
        }
        const tmp = `${binDir}.partial`;
        await rm(tmp, { recursive: true, force: true });
        await mkdir(tmp, { recursive: true });
        for (const pkg of c.packages) {
          const out = join(tmp, binaryName(pkg));
          await runLogged(
            'go',
            ['build', '-v', '-trimpath', '-ldflags', ['-s', '-w', ...c.ldflags].join(' '), '-o', out, pkg],
            { cwd: src, env, log, onLine },
          ).catch(fail(`compiling ${pkg}`));
        }
        await writeFile(stamp(tmp), `${new Date().toISOString()}\n`);
        await rm(binDir, { recursive: true, force: true });
        await rename(tmp, binDir);
      },
      () => (compiled ? `${compiled} packages compiled` : ''),
    );
  } finally {
    log.end();
  }
}

/** Builds whatever is missing from the cache (reusing what is there) and returns the paths of every tool. */
export async function ensureTools(opts: { onProgress?: ProgressSink } = {}): Promise<Tools> {
  const sink = opts.onProgress ?? (() => {});
  const paths = cachePaths();
  const missing = COMPONENTS.filter((c) => !existsSync(stamp(paths.bin(c))));
  if (missing.length) {
    await checkGo();
    await mkdir(paths.root, { recursive: true });
    await withLock(join(paths.root, 'build.lock'), sink, async () => {
      sink(
        `building ${missing.map((c) => `${c.id} ${c.version}`).join(', ')} from Go modules into ${paths.root}` +
          ' (a cold build takes a while; later runs reuse it)',
      );
      for (const c of missing) await buildComponent(c, sink);
    });
  }
  await mkdir(paths.tools, { recursive: true });
  const tools: Record<string, string> = {};
  for (const c of COMPONENTS) {
    for (const pkg of c.packages) {
      const name = binaryName(pkg);
      const target = join(paths.bin(c), name);
      const link = join(paths.tools, name);
      // Several processes may ask at once: only touch a link that is missing or points elsewhere.
      if ((await readlink(link).catch(() => undefined)) !== target) {
        await rm(link, { force: true });
        await symlink(target, link).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
      }
      tools[name] = link;
    }
  }
  const need = (name: string): string => {
    const p = tools[name];
    if (!p) throw new LocalClusterError(`tool ${name} is not among the built components`);
    return p;
  };
  return {
    binDir: paths.tools,
    kubeApiserver: need('kube-apiserver'),
    kubeControllerManager: need('kube-controller-manager'),
    kubeScheduler: need('kube-scheduler'),
    kubectl: need('kubectl'),
    etcd: need('etcd'),
    kwok: need('kwok'),
    kwokctl: need('kwokctl'),
    helm: need('helm'),
    kustomize: need('kustomize'),
    jsonnet: need('driftdeck-jsonnet'),
  };
}
