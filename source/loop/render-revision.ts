// Rendering every app of one revision. An app that fails to render keeps the objects it last rendered (nothing is
// applied from a broken revision) and carries the error, with file and line, for the screen and the sync refusal.
import { formatLocatedError } from '../config/errors.js';
import type { ClusterPort } from '../engine/ports.js';
import type { AppSpec, LocatedError, RenderedManifest, RenderResult, RolloutEvent } from '../engine/types.js';
import { prepareDesired } from './compare.js';

export interface RenderedApp {
  revision: string;
  error?: LocatedError;
  desired: RenderedManifest[];
}

export interface RenderRevisionInput {
  sha: string;
  dir: string;
  apps: AppSpec[];
  render: (dir: string, app: AppSpec, revision: string) => Promise<RenderResult>;
  cluster: ClusterPort;
  previous: Map<string, RenderedApp>;
}

export async function renderRevision(
  input: RenderRevisionInput,
): Promise<{ rendered: Map<string, RenderedApp>; events: Array<Omit<RolloutEvent, 'time'>> }> {
  const { sha, dir, apps, cluster, previous } = input;
  const events: Array<Omit<RolloutEvent, 'time'>> = [];
  const results = await Promise.all(
    apps.map(async (app) => [app, await input.render(dir, app, sha)] as const),
  );
  const kinds = results.flatMap(([, r]) => (r.ok ? r.manifests.map((m) => m.object) : []));
  // Discovery decides which kinds are namespaced; a kind the server does not know is an error of its own.
  const { unknown, invalid = {} } = await cluster
    .resolve(kinds)
    .catch(() => ({ unknown: [] as string[], invalid: undefined }));
  const rendered = new Map<string, RenderedApp>();
  for (const [app, r] of results) {
    const before = previous.get(app.name);
    const fail = (error: LocatedError) => {
      rendered.set(app.name, { revision: sha, error, desired: before?.desired ?? [] });
      events.push({
        app: app.name,
        level: 'error',
        type: 'render-error',
        message: formatLocatedError(error),
      });
    };
    if (!r.ok) {
      fail(r.error);
      continue;
    }
    // A malformed apiVersion fails the app that wrote it, with its file and line; other apps keep their checks.
    const malformed = r.manifests.find(
      (m) => invalid[`${m.object.apiVersion}/${m.object.kind}`] !== undefined,
    );
    if (malformed) {
      fail({
        message: `${malformed.object.kind} ${JSON.stringify(malformed.object.metadata?.name ?? '')}: ${invalid[`${malformed.object.apiVersion}/${malformed.object.kind}`]}`,
        file: malformed.source.file,
        line: malformed.source.line,
      });
      continue;
    }
    const missingKind = r.manifests.find((m) => unknown.includes(`${m.object.apiVersion}/${m.object.kind}`));
    if (missingKind) {
      fail({
        message: `no kind ${missingKind.object.kind} in ${missingKind.object.apiVersion} on the cluster (is its CRD installed?)`,
        file: missingKind.source.file,
        line: missingKind.source.line,
      });
      continue;
    }
    if (before?.error)
      events.push({ app: app.name, level: 'info', type: 'status', message: 'renders again' });
    rendered.set(app.name, { revision: sha, desired: prepareDesired(app, r.manifests, cluster) });
  }
  return { rendered, events };
}
