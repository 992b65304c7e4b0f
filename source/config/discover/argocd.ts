// An Argo CD Application (argoproj.io/v1alpha1) as a driftdeck app, field by field as Argo CD documents them.
// What driftdeck cannot do the way Argo CD would is never dropped nor approximated: the app is listed, held, with
// the reason (see Findings).
import { DEFAULT_POLICY, destinationRefusal } from '../../engine/policy.js';
import type { AppSpec, IgnoreRule } from '../../engine/types.js';
import { globProblem } from '../../render/file-globs.js';
import {
  clusterNameProblem,
  fieldManagerProblem,
  isReleaseName,
  jqExpressionProblem,
  jsonPointerProblem,
  RELEASE_NAME_EXPECTED,
} from '../schema.js';
import { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, projectDestinations, sourcePermitted } from './appproject.js';
import { argoJsonnet } from './argocd-jsonnet.js';
import { argoKustomize } from './argocd-kustomize.js';
import {
  appName,
  appNamespace,
  baseSpec,
  type DiscoverContext,
  type Discovered,
  Findings,
  type FoundObject,
  list,
  obj,
  type Plain,
  repoPath,
  said,
  text,
  written,
} from './found.js';
import { argoHelmValues } from './helm-values.js';
import { sameRepository } from './repo-url.js';

export const ARGO_GROUP = 'argoproj.io';

/** Sync options that ask for what driftdeck does anyway: it creates missing namespaces and applies server-side. */
const SAME_SYNC_OPTIONS = new Set([
  'CreateNamespace=true',
  'ServerSideApply=true',
  'ApplyOutOfSyncOnly=true',
]);

export function isApplication(found: FoundObject): boolean {
  return found.object.kind === 'Application' && found.object.apiVersion?.startsWith(`${ARGO_GROUP}/`);
}

export function fromApplication(found: FoundObject, ctx: DiscoverContext): Discovered {
  const named = appName(found);
  if (!named.ok) return named;
  const findings = new Findings(found.source);
  const spec = baseSpec(named.name, found, 'Application');
  const appSpec = obj(found.object.spec);
  const sources = list(appSpec.sources);
  let source = obj(appSpec.source);
  if (sources.length === 1 && !written(appSpec.source)) source = obj(sources[0]);
  else if (sources.length > 1)
    findings.elsewhere(
      `spec.sources (${sources.length} sources in one app) is not supported: driftdeck renders one folder of this repository per app`,
    );
  else if (!written(appSpec.source)) findings.bad('spec.source is missing: no repository and path to render');

  readSource(source, spec, findings, ctx);
  readDestination(obj(appSpec.destination), spec, findings);
  readSyncPolicy(obj(appSpec.syncPolicy), spec, findings);
  spec.ignore = readIgnoreDifferences(list(appSpec.ignoreDifferences), findings);
  readProject(text(appSpec.project) || 'default', text(source.repoURL) ?? '', spec, findings, ctx);
  return { ok: true, spec: findings.finish(spec), dependsOn: [], at: found.source };
}

function readSource(source: Plain, spec: AppSpec, findings: Findings, ctx: DiscoverContext): void {
  const repoURL = text(source.repoURL) ?? '';
  const chart = text(source.chart);
  const revision = text(source.targetRevision) ?? '';
  if (!sameRepository(repoURL, ctx.repoUrl)) {
    const what = chart
      ? `Helm chart ${said(chart)}${revision ? ` ${said(revision)}` : ''} from ${said(repoURL)}`
      : said(repoURL || '(none)');
    findings.elsewhere(
      `not this repository: source ${what}; driftdeck renders apps from ${said(ctx.repoUrl)} only`,
    );
  }
  if (chart) findings.notSupported('source.chart');
  // driftdeck renders every app at the head of the one branch it follows; an app pinned elsewhere would be rendered
  // from a revision it does not ask for.
  const branch = ctx.branch;
  if (!['', 'HEAD', branch, `refs/heads/${branch}`].includes(revision))
    findings.elsewhere(
      `targetRevision ${said(revision)} is not the branch driftdeck follows (${branch}); every app is rendered at the head of ${branch}`,
    );
  const path = repoPath(text(source.path) ?? '.', 'source.path', findings);
  if (path) spec.path = path;
  findings.refuse(source, 'source', ['plugin', 'ref']);
  readHelm(obj(source.helm), spec, findings);
  const kustomize = argoKustomize(obj(source.kustomize), spec.path, findings);
  if (kustomize) spec.renderer.kustomize = kustomize;
  const directory = obj(source.directory);
  for (const key of ['include', 'exclude'] as const) {
    const pattern = directory[key];
    // Argo CD reads an empty pattern as none.
    if (pattern === undefined || pattern === null || pattern === '') continue;
    const problem = typeof pattern === 'string' ? globProblem(pattern) : 'expected a glob pattern (a string)';
    if (problem) findings.bad(`source.directory.${key}: ${problem}`);
    else spec.renderer[key] = pattern as string;
  }
  // Argo CD reads a plain folder without its sub-folders unless told to recurse; driftdeck's default is the other.
  spec.renderer.recurse = directory.recurse === true;
  const jsonnet = argoJsonnet(obj(directory.jsonnet), findings);
  if (jsonnet) spec.renderer.jsonnet = jsonnet;
}

/**
 * The app's AppProject as a narrowing of its policy (the base, driftdeck.yaml's, is set where the apps are loaded).
 * Argo CD refuses an Application whose project does not exist; `default` exists always, and allows what
 * driftdeck.yaml allows unless the repository writes its own `default` AppProject.
 */
function readProject(
  name: string,
  repoURL: string,
  spec: AppSpec,
  findings: Findings,
  ctx: DiscoverContext,
): void {
  const found = ctx.projects?.get(name) ?? [];
  if (!found.length) {
    if (name !== 'default')
      findings.elsewhere(
        `project ${said(name)} not found: no AppProject of that name in the folders driftdeck reads, and Argo CD refuses an Application whose project does not exist`,
      );
    return;
  }
  if (found.length > 1) {
    findings.bad(
      `project ${said(name)}: ${found.length} AppProjects of that name (${found.map((p) => `${p.at.file}:${p.at.line}`).join(', ')}); expected one`,
    );
    return;
  }
  const project = found[0]!;
  if (project.problem || !project.layer) {
    findings.bad(`project ${said(name)} at ${project.at.file}:${project.at.line}: ${project.problem}`);
    return;
  }
  for (const field of project.unsupported) findings.notSupported(`AppProject ${said(name)} ${field}`);
  if (!sourcePermitted(project, repoURL))
    findings.elsewhere(
      `source ${said(repoURL || '(none)')} is not among the sourceRepos of AppProject ${said(name)} at ${project.at.file}:${project.at.line} (Argo CD refuses such an Application)`,
    );
  const layer = { ...project.layer, destinations: projectDestinations(project, spec.cluster) };
  spec.policy = { ...DEFAULT_POLICY, narrowedBy: [layer] };
  const refused = destinationRefusal(layer.destinations, spec.namespace);
  if (refused)
    findings.bad(
      `destination.namespace ${spec.namespace} ${refused} of ${layer.origin}${spec.cluster ? ` for cluster ${said(spec.cluster)}` : ''} (Argo CD refuses such an Application)`,
    );
}

function readHelm(helm: Plain, spec: AppSpec, findings: Findings): void {
  if (!written(helm)) return;
  findings.refuse(helm, 'source.helm', [
    'fileParameters',
    'skipCrds',
    'ignoreMissingValueFiles',
    'kubeVersion',
    'apiVersions',
    'namespace',
  ]);
  const version = text(helm.version);
  if (version && version !== 'v3') findings.notSupported(`source.helm.version ${said(version)}`);
  const valueFiles: string[] = [];
  for (const [i, raw] of list(helm.valueFiles).entries()) {
    const file = text(raw) ?? '';
    const field = `source.helm.valueFiles[${i}]`;
    if (file.startsWith('$')) {
      findings.notSupported(`${field} (a file of another source: ${said(file)})`);
      continue;
    }
    // Relative to the chart folder, as Argo CD reads them; confined to the repository like any path.
    const fromRoot = repoPath(spec.path === '.' ? file : `${spec.path}/${file}`, field, findings);
    if (fromRoot) valueFiles.push(file);
  }
  const options: NonNullable<AppSpec['renderer']['helm']> = { valueFiles };
  const releaseName = text(helm.releaseName);
  if (releaseName) {
    if (isReleaseName(releaseName)) options.releaseName = releaseName;
    else
      findings.bad(
        `source.helm.releaseName: expected ${RELEASE_NAME_EXPECTED}, got ${JSON.stringify(releaseName)}`,
      );
  }
  const values = argoHelmValues(helm, findings);
  if (values) options.values = values;
  spec.renderer.helm = options;
}

/**
 * `destination.name` names the cluster (a kube context name for a console, an agent's --cluster-name): the app's
 * `cluster`. A server URL other than the in-cluster one stays Unmanaged: a console opens clusters by kube context,
 * and a URL says neither which context (several may point at one server with other users and rights) nor, for an
 * agent, whether it is the agent's own cluster as the Argo CD that wrote it reached it.
 */
function readDestination(destination: Plain, spec: AppSpec, findings: Findings): void {
  const server = text(destination.server)?.replace(/\/+$/, '');
  const name = text(destination.name);
  const otherServer = server !== undefined && server !== '' && server !== IN_CLUSTER_SERVER;
  if (name && server)
    findings.bad(
      `destination names both a cluster (${said(name)}) and a server (${said(server)}); Argo CD refuses an Application with both`,
    );
  else if (otherServer)
    findings.elsewhere(
      `destination ${said(server)} is another cluster by its server URL; driftdeck opens clusters by kube context name: write destination.name: <context> instead`,
    );
  else if (name && name !== IN_CLUSTER_NAME) {
    const problem = clusterNameProblem(name);
    if (problem) findings.bad(`destination.name: ${problem}`);
    else spec.cluster = name;
  }
  // Objects without a namespace go where kubectl would put them when the Application names none.
  spec.namespace = appNamespace(text(destination.namespace) || 'default', 'destination.namespace', findings);
}

function readSyncPolicy(policy: Plain, spec: AppSpec, findings: Findings): void {
  const automated = policy.automated;
  if (automated !== undefined && automated !== null) {
    const a = obj(automated);
    // Argo CD 3 may switch an automated policy off with `enabled: false` and keep its settings.
    const on = a.enabled !== false;
    spec.sync = { auto: on, prune: on && a.prune === true, selfHeal: on && a.selfHeal === true };
  }
  for (const option of list(policy.syncOptions)) {
    const o = text(option) ?? String(option);
    if (!SAME_SYNC_OPTIONS.has(o)) findings.notSupported(`syncPolicy.syncOptions ${said(o)}`);
  }
  findings.refuse(policy, 'syncPolicy', ['managedNamespaceMetadata']);
}

function readIgnoreDifferences(items: unknown[], findings: Findings): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const [i, raw] of items.entries()) {
    const item = obj(raw);
    const field = `ignoreDifferences[${i}]`;
    const strings = (key: string, problemOf: (value: string) => string | undefined) => {
      const out: string[] = [];
      for (const value of list(item[key]).map((p) => text(p) ?? '')) {
        const problem = problemOf(value);
        if (problem) findings.bad(`${field}.${key}: ${problem}, got ${JSON.stringify(value)}`);
        else out.push(value);
      }
      return out;
    };
    const rule: IgnoreRule = { jsonPointers: strings('jsonPointers', jsonPointerProblem) };
    const jq = strings('jqPathExpressions', jqExpressionProblem);
    const managers = strings('managedFieldsManagers', fieldManagerProblem);
    if (jq.length) rule.jqPathExpressions = jq;
    if (managers.length) rule.managedFieldsManagers = managers;
    if (!rule.jsonPointers.length && !jq.length && !managers.length) continue;
    // Argo CD matches the group exactly; left out, it is the core group.
    rule.group = text(item.group) ?? '';
    for (const key of ['kind', 'name', 'namespace'] as const) {
      const value = text(item[key]);
      if (value) rule[key] = value;
    }
    rules.push(rule);
  }
  return rules;
}
