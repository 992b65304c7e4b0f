// Flux's Kustomization (kustomize.toolkit.fluxcd.io) and HelmRelease (helm.toolkit.fluxcd.io) as driftdeck apps.
// Flux reconciles by itself: an app it would keep applied is an auto-sync app here, unless it is suspended.
import { isReleaseName, RELEASE_NAME_EXPECTED } from '../schema.js';
import {
  appName,
  appNamespace,
  baseSpec,
  type DiscoverContext,
  type Discovered,
  Findings,
  type FoundObject,
  isPlain,
  list,
  obj,
  type Plain,
  relativeToApp,
  repoPath,
  said,
  text,
} from './found.js';
import { sameRepository } from './repo-url.js';

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io';
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';

const groupOf = (f: FoundObject) => (f.object.apiVersion ?? '').split('/')[0];

export function isFluxKustomization(f: FoundObject): boolean {
  return f.object.kind === 'Kustomization' && groupOf(f) === FLUX_KUSTOMIZE_GROUP;
}
export function isHelmRelease(f: FoundObject): boolean {
  return f.object.kind === 'HelmRelease' && groupOf(f) === FLUX_HELM_GROUP;
}
export function isFluxSource(f: FoundObject): boolean {
  return groupOf(f) === FLUX_SOURCE_GROUP;
}

/** The key a Flux source is found under: `GitRepository/flux-system/flux-system`. */
export function sourceKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function namespaceOf(f: FoundObject): string {
  return f.object.metadata?.namespace || 'default';
}

/** `dependsOn` as app names; Flux allows another namespace, driftdeck app names are one flat set. */
function dependsOn(spec: Plain): string[] {
  return list(spec.dependsOn)
    .map((d) => text(obj(d).name))
    .filter((n): n is string => !!n);
}

/** The app keeps its dependencies, for auto-sync to wait on them. */
function withDependsOn(d: Extract<Discovered, { ok: true }>): Discovered {
  return d.dependsOn.length ? { ...d, spec: { ...d.spec, dependsOn: d.dependsOn } } : d;
}

/** Whether a sourceRef is a GitRepository of this repository and branch; says why not in `findings`. */
function checkGitSource(ref: Plain, owner: FoundObject, findings: Findings, ctx: DiscoverContext): void {
  const kind = text(ref.kind) ?? 'GitRepository';
  const name = text(ref.name) ?? '';
  const namespace = text(ref.namespace) || namespaceOf(owner);
  if (kind !== 'GitRepository') {
    const found = ctx.sources.get(sourceKey(kind, namespace, name));
    const url = text(obj(found?.object.spec).url);
    findings.elsewhere(
      `not this repository: its source is the ${said(kind)} ${said(`${namespace}/${name}`)}${url ? ` (${said(url)})` : ''}; driftdeck renders apps from ${said(ctx.repoUrl)} only`,
    );
    return;
  }
  const git = ctx.sources.get(sourceKey(kind, namespace, name));
  if (!git) {
    findings.elsewhere(
      `its source GitRepository ${said(`${namespace}/${name}`)} is not defined in this repository, so it cannot be told to be this repository`,
    );
    return;
  }
  const gitSpec = obj(git.object.spec);
  const url = text(gitSpec.url) ?? '';
  const where = `${git.source.file}:${git.source.line}`;
  if (!sameRepository(url, ctx.repoUrl)) {
    findings.elsewhere(
      `not this repository: its source GitRepository ${said(`${namespace}/${name}`)} (${where}) fetches ${said(url || '(no url)')}; driftdeck renders apps from ${said(ctx.repoUrl)} only`,
    );
    return;
  }
  const gitRef = obj(gitSpec.ref);
  const pinned = text(gitRef.tag) ?? text(gitRef.semver) ?? text(gitRef.commit) ?? text(gitRef.name);
  const branch = text(gitRef.branch);
  if (pinned || (branch && branch !== ctx.branch))
    findings.elsewhere(
      `its source GitRepository ${said(`${namespace}/${name}`)} (${where}) follows ${said(pinned ?? `branch ${branch}`)}, not the branch driftdeck follows (${ctx.branch})`,
    );
}

/** Fields that change what is applied or where; any of them written holds the app. */
const KUSTOMIZATION_UNSUPPORTED = [
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'images',
  'components',
  'postBuild',
  'decryption',
  'namePrefix',
  'nameSuffix',
  'commonMetadata',
  'force',
] as const;

export function fromKustomization(found: FoundObject, ctx: DiscoverContext): Discovered {
  const named = appName(found);
  if (!named.ok) return named;
  const findings = new Findings(found.source);
  const spec = baseSpec(named.name, found, 'Kustomization');
  const k = obj(found.object.spec);
  checkGitSource(obj(k.sourceRef), found, findings, ctx);
  if (k.kubeConfig)
    findings.elsewhere(
      'spec.kubeConfig names another cluster; driftdeck deploys to the cluster of its kube context',
    );
  findings.refuse(k, 'spec', KUSTOMIZATION_UNSUPPORTED);
  const path = repoPath(text(k.path) ?? '.', 'spec.path', findings);
  if (path) spec.path = path;
  // Flux builds a folder without a kustomization.yaml from every manifest under it, sub-folders included.
  spec.renderer.recurse = true;
  const target = text(k.targetNamespace);
  spec.namespace = appNamespace(target || 'default', 'spec.targetNamespace', findings);
  if (target) spec.namespaceOverride = true;
  const suspended = k.suspend === true;
  // Flux applies at every interval, putting drift back, and deletes what left Git only with prune.
  spec.sync = { auto: !suspended, prune: k.prune === true, selfHeal: !suspended };
  return withDependsOn({ ok: true, spec: findings.finish(spec), dependsOn: dependsOn(k), at: found.source });
}

export function fromHelmRelease(found: FoundObject, ctx: DiscoverContext): Discovered {
  const named = appName(found);
  if (!named.ok) return named;
  const findings = new Findings(found.source);
  const spec = baseSpec(named.name, found, 'HelmRelease');
  const h = obj(found.object.spec);
  const chartTemplate = obj(obj(h.chart).spec);
  if (h.chartRef) {
    const ref = obj(h.chartRef);
    findings.elsewhere(
      `not this repository: its chart is the ${said(text(ref.kind) ?? 'source')} ${said(text(ref.name) ?? '?')} (spec.chartRef); driftdeck renders charts from ${said(ctx.repoUrl)} only`,
    );
  } else {
    const ref = obj(chartTemplate.sourceRef);
    const kind = text(ref.kind) ?? '';
    if (kind === 'GitRepository') checkGitSource(ref, found, findings, ctx);
    else {
      const namespace = text(ref.namespace) || namespaceOf(found);
      const repo = ctx.sources.get(sourceKey(kind, namespace, text(ref.name) ?? ''));
      const url = text(obj(repo?.object.spec).url);
      findings.elsewhere(
        `not this repository: chart ${said(text(chartTemplate.chart) ?? '?')}${text(chartTemplate.version) ? ` ${said(text(chartTemplate.version)!)}` : ''} from the ${said(kind || 'source')} ${said(`${namespace}/${text(ref.name) ?? ''}`)}${url ? ` (${said(url)})` : ''}; driftdeck renders charts from ${said(ctx.repoUrl)} only`,
      );
    }
  }
  if (h.kubeConfig)
    findings.elsewhere(
      'spec.kubeConfig names another cluster; driftdeck deploys to the cluster of its kube context',
    );
  findings.refuse(h, 'spec', ['valuesFrom', 'postRenderers']);
  const path = repoPath(text(chartTemplate.chart) ?? '.', 'spec.chart.spec.chart', findings);
  if (path) spec.path = path;
  spec.renderer = { type: 'helm', helm: { valueFiles: valuesFiles(chartTemplate, spec.path, findings) } };
  if (isPlain(h.values)) spec.renderer.helm!.values = h.values;
  const target = text(h.targetNamespace);
  // The release goes into the targetNamespace, else the HelmRelease's own namespace.
  spec.namespace = appNamespace(
    target || namespaceOf(found),
    target ? 'spec.targetNamespace' : 'metadata.namespace',
    findings,
  );
  const releaseName = text(h.releaseName) ?? (target ? `${target}-${named.name}` : named.name);
  if (isReleaseName(releaseName)) spec.renderer.helm!.releaseName = releaseName;
  else
    findings.bad(`spec.releaseName: expected ${RELEASE_NAME_EXPECTED}, got ${JSON.stringify(releaseName)}`);
  const suspended = h.suspend === true;
  // helm-controller upgrades when the chart or values change (removing what left the chart, as helm does) and
  // corrects drift only when drift detection is enabled.
  const driftDetection = text(obj(h.driftDetection).mode) === 'enabled';
  spec.sync = { auto: !suspended, prune: !suspended, selfHeal: !suspended && driftDetection };
  return withDependsOn({ ok: true, spec: findings.finish(spec), dependsOn: dependsOn(h), at: found.source });
}

/** `valuesFiles` (and the older single `valuesFile`), written relative to the source root, made relative to the chart. */
function valuesFiles(chart: Plain, appPath: string, findings: Findings): string[] {
  const raw = [...list(chart.valuesFiles), ...(text(chart.valuesFile) ? [chart.valuesFile] : [])];
  const out: string[] = [];
  for (const [i, v] of raw.entries()) {
    const checked = repoPath(text(v) ?? '', `spec.chart.spec.valuesFiles[${i}]`, findings);
    if (checked) out.push(relativeToApp(appPath, checked));
  }
  return out;
}
