// Rendering every app of one revision. An app that fails to render keeps the objects it last rendered (nothing is
// applied from a broken revision) and carries the error, with file and line, for the screen and the sync refusal.

import { isDeepStrictEqual } from 'node:util';
import { formatLocatedError } from '../config/errors.js';
import {
  checkPolicy,
  claimIndex,
  crdDefinitions,
  decideUnknownKind,
  definitionFor,
  type HookManifest,
  keyOf,
  keyString,
  namespacedWithPending,
  type SkippedManifest,
  sharedKeyErrors,
  splitHooks,
} from '../engine/index.js';
import type { ClusterPort } from '../engine/ports.js';
import { touchesInputs } from '../engine/render-inputs.js';
import { resourceSyncOptions } from '../engine/resource-options.js';
import type { AppSpec, LocatedError, RenderedManifest, RenderResult, RolloutEvent } from '../engine/types.js';
import { hookKey, prepareDesired, prepareHooks } from './compare.js';
import { turns } from './turns.js';

export interface RenderedApp {
  revision: string;
  error?: LocatedError;
  /** What is compared and applied: this revision's objects, or the last good ones when this revision is refused. */
  desired: RenderedManifest[];
  /** The revision `desired` was rendered from when it is not `revision` (this one was refused): the last good one. */
  desiredAt?: string;
  /** What the app renders at this revision, refused or not (its last render when this one fails): the objects
   * other apps must not render too, nor prune. */
  claims: RenderedManifest[];
  /** The hooks a sync runs (never compared), and objects no sync applies, with why. */
  hooks: HookManifest[];
  skipped: SkippedManifest[];
  /** Custom resources of a kind the cluster does not serve yet, by key string: the app's CRD that defines them. */
  pending?: Record<string, string>;
  /** The definition rendered, and what the render read of the repository when that is known (a plain folder). */
  spec?: AppSpec;
  inputs?: string[];
}

export interface RenderRevisionInput {
  sha: string;
  dir: string;
  apps: AppSpec[];
  render: (dir: string, app: AppSpec, revision: string) => Promise<RenderResult>;
  cluster: ClusterPort;
  previous: Map<string, RenderedApp>;
  /** The paths changed between an earlier revision and this one (undefined when unknown: every app is rendered). */
  changedSince?: (from: string) => Promise<string[] | undefined>;
}

export async function renderRevision(
  input: RenderRevisionInput,
): Promise<{ rendered: Map<string, RenderedApp>; events: Array<Omit<RolloutEvent, 'time'>> }> {
  const { sha, dir, apps, cluster, previous } = input;
  const events: Array<Omit<RolloutEvent, 'time'>> = [];
  const kept = await keptRenders(input);
  // A held app (a discovered definition driftdeck does not run) is not rendered: its reason is its error.
  const results = await Promise.all(
    apps
      .filter((app) => !app.held && !kept.has(app.name))
      .map(async (app) => {
        // Parsing an app's manifests is its own piece of work: a console's keys get a turn between apps.
        await turns.take();
        return [app, await input.render(dir, app, sha)] as const;
      }),
  );
  const rendered = new Map<string, RenderedApp>();
  for (const app of apps) {
    if (!app.held) continue;
    rendered.set(app.name, {
      revision: sha,
      error: app.held.reason,
      desired: [],
      claims: [],
      hooks: [],
      skipped: [],
    });
    if (app.held.kind === 'invalid' && previous.get(app.name)?.error?.message !== app.held.reason.message)
      events.push({
        app: app.name,
        level: 'error',
        type: 'render-error',
        message: formatLocatedError(app.held.reason),
      });
  }
  const kinds = results.flatMap(([, r]) => (r.ok ? r.manifests.map((m) => m.object) : []));
  // Discovery decides which kinds are namespaced; a kind the server does not know is an error of its own.
  const { unknown, invalid = {} } = await cluster
    .resolve(kinds)
    .catch(() => ({ unknown: [] as string[], invalid: undefined }));
  const crdsByApp = new Map([
    ...results.flatMap(([app, r]) =>
      r.ok ? [[app.name, crdDefinitions(r.manifests.map((m) => m.object))] as const] : [],
    ),
    ...[...kept].map(([name, r]) => [name, crdDefinitions(r.desired.map((m) => m.object))] as const),
  ]);
  for (const [name, r] of kept) rendered.set(name, { ...r, revision: sha });
  for (const [app, r] of results) {
    const before = previous.get(app.name);
    const fail = (error: LocatedError, claims = before?.claims ?? []) => {
      const desiredAt = before ? (before.desiredAt ?? before.revision) : undefined;
      rendered.set(app.name, {
        revision: sha,
        error,
        desired: before?.desired ?? [],
        ...(desiredAt && desiredAt !== sha ? { desiredAt } : {}),
        claims,
        hooks: before?.hooks ?? [],
        skipped: before?.skipped ?? [],
      });
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
    // A kind the cluster does not know yet is fine when the app brings its CRD: it is created with it.
    const ownCrds = crdsByApp.get(app.name) ?? [];
    const others = [...crdsByApp]
      .filter(([name]) => name !== app.name)
      .map(([a, crds]) => ({ app: a, crds }));
    // SkipDryRunOnMissingResource=true (Argo CD): a kind someone else installs (a controller making CRDs) is shown as
    // to be created, not refused; its apply says whether the kind exists by then.
    const missingKind = r.manifests
      .filter((m) => unknown.includes(`${m.object.apiVersion}/${m.object.kind}`))
      .filter((m) => !resourceSyncOptions(m.object).options.skipDryRunOnMissingResource)
      .map((m) => ({ m, decision: decideUnknownKind(m.object, ownCrds, others) }))
      .find((x) => !x.decision.pending);
    if (missingKind && !missingKind.decision.pending) {
      fail({
        message: missingKind.decision.message,
        file: missingKind.m.source.file,
        line: missingKind.m.source.line,
      });
      continue;
    }
    // Hooks are run by a sync, never compared; Skip and Helm test hooks are never applied.
    const split = splitHooks(r.manifests);
    if (split.error) {
      fail(split.error);
      continue;
    }
    const isNamespaced = namespacedWithPending(ownCrds, (g, k) => cluster.isNamespaced(g, k));
    const desired = prepareDesired(app, split.resources, isNamespaced);
    const hooks = prepareHooks(app, split.hooks, isNamespaced);
    // Nothing of a revision that reaches past the app's policy is compared or applied, not even a dry-run; a hook
    // is held to the same policy (checked under the name it is keyed by).
    const refused = checkPolicy(
      app,
      [
        ...desired,
        ...hooks.map((h) => ({
          object: { ...h.object, metadata: { ...h.object.metadata, name: h.key.name } },
          source: h.source,
        })),
      ],
      isNamespaced,
    );
    if (refused) {
      fail(refused, desired);
      continue;
    }
    const pending: Record<string, string> = {};
    for (const m of desired) {
      if (!unknown.includes(`${m.object.apiVersion}/${m.object.kind}`)) continue;
      const crd = definitionFor(ownCrds, m.object.apiVersion, m.object.kind);
      if (crd) pending[keyString(keyOf(m.object))] = crd.name;
    }
    // Sync options driftdeck does not know are said once per revision rendered (and beside the resource in status).
    for (const m of desired)
      for (const message of resourceSyncOptions(m.object).warnings)
        events.push({ app: app.name, level: 'warning', type: 'status', message });
    rendered.set(app.name, {
      revision: sha,
      spec: app,
      ...(r.inputs ? { inputs: r.inputs } : {}),
      desired,
      claims: desired,
      hooks,
      skipped: split.skipped.map((x) => ({
        key: hookKey(x.manifest.object),
        source: x.manifest.source,
        why: x.why,
      })),
      ...(Object.keys(pending).length ? { pending } : {}),
    });
  }
  // An object two apps render is refused for both, each at its own file and line.
  const shared = sharedKeyErrors(renderedClaims(apps, rendered));
  for (const [name, error] of shared) {
    const r = rendered.get(name);
    if (!r || r.error) continue;
    rendered.set(name, {
      ...r,
      error,
      desired: previous.get(name)?.desired ?? [],
      hooks: previous.get(name)?.hooks ?? [],
      skipped: previous.get(name)?.skipped ?? [],
    });
    events.push({ app: name, level: 'error', type: 'render-error', message: formatLocatedError(error) });
  }
  for (const app of apps) {
    if (previous.get(app.name)?.error && !rendered.get(app.name)?.error)
      events.push({ app: app.name, level: 'info', type: 'status', message: 'renders again' });
  }
  return { rendered, events };
}

/**
 * The apps whose last render stands at this revision: rendered cleanly from the same definition, reading only
 * paths the revisions in between did not change. Their objects are the same objects (compared without a copy).
 */
async function keptRenders(input: RenderRevisionInput): Promise<Map<string, RenderedApp>> {
  const kept = new Map<string, RenderedApp>();
  const from = input.previous.values().next().value?.revision;
  if (from === undefined || from === input.sha || !input.changedSince) return kept;
  const changed = await input.changedSince(from).catch(() => undefined);
  if (!changed) return kept;
  for (const app of input.apps) {
    const before = input.previous.get(app.name);
    if (
      !app.held &&
      before?.inputs &&
      !before.error &&
      !before.pending &&
      !before.desiredAt &&
      isDeepStrictEqual(before.spec, app) &&
      !touchesInputs(changed, before.inputs)
    )
      kept.set(app.name, before);
  }
  return kept;
}

/**
 * The new revision's app definitions, with the auto-sync a person set from the console; one equal to the last
 * revision's is the last one's object: what a comparison read is told apart by identity, and an app whose
 * definition and render stand is not compared again.
 */
export function revisionSpecs(
  before: readonly AppSpec[],
  defined: readonly AppSpec[],
  autoOverrides: ReadonlyMap<string, boolean>,
): AppSpec[] {
  const byName = new Map(before.map((a) => [a.name, a]));
  return defined.map((a) => {
    const auto = autoOverrides.get(a.name);
    const spec = auto === undefined ? a : { ...a, sync: { ...a.sync, auto } };
    const last = byName.get(a.name);
    return last && isDeepStrictEqual(last, spec) ? last : spec;
  });
}

const CLAIMS = new WeakMap<
  ReadonlyMap<string, RenderedApp>,
  { apps: readonly AppSpec[]; index: ReturnType<typeof claimIndex> }
>();

/**
 * What every app renders, by key and namespace: made once per revision's renders and apps (the render checks it
 * for objects two apps render; every comparison reads it so that no app prunes what another one needs).
 */
export function renderedClaims(
  apps: readonly AppSpec[],
  rendered: ReadonlyMap<string, RenderedApp>,
): ReturnType<typeof claimIndex> {
  const known = CLAIMS.get(rendered);
  if (known?.apps === apps) return known.index;
  const index = claimIndex(apps.map((a) => ({ app: a.name, desired: rendered.get(a.name)?.claims ?? [] })));
  CLAIMS.set(rendered, { apps, index });
  return index;
}
