// The app definitions of a checked-out revision: driftdeck.yaml (its apps and its discover folders), or with no
// driftdeck.yaml, the Argo CD and Flux definitions a scan of the repository finds (source/config/discover/).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../engine/policy.js';
import type { AppPolicy, AppSpec, LocatedError } from '../engine/types.js';
import { type DiscoverOptions, discoverByScan, discoverFolders } from './discover/load.js';
import { formatLocatedError } from './errors.js';
import { parseRepoConfig } from './parse-repo-config.js';
import { appNamespaceProblem } from './policy-spec.js';

export type RepoAppsResult =
  | { ok: true; apps: AppSpec[]; notice?: string }
  | { ok: false; error: LocatedError };

/** The last driftdeck.yaml parsed: most commits leave it as it was, and a thousand apps take 150 ms to parse. */
let lastParsed: { text: string; parsed: ReturnType<typeof parseRepoConfig> } | undefined;

function parseOnce(text: string): ReturnType<typeof parseRepoConfig> {
  if (lastParsed?.text !== text) lastParsed = { text, parsed: parseRepoConfig(text, 'driftdeck.yaml') };
  return lastParsed.parsed;
}

export async function loadRepoApps(dir: string, opts: DiscoverOptions): Promise<RepoAppsResult> {
  let text: string;
  try {
    text = await readFile(join(dir, 'driftdeck.yaml'), 'utf8');
  } catch {
    const { result, looked } = await discoverByScan(dir, opts);
    if (result) return result;
    return {
      ok: false,
      error: {
        file: 'driftdeck.yaml',
        message: `the repository has no driftdeck.yaml at its root, and no Argo CD Application or Flux Kustomization or HelmRelease was found (looked at ${looked}); add a driftdeck.yaml, or name a single app with --path and --app`,
      },
    };
  }
  const parsed = parseOnce(text);
  if (!parsed.ok) {
    const [first, ...rest] = parsed.errors;
    return {
      ok: false,
      error: {
        ...first!,
        message: `${first!.message}${rest.length ? ` (and ${rest.length} more: ${rest.map(formatLocatedError).join('; ')})` : ''}`,
      },
    };
  }
  const { apps, discover, policy } = parsed.config;
  if (!discover?.length) return { ok: true, apps };
  const found = await discoverFolders(dir, discover, opts);
  if (!found.ok) return found;
  for (const d of found.apps) {
    if (!apps.some((a) => a.name === d.name)) continue;
    return {
      ok: false,
      error: {
        file: d.definedBy?.file,
        line: d.definedBy?.line,
        message: `duplicate app name ${JSON.stringify(d.name)}: in driftdeck.yaml's apps and this ${d.definedBy?.kind}; expected unique names`,
      },
    };
  }
  return {
    ok: true,
    apps: [...apps, ...found.apps.map((d) => underTopPolicy(d, policy))],
    notice: found.notice,
  };
}

/**
 * A discovered app under driftdeck.yaml's top-level policy, its AppProject (if any) narrowing it: what the repository's
 * definitions say can take rights away, never add them. Its own namespace is checked against both.
 */
export function underTopPolicy(app: AppSpec, top: AppPolicy | undefined): AppSpec {
  const narrowedBy = app.policy?.narrowedBy ?? [];
  if (!top && !narrowedBy.length) return app;
  const policy: AppPolicy = { ...(top ?? DEFAULT_POLICY), ...(narrowedBy.length ? { narrowedBy } : {}) };
  const problem = app.held ? undefined : appNamespaceProblem(app.namespace, policy);
  const out: AppSpec = { ...app, policy };
  if (problem)
    out.held = {
      kind: 'invalid',
      reason: {
        file: app.definedBy?.file,
        line: app.definedBy?.line,
        message: `destination.namespace: ${problem}`,
      },
    };
  return out;
}
