import { createHash } from 'node:crypto';
import { JSONNET_MAIN_GO } from './jsonnet-main-go.js';

// Pinned versions of everything the local cluster is built from. Kubernetes pins exact dependency versions, so these
// move together and only on purpose; the cache is keyed by them.

export const KUBE_VERSION = 'v1.36.3';
/** The staging modules (k8s.io/api, k8s.io/client-go, ...) carry the same minor and patch under major 0. */
export const KUBE_STAGING_VERSION = KUBE_VERSION.replace(/^v1\./, 'v0.');
export const ETCD_VERSION = 'v3.6.16';
export const KWOK_VERSION = 'v0.8.0';
export const HELM_VERSION = 'v3.22.0';
export const KUSTOMIZE_VERSION = 'v5.8.1';
/** go-jsonnet, the library driftdeck's own driftdeck-jsonnet program is built against (jsonnet-main-go.ts). */
export const JSONNET_VERSION = 'v0.22.0';
/** The oldest Go that builds all of the above (their go.mod files ask for it). */
export const MIN_GO = '1.26';

export interface Component {
  /** Folder name in the cache: `<id>-<version>`. */
  id: string;
  version: string;
  /** The module whose go.mod carries replace directives to local folders that the wrapper must re-point. */
  rootModule: string;
  /** Version that local-folder replacements resolve to (staging modules for Kubernetes). */
  replaceVersion: string;
  /** Main packages to build, each into a binary named by its last path element. */
  packages: string[];
  ldflags: string[];
  /**
   * A main package of driftdeck's own, written into the wrapper module (as `main.go`) and built against rootModule
   * at version; packages then names the wrapper module itself.
   */
  mainSource?: string;
}

function kubeVersionFlags(): string[] {
  const [major, minor] = KUBE_VERSION.replace(/^v/, '').split('.');
  const flags: string[] = [];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    flags.push(
      `-X ${pkg}.gitVersion=${KUBE_VERSION}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
    );
  }
  return flags;
}

export const COMPONENTS: Component[] = [
  {
    id: 'kubernetes',
    version: KUBE_VERSION,
    rootModule: 'k8s.io/kubernetes',
    replaceVersion: KUBE_STAGING_VERSION,
    packages: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'].map(
      (cmd) => `k8s.io/kubernetes/cmd/${cmd}`,
    ),
    ldflags: kubeVersionFlags(),
  },
  {
    id: 'etcd',
    version: ETCD_VERSION,
    rootModule: 'go.etcd.io/etcd/server/v3',
    replaceVersion: ETCD_VERSION,
    packages: ['go.etcd.io/etcd/server/v3'],
    ldflags: [],
  },
  {
    id: 'kwok',
    version: KWOK_VERSION,
    rootModule: 'sigs.k8s.io/kwok',
    replaceVersion: KWOK_VERSION,
    packages: ['sigs.k8s.io/kwok/cmd/kwok', 'sigs.k8s.io/kwok/cmd/kwokctl'],
    ldflags: [`-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION}`],
  },
  {
    id: 'helm',
    version: HELM_VERSION,
    rootModule: 'helm.sh/helm/v3',
    replaceVersion: HELM_VERSION,
    packages: ['helm.sh/helm/v3/cmd/helm'],
    ldflags: [`-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`],
  },
  {
    id: 'kustomize',
    version: KUSTOMIZE_VERSION,
    rootModule: 'sigs.k8s.io/kustomize/kustomize/v5',
    replaceVersion: KUSTOMIZE_VERSION,
    packages: ['sigs.k8s.io/kustomize/kustomize/v5'],
    ldflags: [],
  },
  {
    id: 'driftdeck-jsonnet',
    version: JSONNET_VERSION,
    rootModule: 'github.com/google/go-jsonnet',
    replaceVersion: JSONNET_VERSION,
    packages: [wrapperModule('driftdeck-jsonnet')],
    ldflags: [],
    mainSource: JSONNET_MAIN_GO,
  },
];

/** The module path of a component's wrapper module (the folder the build writes its go.mod into). */
export function wrapperModule(id: string): string {
  return `driftdeck.local/${id}`;
}

/**
 * The cache folder name of a component: `<id>-<version>`, and for one with a main package of driftdeck's own, a
 * digest of that source too, so that a driftdeck carrying a changed program builds it again instead of reusing one
 * built from older source.
 */
export function componentFolder(c: Component): string {
  const base = `${c.id}-${c.version}`;
  if (c.mainSource === undefined) return base;
  return `${base}-${createHash('sha256').update(c.mainSource).digest('hex').slice(0, 12)}`;
}

/** The binary a main package builds to: its last path element, except a major-version suffix. */
export function binaryName(pkg: string): string {
  const parts = pkg.split('/');
  let last = parts.at(-1) ?? pkg;
  if (/^v\d+$/.test(last)) last = parts.at(-2) ?? last;
  return last === 'server' ? 'etcd' : last;
}
