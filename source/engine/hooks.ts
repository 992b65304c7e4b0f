// Argo CD resource hooks, and Helm hooks read the way Argo CD reads them. A hook is not one of the app's resources:
// it is run at a phase of a sync (created, waited for, maybe deleted), never compared, never pruned. Annotations
// come from Git and are hostile: an unknown hook type is an error naming it, not a resource applied by surprise.

import type { KubeObject, LocatedError, RenderedManifest } from './types.js';

/** The phases of a sync, in the order they run (SyncFail only when the sync failed). */
export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
export const HELM_HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

export interface HookSpec {
  /** One task per phase (`PreSync,PostSync` runs the hook twice). */
  phases: SyncPhase[];
  /** BeforeHookCreation when none is given (Argo CD's and Helm's default). */
  deletePolicies: HookDeletePolicy[];
  from: 'argocd' | 'helm';
}

/** What the annotations make of an object: an ordinary resource, a hook, never applied, or refused. */
export type HookDecision =
  | { kind: 'resource' }
  | { kind: 'hook'; spec: HookSpec }
  | { kind: 'skip'; why: string }
  | { kind: 'invalid'; message: string };

const ARGO_TYPES: Record<string, SyncPhase | 'Skip' | 'Delete'> = {
  PreSync: 'PreSync',
  Sync: 'Sync',
  PostSync: 'PostSync',
  SyncFail: 'SyncFail',
  Skip: 'Skip',
  // Run when an application is deleted, which a sync never does.
  PreDelete: 'Delete',
  PostDelete: 'Delete',
};

const ARGO_POLICIES: Record<string, HookDeletePolicy> = {
  HookSucceeded: 'HookSucceeded',
  HookFailed: 'HookFailed',
  BeforeHookCreation: 'BeforeHookCreation',
};

/** Helm's hook events as Argo CD maps them; undefined: a hook a sync never runs. `crd-install` is a resource. */
const HELM_EVENTS: Record<string, SyncPhase | 'test' | 'other' | 'resource'> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
  'crd-install': 'resource',
  test: 'test',
  'test-success': 'test',
  'test-failure': 'test',
  'pre-delete': 'other',
  'post-delete': 'other',
  'pre-rollback': 'other',
  'post-rollback': 'other',
};

const HELM_POLICIES: Record<string, HookDeletePolicy> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const quoted = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}...` : s);

/** True when the object carries a hook annotation of either kind: such a live object is never a prune candidate. */
export function hasHookAnnotation(obj: KubeObject | undefined): boolean {
  const a = obj?.metadata?.annotations;
  return !!a && (a[HOOK_ANNOTATION] !== undefined || a[HELM_HOOK_ANNOTATION] !== undefined);
}

function deletePolicies(
  text: string | undefined,
  known: Record<string, HookDeletePolicy>,
  annotation: string,
): HookDeletePolicy[] | string {
  const out: HookDeletePolicy[] = [];
  for (const p of list(text)) {
    const policy = known[p];
    if (!policy) return `${annotation} ${quoted(p)} is not one of ${Object.keys(known).join(', ')}`;
    if (!out.includes(policy)) out.push(policy);
  }
  return out.length ? out : ['BeforeHookCreation'];
}

/** Argo CD's annotation wins over Helm's (Argo CD ignores Helm's hooks on an object that has its own). */
export function hookDecision(obj: KubeObject): HookDecision {
  const a = obj.metadata?.annotations ?? {};
  if (a[HOOK_ANNOTATION] !== undefined) return argoHook(a);
  if (a[HELM_HOOK_ANNOTATION] !== undefined) return helmHook(a);
  return { kind: 'resource' };
}

function argoHook(a: Record<string, string>): HookDecision {
  const phases: SyncPhase[] = [];
  let skip = false;
  let deleteOnly: string | undefined;
  const types = list(a[HOOK_ANNOTATION]);
  if (types.length === 0) return { kind: 'invalid', message: `${HOOK_ANNOTATION} is empty` };
  for (const t of types) {
    const type = ARGO_TYPES[t];
    if (!type)
      return {
        kind: 'invalid',
        message: `${HOOK_ANNOTATION} ${quoted(t)} is not one of ${Object.keys(ARGO_TYPES).join(', ')}`,
      };
    if (type === 'Skip') skip = true;
    else if (type === 'Delete')
      deleteOnly ??= `${t} hook: run when an application is deleted, never by a sync`;
    else if (!phases.includes(type)) phases.push(type);
  }
  if (skip) return { kind: 'skip', why: `${HOOK_ANNOTATION}: Skip` };
  if (phases.length === 0) return { kind: 'skip', why: deleteOnly ?? 'no phase' };
  const policies = deletePolicies(
    a[HOOK_DELETE_POLICY_ANNOTATION] ?? helmPolicyText(a),
    a[HOOK_DELETE_POLICY_ANNOTATION] !== undefined ? ARGO_POLICIES : HELM_POLICIES,
    a[HOOK_DELETE_POLICY_ANNOTATION] !== undefined
      ? HOOK_DELETE_POLICY_ANNOTATION
      : HELM_HOOK_DELETE_POLICY_ANNOTATION,
  );
  if (typeof policies === 'string') return { kind: 'invalid', message: policies };
  return { kind: 'hook', spec: { phases, deletePolicies: policies, from: 'argocd' } };
}

const helmPolicyText = (a: Record<string, string>) => a[HELM_HOOK_DELETE_POLICY_ANNOTATION];

function helmHook(a: Record<string, string>): HookDecision {
  const phases: SyncPhase[] = [];
  const skipped: string[] = [];
  let resource = false;
  const events = list(a[HELM_HOOK_ANNOTATION]);
  if (events.length === 0) return { kind: 'invalid', message: `${HELM_HOOK_ANNOTATION} is empty` };
  for (const e of events) {
    const mapped = HELM_EVENTS[e];
    if (!mapped)
      return {
        kind: 'invalid',
        message: `${HELM_HOOK_ANNOTATION} ${quoted(e)} is not one of ${Object.keys(HELM_EVENTS).join(', ')}`,
      };
    if (mapped === 'resource') resource = true;
    else if (mapped === 'test' || mapped === 'other') skipped.push(e);
    else if (!phases.includes(mapped)) phases.push(mapped);
  }
  if (phases.length === 0) {
    if (resource) return { kind: 'resource' };
    const tests = skipped.every((e) => HELM_EVENTS[e] === 'test');
    return {
      kind: 'skip',
      why: tests
        ? `Helm test hook (${skipped.join(', ')}): tests are run by \`helm test\`, never by a sync`
        : `Helm ${skipped.join(', ')} hook: a sync installs or upgrades, it never deletes or rolls back`,
    };
  }
  const policies = deletePolicies(
    a[HELM_HOOK_DELETE_POLICY_ANNOTATION],
    HELM_POLICIES,
    HELM_HOOK_DELETE_POLICY_ANNOTATION,
  );
  if (typeof policies === 'string') return { kind: 'invalid', message: policies };
  return { kind: 'hook', spec: { phases, deletePolicies: policies, from: 'helm' } };
}

/** A rendered manifest read as a hook, before it is prepared. */
export interface RenderedHook {
  manifest: RenderedManifest;
  spec: HookSpec;
}

export interface SplitManifests {
  /** The app's resources: compared, applied, pruned. */
  resources: RenderedManifest[];
  hooks: RenderedHook[];
  /** Never applied, with why (said in the plan). */
  skipped: Array<{ manifest: RenderedManifest; why: string }>;
  /** The first hook annotation that is not one, at its file and line. */
  error?: LocatedError;
}

/** Hooks and skipped objects apart from the app's resources. */
export function splitHooks(manifests: readonly RenderedManifest[]): SplitManifests {
  const out: SplitManifests = { resources: [], hooks: [], skipped: [] };
  for (const m of manifests) {
    const d = hookDecision(m.object);
    if (d.kind === 'resource' && !m.object.metadata.name)
      out.error ??= {
        message: `${m.object.kind} ${JSON.stringify(`${String(m.object.metadata.generateName)}*`)} has no metadata.name; only a hook is created under a generated name`,
        file: m.source.file,
        line: m.source.line,
      };
    else if (d.kind === 'resource') out.resources.push(m);
    else if (d.kind === 'hook') out.hooks.push({ manifest: m, spec: d.spec });
    else if (d.kind === 'skip') out.skipped.push({ manifest: m, why: d.why });
    else if (!out.error) {
      const name = m.object.metadata.name || `${String(m.object.metadata.generateName ?? '')}*`;
      out.error = {
        message: `${m.object.kind} ${JSON.stringify(name)}: ${d.message}`,
        file: m.source.file,
        line: m.source.line,
      };
    }
  }
  return out;
}
