// Per-resource sync options written for Argo CD and Flux, read as those projects document them:
//   argocd.argoproj.io/sync-options      comma-separated `Name=value` (Argo CD "Sync Options")
//   argocd.argoproj.io/compare-options   comma-separated (Argo CD "Compare Options": IgnoreExtraneous)
//   kustomize.toolkit.fluxcd.io/{ssa,force,prune,reconcile}   (Flux kustomize-controller, "Controlling the apply
//   behavior of resources"); Flux reads these from labels or annotations, its values case-insensitively.
// Everything here reads rendered manifests or live objects, both hostile: a value driftdeck does not know is named
// in a warning (with the object) and otherwise ignored, never silently dropped and never guessed at.
import type { KubeObject } from './types.js';

export const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const ARGO_COMPARE_OPTIONS = 'argocd.argoproj.io/compare-options';
export const FLUX_SSA = 'kustomize.toolkit.fluxcd.io/ssa';
export const FLUX_FORCE = 'kustomize.toolkit.fluxcd.io/force';
export const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';
export const FLUX_RECONCILE = 'kustomize.toolkit.fluxcd.io/reconcile';

/**
 * How a sync writes the object: `apply` (server-side apply, the default), `ignore` (never written, not compared),
 * `if-not-present` (created when missing, never changed after), `merge` (Flux's Merge: fields other managers added
 * are kept; driftdeck's apply always keeps them, see resource-option-effects.ts).
 */
export type ApplyPolicy = 'apply' | 'ignore' | 'if-not-present' | 'merge';

/** `put`: a PUT of the whole object (kubectl replace), created when missing; `recreate`: delete, then create. */
export type ReplaceMode = 'none' | 'put' | 'recreate';

export interface ResourceSyncOptions {
  /** False: a sync never deletes it when it leaves Git. */
  prune: boolean;
  replace: ReplaceMode;
  applyPolicy: ApplyPolicy;
  /** An apply refused because an immutable field changed deletes the object and creates it again. */
  recreateOnImmutable: boolean;
  /** A kind the cluster does not serve yet is no error at diff time: the object is shown as to be created. */
  skipDryRunOnMissingResource: boolean;
  /** As a prune candidate, it does not make the app OutOfSync. */
  ignoreExtraneous: boolean;
  /** The option behind each effect, as written (`kustomize.toolkit.fluxcd.io/prune: disabled`), for messages. */
  why: Partial<
    Record<'prune' | 'replace' | 'apply' | 'recreate' | 'skipDryRun' | 'ignoreExtraneous', string>
  >;
}

export interface ParsedResourceOptions {
  options: ResourceSyncOptions;
  /** Options accepted that change nothing in driftdeck, each with the reason (`ServerSideApply=true: ...`). */
  notes: string[];
  /** Values driftdeck does not know or cannot honour, each naming the object; the rest of the options still hold. */
  warnings: string[];
}

export const DEFAULT_OPTIONS: ResourceSyncOptions = Object.freeze({
  prune: true,
  replace: 'none',
  applyPolicy: 'apply',
  recreateOnImmutable: false,
  skipDryRunOnMissingResource: false,
  ignoreExtraneous: false,
  why: Object.freeze({}),
}) as ResourceSyncOptions;

/** Argo CD options that ask for what driftdeck does anyway: accepted, with the reason they change nothing. */
const ARGO_NO_OPS: Record<string, string> = {
  'ServerSideApply=true': 'driftdeck always applies server-side',
  'CreateNamespace=true': "driftdeck always creates an app's missing target namespaces",
  'Delete=true': 'the default',
  'Delete=false':
    'driftdeck never deletes an app (Argo CD honours Delete=false when an Application is deleted, not on prune)',
  'Prune=true': 'the default',
  'Replace=false': 'the default',
  'Force=false': 'the default',
  'SkipDryRunOnMissingResource=false': 'the default',
  'Validate=true': 'the default',
  'Validate=false': 'driftdeck already asks the server not to reject fields it does not know',
  'PruneLast=true': 'driftdeck prunes after every apply of the sync has succeeded',
  'ApplyOutOfSyncOnly=true': 'driftdeck applies only the resources that differ',
};

const ARGO_COMPARE_NO_OPS: Record<string, string> = {
  'ServerSideDiff=true': 'driftdeck always diffs against a server-side dry-run',
};

/** A value from Git or the cluster, quoted and bounded for a message. */
const quote = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

function objectLabel(obj: KubeObject): string {
  const name = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
  const ns = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : '';
  return `${String(obj.kind)}/${name}${ns ? ` in namespace ${ns}` : ''}`;
}

const stringMap = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** The object's per-resource sync options; an object without any gets the defaults and no warning. */
export function resourceSyncOptions(obj: KubeObject | undefined): ParsedResourceOptions {
  const options: ResourceSyncOptions = { ...DEFAULT_OPTIONS, why: {} };
  const notes: string[] = [];
  const warnings: string[] = [];
  if (!obj) return { options, notes, warnings };
  const annotations = stringMap(obj.metadata?.annotations);
  const labels = stringMap(obj.metadata?.labels);
  const warn = (text: string) => warnings.push(`${objectLabel(obj)}: ${text}`);

  readArgoSync(annotations[ARGO_SYNC_OPTIONS], options, notes, warn);
  readArgoCompare(annotations[ARGO_COMPARE_OPTIONS], options, notes, warn);
  // Flux reads a label or an annotation; the annotation is the documented place, so it wins when both are set.
  const flux = (key: string): string | undefined => {
    const v = annotations[key] ?? labels[key];
    return typeof v === 'string' ? v : undefined;
  };
  readFlux(flux, options, warn);
  // Argo CD's Replace=true takes precedence over server-side apply; Flux's Ignore means never written at all.
  if (options.applyPolicy === 'ignore' && options.replace !== 'none') {
    notes.push(`${options.why.replace}: not used, ${options.why.apply} means the sync never writes it`);
  }
  return { options, notes, warnings };
}

function readArgoSync(
  raw: unknown,
  options: ResourceSyncOptions,
  notes: string[],
  warn: (text: string) => void,
): void {
  if (raw === undefined) return;
  if (typeof raw !== 'string') {
    warn(`${ARGO_SYNC_OPTIONS} is not a string; ignored`);
    return;
  }
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const has = (e: string) => entries.includes(e);
  const why = (e: string) => `${ARGO_SYNC_OPTIONS}: ${e}`;
  let force = false;
  for (const entry of entries) {
    switch (entry) {
      case 'Prune=false':
        options.prune = false;
        options.why.prune = why(entry);
        break;
      case 'Prune=confirm':
        // driftdeck has no way to confirm one prune: never pruning is the side that loses nothing.
        options.prune = false;
        options.why.prune = why(entry);
        warn(`${why(entry)}: driftdeck cannot ask for a confirmation, so it never prunes this resource`);
        break;
      case 'Delete=confirm':
        notes.push(`${why(entry)}: driftdeck never deletes an app`);
        break;
      case 'Replace=true':
        if (options.replace === 'none') options.replace = 'put';
        options.why.replace = why(entry);
        break;
      case 'Force=true':
        force = true;
        break;
      case 'SkipDryRunOnMissingResource=true':
        options.skipDryRunOnMissingResource = true;
        options.why.skipDryRun = why(entry);
        break;
      case 'ServerSideApply=false':
      case 'CreateNamespace=false':
        warn(
          `${why(entry)} is not honoured: driftdeck always ${entry.startsWith('Server') ? 'applies server-side' : "creates an app's missing target namespaces"}`,
        );
        break;
      default: {
        const noop = ARGO_NO_OPS[entry];
        if (noop) notes.push(`${why(entry)}: ${noop}`);
        else warn(`${ARGO_SYNC_OPTIONS}: ${quote(entry)} is not an option driftdeck knows; ignored`);
      }
    }
  }
  // Argo CD documents Force=true with Replace=true: delete and create (`kubectl replace --force`). Alone it is
  // `kubectl apply --force`: delete and create when the apply is refused, i.e. an immutable field changed.
  if (force && has('Replace=true')) {
    options.replace = 'recreate';
    options.why.replace = why('Force=true,Replace=true');
  } else if (force) {
    options.recreateOnImmutable = true;
    options.why.recreate = why('Force=true');
  }
}

function readArgoCompare(
  raw: unknown,
  options: ResourceSyncOptions,
  notes: string[],
  warn: (text: string) => void,
): void {
  if (raw === undefined) return;
  if (typeof raw !== 'string') {
    warn(`${ARGO_COMPARE_OPTIONS} is not a string; ignored`);
    return;
  }
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    if (entry === 'IgnoreExtraneous') {
      options.ignoreExtraneous = true;
      options.why.ignoreExtraneous = `${ARGO_COMPARE_OPTIONS}: IgnoreExtraneous`;
    } else if (ARGO_COMPARE_NO_OPS[entry]) {
      notes.push(`${ARGO_COMPARE_OPTIONS}: ${entry}: ${ARGO_COMPARE_NO_OPS[entry]}`);
    } else {
      warn(`${ARGO_COMPARE_OPTIONS}: ${quote(entry)} is not an option driftdeck knows; ignored`);
    }
  }
}

function readFlux(
  value: (key: string) => string | undefined,
  options: ResourceSyncOptions,
  warn: (text: string) => void,
): void {
  const read = <T extends string>(key: string, allowed: readonly T[]): T | undefined => {
    const v = value(key);
    if (v === undefined) return undefined;
    const known = allowed.find((a) => a.toLowerCase() === v.trim().toLowerCase());
    if (!known) warn(`${key}: ${quote(v)} is not one of ${allowed.join(', ')}; ignored`);
    return known;
  };
  const prune = read(FLUX_PRUNE, ['Enabled', 'Disabled'] as const);
  if (prune === 'Disabled') {
    options.prune = false;
    options.why.prune = `${FLUX_PRUNE}: ${value(FLUX_PRUNE)}`;
  }
  const ssa = read(FLUX_SSA, ['Override', 'Merge', 'IfNotPresent', 'Ignore'] as const);
  if (ssa && ssa !== 'Override') {
    options.applyPolicy = ssa === 'Merge' ? 'merge' : ssa === 'Ignore' ? 'ignore' : 'if-not-present';
    options.why.apply = `${FLUX_SSA}: ${value(FLUX_SSA)}`;
  }
  if (read(FLUX_FORCE, ['Enabled', 'Disabled'] as const) === 'Enabled') {
    options.recreateOnImmutable = true;
    options.why.recreate = `${FLUX_FORCE}: ${value(FLUX_FORCE)}`;
  }
  // Flux: "the controller will no longer apply changes, nor will it prune" the resource.
  if (read(FLUX_RECONCILE, ['Enabled', 'Disabled'] as const) === 'Disabled') {
    const why = `${FLUX_RECONCILE}: ${value(FLUX_RECONCILE)}`;
    options.applyPolicy = 'ignore';
    options.why.apply = why;
    options.prune = false;
    options.why.prune = why;
  }
}
