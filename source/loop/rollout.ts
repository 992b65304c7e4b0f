// Turns what the informer cache shows into rollout log lines: workload progress while a rollout runs, Warning
// events about the app's objects, and failing pods (ImagePullBackOff, CrashLoopBackOff). Each line is emitted once.
import { podFailureOf, workloadProgress } from '../engine/index.js';
import type { KubeObject, ResourceState, RolloutEvent } from '../engine/types.js';
import { sameList } from './same-list.js';

const WORKLOADS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet']);

type Emit = (app: string, e: Omit<RolloutEvent, 'time' | 'app'>) => void;

interface InvolvedObject {
  kind?: string;
  name?: string;
  namespace?: string;
}

interface EventObject extends KubeObject {
  involvedObject?: InvolvedObject;
  reason?: string;
  message?: string;
  count?: number;
  type?: string;
}

export class RolloutTracker {
  private readonly lastProgress = new Map<string, string>();
  private readonly seenWarnings = new Set<string>();
  private readonly seenPodFailures = new Map<string, string>();
  /** What each app's problems were last looked for in: the same again finds nothing new. */
  private readonly lastLooked = new Map<
    string,
    { resources: ResourceState[]; warnings: KubeObject[]; pods: KubeObject[] }
  >();

  constructor(private readonly emit: Emit) {}

  /** Workload progress lines, when they change. */
  progress(
    app: string,
    resources: ResourceState[],
    live: (r: ResourceState) => KubeObject | undefined,
  ): void {
    for (const r of resources) {
      if (!WORKLOADS.has(`${r.key.group}/${r.key.kind}`)) continue;
      const obj = live(r);
      const line = obj && workloadProgress(obj);
      if (!line) continue;
      // The suffix is part of what is compared: the same counts turning Healthy are news.
      const message = `${line.replace(/^[^:]+:\s*/, '')}${r.health.status === 'Healthy' ? ' (rollout complete)' : ''}`;
      const id = `${app}/${r.key.namespace}/${r.key.kind}/${r.key.name}`;
      if (this.lastProgress.get(id) === message) continue;
      const first = !this.lastProgress.has(id);
      this.lastProgress.set(id, message);
      // The first sight of a settled workload is not news; a change, or a rollout under way, is.
      if (first && r.health.status === 'Healthy') continue;
      this.emit(app, { level: 'info', type: 'progress', resource: `${r.key.kind}/${r.key.name}`, message });
    }
  }

  /** A sync applied this workload: its next state is news even if the counts read the same as before. */
  forget(app: string, key: { namespace: string; kind: string; name: string }): void {
    // Known but with no line yet: the next look reports, even a workload already settled.
    this.lastProgress.set(`${app}/${key.namespace}/${key.kind}/${key.name}`, '');
  }

  /** Warning events and failing pods that belong to the app's objects (or the pods and replica sets they own). */
  problems(app: string, resources: ResourceState[], warnings: KubeObject[], pods: KubeObject[]): void {
    // Every line below is said once: the same resources, warnings and pods (the informer replaces an object that
    // changes) say nothing new, and a fleet's comparison looked at every app's pods again for nothing.
    const last = this.lastLooked.get(app);
    if (
      last &&
      last.resources === resources &&
      sameList(last.warnings, warnings) &&
      sameList(last.pods, pods)
    )
      return;
    this.lastLooked.set(app, { resources, warnings, pods });
    const names = new Set(resources.map((r) => `${r.key.namespace}/${r.key.name}`));
    const prefixes = resources
      .filter((r) => WORKLOADS.has(`${r.key.group}/${r.key.kind}`))
      .map((r) => `${r.key.namespace}/${r.key.name}-`);
    const belongs = (ns: string | undefined, name: string | undefined) => {
      const id = `${ns ?? ''}/${name ?? ''}`;
      return names.has(id) || prefixes.some((p) => id.startsWith(p));
    };
    for (const w of warnings as EventObject[]) {
      const inv = w.involvedObject ?? {};
      if (!belongs(inv.namespace ?? w.metadata.namespace, inv.name)) continue;
      const id = `${app}/${w.metadata.uid ?? w.metadata.name}/${w.count ?? 1}`;
      if (this.seenWarnings.has(id)) continue;
      this.seenWarnings.add(id);
      this.emit(app, {
        level: 'warning',
        type: 'k8s-warning',
        resource: `${inv.kind ?? '?'}/${inv.name ?? '?'}`,
        message: `${w.reason ?? 'Warning'}: ${w.message ?? ''}`.trim(),
      });
    }
    for (const pod of pods) {
      // Healthy pods are most of a cluster: look at what fails first, then whose it is.
      const failure = podFailureOf(pod, warnings);
      const id = `${app}/${pod.metadata.namespace}/${pod.metadata.name}`;
      if (!failure) {
        this.seenPodFailures.delete(id);
        continue;
      }
      if (!belongs(pod.metadata.namespace, pod.metadata.name)) continue;
      // Once per pod and reason: a crash loop's growing restart count or a new back-off message is not news.
      if (this.seenPodFailures.get(id) === failure.reason) continue;
      this.seenPodFailures.set(id, failure.reason);
      this.emit(app, {
        level: 'error',
        type: 'pod-failure',
        resource: `Pod/${pod.metadata.name}`,
        message: failure.line,
      });
    }
  }
}
