import { execFile } from 'node:child_process';
import { RenderFailure } from './render-failure.js';

/** Absolute paths of the binaries renderApp may run; `kubectl kustomize` stands in when kustomize is absent. */
export interface RenderTools {
  helm?: string;
  kustomize?: string;
  kubectl?: string;
  /** driftdeck-jsonnet, driftdeck's own Jsonnet renderer (built by `driftdeck cluster tools`). */
  jsonnet?: string;
}

export interface ToolOptions {
  /** Per tool run; default 60 s. */
  timeoutMs?: number;
}

/** Who needs the tool, for error messages: `app backend uses Helm (apps/backend/Chart.yaml)`. */
export interface ToolUser {
  app: string;
  appPath: string;
  /** Chart.yaml or the kustomization file, relative to the repo root. */
  file: string;
  /** `Helm`, `Kustomize`. */
  toolName: string;
  /** `helm`, `kustomize or kubectl`: what to install. */
  binaryName: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Rendered output of a large chart can be tens of megabytes; a stuck tool is stopped by the timeout instead. */
const MAX_BUFFER = 256 * 1024 * 1024;
const MAX_STDERR_CHARS = 4000;

export function missingTool(user: ToolUser, path?: string): RenderFailure {
  const where = path ? ` at ${path}` : '';
  return new RenderFailure({
    file: user.file,
    message:
      `app ${user.app} uses ${user.toolName} (${user.file}) but no ${user.binaryName} binary was found${where}; ` +
      'run `driftdeck cluster tools` to install the tools driftdeck uses, or put the binary on PATH',
  });
}

export interface RunExtras {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Written to the tool's stdin (closed at once when absent). */
  input?: string;
}

/** Runs a tool without a shell and returns its stdout; every failure becomes a RenderFailure naming the app. */
export function runTool(
  bin: string,
  args: string[],
  cwd: string,
  user: ToolUser,
  options: ToolOptions = {},
  { env, input }: RunExtras = {},
): Promise<string> {
  const command = `${bin.split('/').pop() ?? bin} ${args[0] ?? ''}`.trim();
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      args,
      {
        cwd,
        timeout,
        maxBuffer: MAX_BUFFER,
        encoding: 'utf8',
        windowsHide: true,
        env: env ? { ...process.env, ...env } : process.env,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        const fail = (message: string) => reject(new RenderFailure({ file: user.file, message }));
        if (code === 'ENOENT') return reject(missingTool(user, bin));
        if (code === 'EACCES')
          return fail(`app ${user.app}: ${bin} is not executable (needed for ${user.file})`);
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return fail(`${command} for app ${user.app} (${user.appPath}) wrote more than ${MAX_BUFFER} bytes`);
        }
        if (error.killed && error.signal) {
          return fail(
            `${command} for app ${user.app} (${user.appPath}) did not finish within ${timeout / 1000} s`,
          );
        }
        const detail = trimOutput(stderr) || `exit code ${String(error.code)} and no error output`;
        fail(`${command} failed for app ${user.app} (${user.appPath}): ${detail}`);
      },
    );
    // A tool that exits before reading all of its input makes the write fail (EPIPE); its exit says why.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

function trimOutput(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_STDERR_CHARS ? `${trimmed.slice(0, MAX_STDERR_CHARS)}…` : trimmed;
}
