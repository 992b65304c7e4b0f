// The format of driftdeck.yaml, the app definitions file at the root of the watched Git repository.
//
//   apps:                                # required, a list (may be empty)
//     - name: backend                    # required, DNS-1123 label, unique in the file
//       path: apps/backend               # required, relative to the repo root, forward slashes, inside the repo;
//                                        #   normalized (`./apps//backend/` -> `apps/backend`); `.` is the root
//       namespace: shop                  # required, DNS-1123 label; given to namespaced objects naming none
//       renderer: auto                   # optional, default auto: auto | directory | kustomize | helm
//       # or the long form (every key optional, type defaults to auto):
//       # renderer:
//       #   type: helm
//       #   releaseName: backend         # helm only; DNS-1123 subdomain of at most 53 characters; default: name
//       #   valueFiles: [values-prod.yaml] # helm only; relative to the app path, must stay inside the repo
//       #   values: { replicas: 3 }      # helm only; a mapping merged after the values files
//       #   recurse: true                # directory only; descend into sub-folders (default true)
//       #   jsonnet:                     # directory only; for its *.jsonnet files, as Argo CD's directory.jsonnet
//       #     tlas: [{ name: env, value: prod }]        # top-level arguments; name an identifier, value a string,
//       #     extVars: [{ name: replicas, value: "3", code: true }]  # code: true reads value as Jsonnet code
//       #     libs: [vendor]             # library folders relative to the repo root, must stay inside the repo
//       #     # values may name Argo CD's build environment: $ARGOCD_APP_NAME, $ARGOCD_APP_NAMESPACE,
//       #     # $ARGOCD_APP_REVISION(_SHORT, _SHORT_8), $ARGOCD_APP_SOURCE_PATH; $$ is a literal $
//       cluster: prod-eu                 # optional: the cluster it is deployed to, a kube context name (for a
//                                        #   console) or the --cluster-name an agent answers to; default: the
//                                        #   default cluster (a console's first context, an agent without a name)
//       sync: { auto: false, prune: false, selfHeal: false }   # optional; each key optional, default false
//       policy:                          # optional; overrides the top-level policy rule by rule
//         destinations: [web, web-*]     #   namespace globs (`*`, `?`); `!kube-*` refuses what it matches
//         clusterResources:              #   cluster-scoped kinds allowed; [] allows none
//           - { group: "", kind: Namespace }   # group "" is the core group; both may be globs
//       ignore:                          # optional list of rules
//         - group: apps                  # optional: group ("" is the core group), kind, namespace, name
//           kind: Deployment
//           jsonPointers: [/spec/replicas]  # RFC 6901 pointers (start with `/`); at least one of these three:
//           jqPathExpressions: ['.spec.template.spec.initContainers[] | select(.name == "istio-init")']
//                                        #   jq paths left out, found on each side (Argo CD's, source/jq/)
//           managedFieldsManagers: [kube-controller-manager]  # fields these managers own on the live object
//   policy: { destinations: ["*"], clusterResources: [{ group: "*", kind: "*" }] }  # optional default, shown here
//   discover:                            # optional; folders whose Argo CD Applications (argocd) or Flux Kustomizations
//     - argocd: apps                     #   and HelmReleases (flux) become apps too (source/config/discover/); a
//     - flux: clusters/prod              #   folder is rendered like an app (a chart of Applications is read too).
//                                        #   With discover, apps may be left out.
//
// The namespace driftdeck-system (leases, sync history) is refused to every app whatever its policy; an app whose
// namespace its own destinations refuse is an error.
//
// Rules: unknown keys are errors (typos must not pass silently); YAML 1.2 core schema, so `yes`/`no` are strings
// and are refused where a boolean is expected; one document per file; helm options on a directory or kustomize app
// (or `recurse` or `jsonnet` on a helm or kustomize app) are errors. Every error carries file, line, column and a
// field path such as `apps[1].sync.auto`.

import { isDns1123Subdomain } from '../engine/names.js';

export const TOP_LEVEL_KEYS = ['apps', 'policy', 'discover'] as const;
export const DISCOVER_TYPES = ['argocd', 'flux'] as const;
export const APP_KEYS = [
  'name',
  'path',
  'namespace',
  'cluster',
  'renderer',
  'sync',
  'ignore',
  'policy',
] as const;
export const POLICY_KEYS = ['destinations', 'clusterResources'] as const;
export const CLUSTER_RESOURCE_KEYS = ['group', 'kind'] as const;
export const RENDERER_KEYS = ['type', 'releaseName', 'valueFiles', 'values', 'recurse', 'jsonnet'] as const;
export const JSONNET_KEYS = ['tlas', 'extVars', 'libs'] as const;
export const JSONNET_VARIABLE_KEYS = ['name', 'value', 'code'] as const;
export const SYNC_KEYS = ['auto', 'prune', 'selfHeal'] as const;
export const IGNORE_KEYS = [
  'group',
  'kind',
  'namespace',
  'name',
  'jsonPointers',
  'jqPathExpressions',
  'managedFieldsManagers',
] as const;

/** Bounds on what an ignore rule from Git may write; the cost of evaluating an expression is bounded in source/jq. */
const JQ_EXPRESSION_MAX = 1024;
const FIELD_MANAGER_MAX = 128;

/** A jq path expression as written (its syntax is jq's to judge, when it is evaluated). */
export function jqExpressionProblem(expr: string): string | undefined {
  if (!expr.trim()) return 'expected a jq path expression such as .spec.replicas, got an empty string';
  if (expr.length > JQ_EXPRESSION_MAX)
    return `a jq expression may be at most ${JQ_EXPRESSION_MAX} characters`;
  if (/[\p{Cc}\p{Cf}]/u.test(expr.replace(/[\n\t]/g, ' ')))
    return 'a jq expression may not hold control characters';
  return undefined;
}

/** A field manager's name as metadata.managedFields writes it. */
export function fieldManagerProblem(name: string): string | undefined {
  if (!name) return 'expected a field manager name such as kube-controller-manager, got an empty string';
  if (name.length > FIELD_MANAGER_MAX)
    return `a field manager name may be at most ${FIELD_MANAGER_MAX} characters`;
  if (/[\p{Cc}\p{Cf}]/u.test(name)) return 'a field manager name may not hold control characters';
  return undefined;
}

/** kubeconfig does not bound a context name; this is the longest a Kubernetes object name may be. */
const CLUSTER_NAME_MAX = 253;
export const CLUSTER_NAME_EXPECTED = `a cluster name (a kube context name: 1 to ${CLUSTER_NAME_MAX} printable characters, no spaces)`;

/**
 * A destination cluster as an app, an Argo CD Application or `--cluster-name` names it: a kube context name, which
 * may hold almost anything (`arn:aws:eks:eu-west-1:1234:cluster/prod`, `gke_project_zone_name`, `user@cluster`),
 * but never whitespace or control characters: it is shown in the console and compared to what the flags say.
 */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > CLUSTER_NAME_MAX || /[\s\p{C}]/u.test(name))
    return `expected ${CLUSTER_NAME_EXPECTED}, got ${JSON.stringify(name)}`;
  return undefined;
}
export const RENDERER_TYPES = ['auto', 'directory', 'kustomize', 'helm'] as const;

/** Helm refuses release names longer than this. */
const RELEASE_NAME_MAX = 53;

export const DNS_LABEL_EXPECTED =
  'a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, ' +
  'at most 63 characters)';
export const RELEASE_NAME_EXPECTED = `a Helm release name (lowercase letters, digits, "-" and ".", at most ${RELEASE_NAME_MAX} characters)`;

export { isDns1123Label as isDnsLabel } from '../engine/names.js';

export function isReleaseName(value: string): boolean {
  return value.length <= RELEASE_NAME_MAX && isDns1123Subdomain(value);
}

/** RFC 6901: empty (the whole document, which we refuse to ignore) or `/`-separated tokens where `~` is `~0`/`~1`. */
export function jsonPointerProblem(pointer: string): string | undefined {
  if (!pointer.startsWith('/')) return 'a JSON pointer must start with "/" (e.g. /spec/replicas)';
  if (/~(?![01])/.test(pointer)) return 'in a JSON pointer "~" must be written ~0 and "/" inside a key ~1';
  return undefined;
}
