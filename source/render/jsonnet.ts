// The `.jsonnet` files of a plain folder, as Argo CD renders them: each file is evaluated (top-level arguments,
// external variables, library paths from the app's `renderer.jsonnet`) and must yield an object or an array of
// objects. Evaluation is driftdeck-jsonnet's (source/localcluster/jsonnet-main-go.ts): go-jsonnet with an importer
// that refuses any file outside the repository, so what is checked here is what the tool is handed.
import { stat } from 'node:fs/promises';
import type { AppSpec, JsonnetVariable } from '../engine/types.js';
import { buildEnv, envsubst } from './build-env.js';
import { type ConfinedPath, confinePath } from './confine.js';
import { RenderFailure } from './render-failure.js';
import { missingTool, type RenderTools, runTool, type ToolOptions, type ToolUser } from './run-tool.js';

/** Argo CD renders `*.jsonnet` files of a directory app; `.libsonnet` files are libraries, only imported. */
export const JSONNET_FILE = /\.jsonnet$/i;

/** The request and answer shapes driftdeck-jsonnet speaks; a binary speaking another is refused. */
export const JSONNET_PROTOCOL = 'driftdeck-jsonnet/1';

/** What driftdeck-jsonnet reads on stdin; every path relative to the repository root (its working folder). */
export interface JsonnetRequest {
  files: string[];
  /** The app folder first, then the app's libraries: searched last to first, as `jsonnet -J` and Argo CD do. */
  libs: string[];
  tlas: JsonnetVariable[];
  extVars: JsonnetVariable[];
}

interface JsonnetAnswer {
  protocol?: unknown;
  results?: Array<{ file?: unknown; json?: unknown; error?: unknown }>;
}

const MAX_ERROR_CHARS = 4000;

/**
 * The request for `files` (relative to the root): library folders confined to the repository first, and Argo CD's
 * build environment (`$ARGOCD_APP_NAME`, ...) substituted into the variables' values.
 */
export async function jsonnetRequest(
  root: string,
  app: AppSpec,
  dir: ConfinedPath,
  files: string[],
  revision?: string,
): Promise<JsonnetRequest> {
  const options = app.renderer.jsonnet;
  const libs = [dir.rel];
  for (const lib of options?.libs ?? []) {
    const confined = await confinePath(root, lib, `jsonnet library folder of app ${app.name}`);
    if (!(await stat(confined.abs)).isDirectory()) {
      throw new RenderFailure({
        file: confined.rel,
        message: `jsonnet library folder of app ${app.name} ${confined.rel} is a file, not a folder`,
      });
    }
    libs.push(confined.rel);
  }
  const env = buildEnv(app, revision);
  const substitute = (what: string) => (v: JsonnetVariable) => {
    const done = envsubst(v.value, env);
    if (done.ok) return { ...v, value: done.value };
    throw new RenderFailure({
      message:
        `app ${app.name}: jsonnet ${what} ${JSON.stringify(v.name)} names $${done.name}, which Argo CD sets and ` +
        'driftdeck cannot know; write the value out (or $$ for a literal $)',
    });
  };
  return {
    files,
    libs,
    tlas: (options?.tlas ?? []).map(substitute('top-level argument')),
    extVars: (options?.extVars ?? []).map(substitute('external variable')),
  };
}

/** Evaluates the files in one run of driftdeck-jsonnet; each file's objects as text for the parse cache, in order. */
export async function evaluateJsonnet(
  root: string,
  app: AppSpec,
  dir: ConfinedPath,
  files: string[],
  tools: RenderTools,
  options: ToolOptions & { revision?: string },
): Promise<string[]> {
  const first = files[0];
  if (first === undefined) return [];
  const request = await jsonnetRequest(root, app, dir, files, options.revision);
  const user: ToolUser = {
    app: app.name,
    appPath: app.path,
    file: first,
    toolName: 'Jsonnet',
    binaryName: 'driftdeck-jsonnet',
  };
  if (!tools.jsonnet) throw missingTool(user);
  const stdout = await runTool(tools.jsonnet, [], root, user, options, { input: JSON.stringify(request) });
  return readAnswer(stdout, files, root, user);
}

function readAnswer(stdout: string, files: string[], root: string, user: ToolUser): string[] {
  let answer: JsonnetAnswer;
  try {
    answer = JSON.parse(stdout) as JsonnetAnswer;
  } catch {
    answer = {};
  }
  if (answer.protocol !== JSONNET_PROTOCOL || !Array.isArray(answer.results)) {
    throw new RenderFailure({
      file: user.file,
      message:
        `app ${user.app}: the driftdeck-jsonnet binary does not speak ${JSONNET_PROTOCOL}; ` +
        'run `driftdeck cluster tools` to build the one this driftdeck needs',
    });
  }
  const texts: string[] = [];
  for (const [i, file] of files.entries()) {
    const result = answer.results[i];
    if (typeof result?.error === 'string') throw jsonnetFailure(file, result.error, root);
    if (result?.file !== file || typeof result.json !== 'string') {
      throw new RenderFailure({
        file,
        message: `app ${user.app}: driftdeck-jsonnet gave no result for ${file}`,
      });
    }
    texts.push(jsonnetOutputText(file, result.json));
  }
  return texts;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A file's evaluated JSON as manifest text: one document for an object (a `kind: List` is flattened later, as in any
 * manifest), one per item for an array (an empty array renders nothing). Anything else is refused, as Argo CD
 * refuses it: a file yields an object or an array of objects.
 */
export function jsonnetOutputText(file: string, json: string): string {
  const value: unknown = JSON.parse(json);
  const rule = 'a Jsonnet file must yield an object or an array of objects';
  if (isObject(value)) return JSON.stringify(value, null, 2);
  if (!Array.isArray(value)) {
    throw new RenderFailure({ file, message: `${file} yields ${kindOf(value)}; ${rule}` });
  }
  value.forEach((item, i) => {
    if (!isObject(item)) {
      throw new RenderFailure({
        file,
        message: `${file} yields an array whose item [${i}] is ${kindOf(item)}; ${rule}`,
      });
    }
  });
  return value.map((item) => JSON.stringify(item, null, 2)).join('\n---\n');
}

/**
 * go-jsonnet's error for `file`, located where it points: a syntax error starts with `path:line:col`, a runtime
 * error names its frames on lines of their own, innermost first. Paths are relative to the root already (the tool
 * runs there); any absolute mention of the checkout is cut to keep the operator's folders out of the message.
 */
export function jsonnetFailure(file: string, text: string, root: string): RenderFailure {
  let clean = text.replaceAll(`${root}/`, '').replaceAll(root, '.').trim();
  if (clean.length > MAX_ERROR_CHARS) clean = `${clean.slice(0, MAX_ERROR_CHARS)}…`;
  const at = /^\t?([^\t\n:<>]+):(\d+):(\d+)/m.exec(clean);
  const message = `jsonnet: evaluating ${file} failed: ${clean}`;
  if (!at) return new RenderFailure({ file, message });
  return new RenderFailure({ file: at[1]!, line: Number(at[2]), column: Number(at[3]), message });
}
