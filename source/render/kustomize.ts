import type { AppSpec, RenderedManifest } from '../engine/types.js';
import type { ConfinedPath } from './confine.js';
import { parseRendered, type RenderOptions } from './parse-cache.js';
import { missingTool, type RenderTools, runTool, type ToolUser } from './run-tool.js';

/**
 * Git protocols kustomize may clone remote bases with. A remote kustomization is out of driftdeck's sight, so one
 * naming `file:///some/local/repo` (or a submodule with such a URL) is stopped by Git itself; the `ext::` and
 * `file` transports are never allowed.
 */
export const KUSTOMIZE_GIT_PROTOCOLS = 'https:http:ssh';

/** `kustomize build <dir>`, or `kubectl kustomize <dir>` when only kubectl is at hand. */
export async function renderKustomize(
  app: AppSpec,
  dir: ConfinedPath,
  kustomizationFile: string,
  tools: RenderTools,
  options: RenderOptions,
): Promise<RenderedManifest[]> {
  const user: ToolUser = {
    app: app.name,
    appPath: app.path,
    file: kustomizationFile,
    toolName: 'Kustomize',
    binaryName: 'kustomize (or kubectl)',
  };
  const [bin, args] = tools.kustomize
    ? [tools.kustomize, ['build', dir.abs]]
    : tools.kubectl
      ? [tools.kubectl, ['kustomize', dir.abs]]
      : [undefined, []];
  if (!bin) throw missingTool(user);
  const output = await runTool(bin, args, dir.abs, user, options, {
    env: { GIT_ALLOW_PROTOCOL: KUSTOMIZE_GIT_PROTOCOLS },
  });
  return parseRendered(output, { file: kustomizationFile, origin: 'kustomize build output' }, options);
}
