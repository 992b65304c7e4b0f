// What discovery works with: objects read from the repository with where they are written, plain-data accessors
// that never trust a field's type, and the notes a mapping collects before it decides what an app becomes.
import { posix } from 'node:path';
import type { AppSpec, KubeObject, LocatedError, SourceLocation } from '../../engine/types.js';
import { redactUrl } from '../../git/remote-url.js';
import { shown } from '../../render/object-checks.js';
import { dnsLabelProblem } from '../app-spec.js';
import { appNamespaceProblem } from '../policy-spec.js';
import { checkRepoPath } from '../repo-path.js';
import type { ProjectRead } from './appproject.js';

export interface FoundObject {
  object: KubeObject;
  source: SourceLocation;
}

export interface DiscoverContext {
  /** The repository driftdeck watches (`--repo`). */
  repoUrl: string;
  /** The branch it follows (`--branch`). */
  branch: string;
  /** Flux sources (GitRepository, HelmRepository, OCIRepository, Bucket) found in it, by `kind/namespace/name`. */
  sources: Map<string, FoundObject>;
  /** Argo CD AppProjects found in the argocd folders, by name. */
  projects?: Map<string, ProjectRead[]>;
}

/** An app read from a definition, or why the definition cannot be an app at all (no usable name). */
export type Discovered =
  | { ok: true; spec: AppSpec; dependsOn: string[]; at: SourceLocation }
  | { ok: false; error: LocatedError };

export type Plain = Record<string, unknown>;

export function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const obj = (value: unknown): Plain => (isPlain(value) ? value : {});
export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** A field written with something in it (an empty mapping, list or string counts as not written). */
export function written(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlain(value)) return Object.keys(value).length > 0;
  return true;
}

/**
 * Collects, field by field, what keeps a definition from running as Argo CD or Flux would run it. The first
 * `invalid` or `unmanaged` reason wins over the list of unsupported fields: it says most about the app.
 */
export class Findings {
  private invalid?: string;
  private unmanaged?: string;
  private readonly unsupported: string[] = [];

  constructor(private readonly at: SourceLocation) {}

  bad(message: string): void {
    this.invalid ??= message;
  }

  elsewhere(message: string): void {
    this.unmanaged ??= message;
  }

  notSupported(field: string): void {
    if (!this.unsupported.includes(field)) this.unsupported.push(field);
  }

  /** Every listed field that is written, as not supported. */
  refuse(holder: Plain, prefix: string, fields: readonly string[]): void {
    for (const f of fields) if (written(holder[f])) this.notSupported(`${prefix}.${f}`);
  }

  /** The app with its hold, if any. */
  finish(spec: AppSpec): AppSpec {
    const reason = (message: string): LocatedError => ({ file: this.at.file, line: this.at.line, message });
    if (this.invalid) return { ...spec, held: { kind: 'invalid', reason: reason(this.invalid) } };
    if (this.unmanaged) return { ...spec, held: { kind: 'unmanaged', reason: reason(this.unmanaged) } };
    if (this.unsupported.length)
      return {
        ...spec,
        held: {
          kind: 'unmanaged',
          reason: reason(`not supported by driftdeck: ${this.unsupported.join(', ')}`),
        },
      };
    return spec;
  }
}

/** The object's name as a driftdeck app name, or the error naming the file and line. */
export function appName(found: FoundObject): { ok: true; name: string } | { ok: false; error: LocatedError } {
  const raw = found.object.metadata?.name;
  const name = typeof raw === 'string' ? raw : '';
  const problem = dnsLabelProblem(name);
  if (!problem) return { ok: true, name };
  return {
    ok: false,
    error: {
      file: found.source.file,
      line: found.source.line,
      message: `${found.object.kind} name cannot be a driftdeck app name: ${problem}`,
    },
  };
}

/** A path written relative to the repository root (`./apps/web`), checked and normalized, or undefined. */
export function repoPath(raw: string, field: string, findings: Findings): string | undefined {
  const checked = checkRepoPath(raw.replace(/^\.\/+/, '') || '.');
  if (checked.ok) return checked.path;
  findings.bad(`${field}: ${checked.problem}`);
  return undefined;
}

/** A namespace an app may use (a DNS label, not driftdeck's own), else the reason in `findings`. */
export function appNamespace(value: string, field: string, findings: Findings): string {
  const problem = dnsLabelProblem(value) ?? appNamespaceProblem(value, undefined);
  if (problem) findings.bad(`${field}: ${problem}`);
  return problem ? 'default' : value;
}

/** A values file written relative to the repository root, made relative to the chart folder as AppSpec wants. */
export function relativeToApp(appPath: string, fromRoot: string): string {
  return posix.relative(appPath === '.' ? '' : appPath, fromRoot) || '.';
}

export function baseSpec(
  name: string,
  found: FoundObject,
  kind: NonNullable<AppSpec['definedBy']>['kind'],
): AppSpec {
  return {
    name,
    path: '.',
    namespace: 'default',
    renderer: { type: 'auto' },
    sync: { auto: false, prune: false, selfHeal: false },
    ignore: [],
    definedBy: { kind, file: found.source.file, line: found.source.line },
  };
}

/**
 * A value from a definition as a message may quote it: credentials and query values of a URL masked, and anything
 * not plain printable text (control characters, spaces, a long run) quoted, escaped and cut.
 */
export function said(value: string): string {
  const safe = redactUrl(value);
  return /^[\x21-\x7e]{1,200}$/.test(safe) ? safe : shown(safe);
}
