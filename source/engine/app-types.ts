// The vocabulary of app definitions (driftdeck.yaml, and what discovery finds in Argo CD's and Flux's objects):
// plain data, read by the config parser, the renderers and the engine. Re-exported by types.ts.
import type { LocatedError } from './types.js';

export interface SyncPolicy {
  /** Apply a new revision by itself. */
  auto: boolean;
  /** Delete resources that left Git (only those carrying driftdeck's mark for this app). */
  prune: boolean;
  /** Put drift in the cluster back without waiting for a new commit. */
  selfHeal: boolean;
}

export interface IgnoreRule {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  /** RFC 6901 JSON pointers whose values are left out of the comparison, e.g. `/spec/replicas`. */
  jsonPointers: string[];
  /**
   * jq expressions (Argo CD's jqPathExpressions): the paths `path(expr)` gives on each side are left out of that
   * side, e.g. `.spec.template.spec.initContainers[] | select(.name == "injected")`.
   */
  jqPathExpressions?: string[];
  /** Field managers whose fields (per the live object's metadata.managedFields) are left out of both sides. */
  managedFieldsManagers?: string[];
}

export type RendererKind = 'directory' | 'kustomize' | 'helm';

export interface RendererOptions {
  /** `auto` picks helm when Chart.yaml exists, kustomize when kustomization.yaml exists, else directory. */
  type: RendererKind | 'auto';
  helm?: {
    releaseName?: string;
    /** Values files relative to the app path. */
    valueFiles: string[];
    /** Inline values, merged last. */
    values?: Record<string, unknown>;
  };
  /** Plain folders: descend into sub-folders (default true). */
  recurse?: boolean;
  /** Plain folders: how their `.jsonnet` files are evaluated (Argo CD's `directory.jsonnet`). */
  jsonnet?: JsonnetOptions;
  /**
   * Plain folders: Argo CD's `directory.include` and `exclude`, glob patterns matched against each file's path
   * relative to the app path (`*` crosses `/`, `{a,b}` alternatives); a file matching `exclude` is left out even
   * when `include` matches it.
   */
  include?: string;
  exclude?: string;
  /** Kustomize: Argo CD's `source.kustomize` options, applied to a copy of the app's kustomization before the build. */
  kustomize?: KustomizeOptions;
}

/**
 * What Argo CD sets with `kustomize edit` on the app's own kustomization: the prefix, suffix and namespace replace
 * the kustomization's; images and replicas replace entries of the same name; labels and annotations are added (an
 * existing key is an error unless forced); patches and components are appended.
 */
export interface KustomizeOptions {
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  /** As `kustomize edit set image` takes them: `name=newName:tag`, `name:tag`, `name@sha256:...`. */
  images?: string[];
  replicas?: Array<{ name: string; count: number }>;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  /** Argo CD's build environment (`$ARGOCD_APP_REVISION`...) is substituted in annotation values too, as in images and labels. */
  commonAnnotationsEnvsubst?: boolean;
  forceCommonLabels?: boolean;
  forceCommonAnnotations?: boolean;
  /** The labels go to `labels` without selectors (and, with labelIncludeTemplates, to pod templates too). */
  labelWithoutSelector?: boolean;
  labelIncludeTemplates?: boolean;
  /** Kustomize `patches` entries (path relative to the app path, or an inline patch, with a target). */
  patches?: Array<Record<string, unknown>>;
  /** Component folders relative to the app path (or remote, as a kustomization may name them). */
  components?: string[];
  /** Components whose folder does not exist are left out instead of failing the build. */
  ignoreMissingComponents?: boolean;
}

/** A top-level argument or external variable: a string, or Jsonnet code when `code` is true. */
export interface JsonnetVariable {
  name: string;
  value: string;
  code: boolean;
}

export interface JsonnetOptions {
  tlas: JsonnetVariable[];
  extVars: JsonnetVariable[];
  /** Library folders (`-J`), relative to the repository root, searched after the importing file's folder. */
  libs: string[];
}

/**
 * Where an app may write, after Argo CD's AppProject (`destinations`, `clusterResourceWhitelist`). Whatever it says,
 * driftdeck's own namespace is refused to every app (see engine/policy.ts).
 */
export interface AppPolicy {
  /** Namespace globs (`*` any run of characters, `?` one); an entry starting with `!` refuses what it matches. */
  destinations: string[];
  /** Cluster-scoped kinds the app may write: group and kind globs, `''` being the core group. */
  clusterResources: Array<{ group: string; kind: string }>;
  /** Where each rule was written (`driftdeck.yaml:12`), for refusal messages; absent for the built-in default. */
  origin?: { destinations?: string; clusterResources?: string };
  /**
   * Narrowings from the repository (an Argo CD AppProject): an object must pass each of them as well as the rules
   * above, so what Git writes can only take rights away from what driftdeck.yaml (or the default) allows.
   */
  narrowedBy?: PolicyLayer[];
}

/** A group and kind, each a glob (`''` the core group). */
export interface GroupKindGlob {
  group: string;
  kind: string;
}

/** An Argo CD AppProject's rules, read as a narrowing of an app's policy (engine/policy.ts). */
export interface PolicyLayer {
  /** What it is, for refusal messages: `AppProject team-a at apps/projects.yaml:3`. */
  origin: string;
  /** Namespace globs of its in-cluster destinations; `!` refuses. */
  destinations: string[];
  /** clusterResourceWhitelist (none when not written, as Argo CD reads it) and clusterResourceBlacklist. */
  clusterResources: { allow: GroupKindGlob[]; deny: GroupKindGlob[] };
  /** namespaceResourceWhitelist (absent: every namespaced kind) and namespaceResourceBlacklist. */
  namespacedResources: { allow?: GroupKindGlob[]; deny: GroupKindGlob[] };
}

export interface AppSpec {
  name: string;
  /** Folder inside the repository, relative to its root, forward slashes, no leading `./`. */
  path: string;
  /** Namespace given to namespaced objects that do not name one. */
  namespace: string;
  renderer: RendererOptions;
  sync: SyncPolicy;
  ignore: IgnoreRule[];
  /** Absent: the default policy (any namespace but driftdeck's own, any cluster-scoped kind). */
  policy?: AppPolicy;
  /**
   * Every namespaced object goes into `namespace`, even one naming another (Flux's targetNamespace sets
   * metadata.namespace of all of them); by default `namespace` only fills in objects that name none.
   */
  namespaceOverride?: boolean;
  /** Apps to be Synced and Healthy before this one auto-syncs (Flux's dependsOn); a manual sync is not held. */
  dependsOn?: string[];
  /** Where `dependsOn` comes from when it is not Flux's dependsOn (an Argo CD Application's sync wave). */
  dependsOnWhy?: string;
  /** A discovered app: the Argo CD Application or Flux object it was read from. */
  definedBy?: AppDefinition;
  /** A discovered app listed but neither rendered nor synced, and why (at the file and line of its definition). */
  held?: AppHold;
  /**
   * The cluster the app is deployed to (`cluster:` in driftdeck.yaml, an Argo CD destination name): a kube context
   * name for a console, the name an in-cluster agent answers to (`--cluster-name`). Absent: the default cluster
   * (the first context a console opens, the agent's own cluster).
   */
  cluster?: string;
}

export interface AppDefinition {
  kind: 'Application' | 'Kustomization' | 'HelmRelease';
  file: string;
  line: number;
}

/**
 * `invalid`: its definition is wrong (a path leaving the repository, a bad namespace): an error like a render error.
 * `unmanaged`: a sound definition driftdeck does not run from this repository (another repository or cluster, a
 * feature it does not support): shown as Unmanaged with the reason, never a failure of `status`.
 */
export interface AppHold {
  kind: 'invalid' | 'unmanaged';
  reason: LocatedError;
}

/** A folder of `driftdeck.yaml`'s `discover` list, read for Argo CD or Flux app definitions. */
export interface DiscoverFolder {
  type: 'argocd' | 'flux';
  path: string;
  /** Where it is written, `driftdeck.yaml:4`. */
  at: string;
}

export interface RepoConfig {
  apps: AppSpec[];
  discover?: DiscoverFolder[];
  /** The top-level policy, which discovered apps get too (an AppProject may only narrow it). */
  policy?: AppPolicy;
}
