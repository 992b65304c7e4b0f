// The short reason a person looks for on a failing object of the resource tree, and a pod's containers as its
// status says. Pure: the object (and, for probes, the events about it) in, words out. Every string read here comes
// from the cluster, so what is returned is terminal-safe.
import { arrayAt, conditionOf, conditionsOf, isRecord, numberAt, stringAt } from './fields.js';
import { podProblem } from './health/pod.js';
import type { ContainerState } from './inspect.js';
import { groupOf } from './keys.js';
import { terminalText } from './terminal-text.js';
import type { KubeObject } from './types.js';

const safe = (text: string) => terminalText(text);

/** A pod's containers (init containers first), from the spec and whatever status the kubelet wrote. */
export function podContainers(pod: KubeObject): ContainerState[] {
  const out: ContainerState[] = [];
  for (const role of ['init', 'app'] as const) {
    const specField = role === 'init' ? 'initContainers' : 'containers';
    const statusField = role === 'init' ? 'initContainerStatuses' : 'containerStatuses';
    const statuses = new Map<string, Record<string, unknown>>();
    for (const s of arrayAt(pod, 'status', statusField))
      if (isRecord(s) && typeof s.name === 'string') statuses.set(s.name, s);
    // The spec's containers, then any the status names that the spec does not (a status is all some reads hold).
    const specs = arrayAt(pod, 'spec', specField).filter(
      (c): c is Record<string, unknown> & { name: string } => isRecord(c) && typeof c.name === 'string',
    );
    const named = new Set(specs.map((c) => c.name));
    for (const [name] of statuses) if (!named.has(name)) specs.push({ name });
    for (const c of specs) {
      const s = statuses.get(c.name);
      const restarts = Math.max(0, Math.floor(numberAt(s, 'restartCount') ?? 0));
      const state = containerState(s);
      const reason =
        stringAt(s, 'state', 'waiting', 'reason') ??
        stringAt(s, 'state', 'terminated', 'reason') ??
        // A running container that was killed before says why it restarted: OOMKilled is read here.
        stringAt(s, 'lastState', 'terminated', 'reason');
      const image = stringAt(s, 'image') ?? (typeof c.image === 'string' ? c.image : undefined);
      out.push({
        name: safe(c.name),
        role,
        ready: s?.ready === true,
        restarts,
        state,
        ...(reason ? { reason: safe(reason) } : {}),
        ...(image ? { image: safe(image) } : {}),
        hasPrevious: restarts > 0,
      });
    }
  }
  return out;
}

function containerState(s: Record<string, unknown> | undefined): ContainerState['state'] {
  const state = s?.state;
  if (!isRecord(state)) return 'unknown';
  if (isRecord(state.waiting)) return 'waiting';
  if (isRecord(state.running)) return 'running';
  if (isRecord(state.terminated)) return 'terminated';
  return 'unknown';
}

interface EventLike {
  reason?: unknown;
  message?: unknown;
  involvedObject?: { uid?: unknown; name?: unknown; namespace?: unknown; kind?: unknown };
}

/** Whether the event is about this object (by uid when the event names one, else by kind, namespace and name). */
export function eventIsAbout(event: KubeObject, obj: KubeObject): boolean {
  const inv = (event as EventLike).involvedObject;
  if (!isRecord(inv)) return false;
  if (typeof inv.uid === 'string' && inv.uid && obj.metadata.uid) return inv.uid === obj.metadata.uid;
  return (
    inv.kind === obj.kind &&
    inv.name === obj.metadata.name &&
    (inv.namespace ?? '') === (obj.metadata.namespace ?? '')
  );
}

/**
 * Why a pod fails, in a word or two: a container waiting on a reason that does not fix itself (ImagePullBackOff,
 * CrashLoopBackOff...), a container killed for memory (OOMKilled, read from lastState as the kubelet keeps it
 * after the restart), Unschedulable, or a failing probe as the kubelet's `Unhealthy` events say.
 */
export function podReason(pod: KubeObject, events: readonly KubeObject[] = []): string | undefined {
  const problem = podProblem(pod);
  if (problem) return safe(problem.reason);
  for (const field of ['initContainerStatuses', 'containerStatuses']) {
    for (const s of arrayAt(pod, 'status', field)) {
      if (!isRecord(s)) continue;
      if (
        stringAt(s, 'state', 'terminated', 'reason') === 'OOMKilled' ||
        stringAt(s, 'lastState', 'terminated', 'reason') === 'OOMKilled'
      )
        return 'OOMKilled';
    }
  }
  const phase = stringAt(pod, 'status', 'phase');
  if (phase === 'Succeeded') return undefined;
  if (phase === 'Running' && conditionOf(pod, 'Ready')?.status !== 'True') {
    // The kubelet says which probe in an `Unhealthy` event: "Readiness probe failed: HTTP probe failed...".
    for (const e of events) {
      const ev = e as EventLike;
      if (ev.reason !== 'Unhealthy' || typeof ev.message !== 'string' || !eventIsAbout(e, pod)) continue;
      const probe = /^(Readiness|Liveness|Startup) probe failed/.exec(ev.message)?.[0];
      if (probe) return probe;
    }
  }
  if (phase === 'Failed') {
    const why = stringAt(pod, 'status', 'reason');
    if (why) return safe(why);
    for (const s of arrayAt(pod, 'status', 'containerStatuses'))
      if (numberAt(s, 'state', 'terminated', 'exitCode'))
        return `Error (exit code ${numberAt(s, 'state', 'terminated', 'exitCode')})`;
    return 'Failed';
  }
  return undefined;
}

/**
 * The reason of any object of the tree: pods as above; a failed Job's condition reason (BackoffLimitExceeded,
 * DeadlineExceeded); a Deployment past its progress deadline; a ReplicaSet, StatefulSet or DaemonSet that cannot
 * create its pods (ReplicaFailure, FailedCreate). Undefined when nothing is wrong.
 */
export function objectReason(obj: KubeObject, events: readonly KubeObject[] = []): string | undefined {
  const group = groupOf(obj.apiVersion);
  if (group === '' && obj.kind === 'Pod') return podReason(obj, events);
  if (group === 'batch' && obj.kind === 'Job') {
    const failed = conditionsOf(obj).find(
      (c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True',
    );
    return failed ? safe(failed.reason ?? 'Failed') : undefined;
  }
  if (group === 'apps') {
    const progressing = conditionOf(obj, 'Progressing');
    if (progressing?.status === 'False' && progressing.reason) return safe(progressing.reason);
    const failure = conditionOf(obj, 'ReplicaFailure');
    if (failure?.status === 'True') return safe(failure.reason ?? 'ReplicaFailure');
  }
  return undefined;
}
