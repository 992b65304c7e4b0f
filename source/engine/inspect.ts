// What an operator asks of an app's live objects: its resource tree, one object's live manifest, the events of an
// object and its children, and a pod's logs. Plain types shared by the loop (which answers), the console and the
// headless `tree`, `events` and `logs` commands (which ask). Nothing here imports an adapter.

import type { Health, KubeObject, ResourceSyncStatus } from './types.js';

/** One object on the cluster, as a request names it. `namespace` is '' for a cluster-scoped object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** A container of a pod, as its status says. */
export interface ContainerState {
  name: string;
  /** 'init' for an init container. */
  role: 'app' | 'init';
  ready: boolean;
  restarts: number;
  /** waiting, running or terminated. */
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  /** The kubelet's reason: ImagePullBackOff, CrashLoopBackOff, OOMKilled, Completed... */
  reason?: string;
  /** True when a previous instance exists (restarts > 0): `logs --previous` has something to read. */
  hasPrevious: boolean;
  /** The image the kubelet reports (else the spec's), to say which image fails to pull. */
  image?: string;
}

/**
 * A node of an app's resource tree: an object the app renders (a root), or one the cluster made for it and that an
 * owner reference ties to it (Deployment -> ReplicaSet -> Pod, StatefulSet -> Pod, Job -> Pod, CronJob -> Job,
 * Service -> EndpointSlice).
 */
export interface TreeNode {
  ref: ObjectRef;
  /** 'desired': the app renders it; 'owned': an owner reference ties it to a node above. */
  origin: 'desired' | 'owned';
  /** For desired objects only: how the live object compares with Git. */
  sync?: ResourceSyncStatus;
  health?: Health;
  /**
   * The short reason a person looks for when it is failing: ImagePullBackOff, CrashLoopBackOff, OOMKilled,
   * Unschedulable, Readiness probe failed, BackoffLimitExceeded... Undefined when nothing is wrong.
   */
  reason?: string;
  /** Pods only. */
  containers?: ContainerState[];
  /** When the object was created (ISO 8601), for ages. */
  createdAt?: string;
  children: TreeNode[];
}

export interface AppTree {
  app: string;
  /** Desired objects in sync order's kind tier, then name; owned children newest first. */
  roots: TreeNode[];
  /** When the tree was read (ISO 8601). */
  at: string;
  /**
   * What could not be read, in words (a collection forbidden or timed out, a list cut at its bound): the tree
   * may then lack owned objects. Absent when everything was read.
   */
  notes?: string[];
}

/** One Kubernetes event about an object of the app, terminal-safe and masked. */
export interface EventItem {
  type: string;
  reason: string;
  message: string;
  object: ObjectRef;
  count: number;
  /** Last time seen (ISO 8601). */
  lastSeen: string;
}

export interface LogOptions {
  /** Container name; the pod's only (or first app) container when not given. */
  container?: string;
  /** The previous instance of the container (after a restart). */
  previous?: boolean;
  /** Keep the stream open and deliver lines as they come. */
  follow?: boolean;
  /** Lines from the end to start with; a bounded default when not given. */
  tailLines?: number;
}

/** Where the lines of a log go. `end` is called once: when the stream ends, fails or is stopped. */
export interface LogSink {
  line(text: string): void;
  end(error?: Error): void;
}

/** A running log read; `stop` closes the request (idempotent). */
export interface LogFollow {
  stop(): void;
}

export interface LiveObjectOptions {
  /** Keep metadata.managedFields (left out by default: long, and rarely what a person looks for). */
  managedFields?: boolean;
}

/** What the loop answers about live objects; every answer is masked and terminal-safe, every name validated. */
export interface Inspector {
  /** The app's rendered objects with what they own. */
  tree(app: string): Promise<AppTree>;
  /**
   * One live object of the app's tree (Secrets masked, managedFields left out unless asked); undefined when it
   * does not exist. Refused for an object that is not in the app's tree.
   */
  liveObject(app: string, ref: ObjectRef, opts?: LiveObjectOptions): Promise<KubeObject | undefined>;
  /** Events of the app's objects (or of `ref` and its children), newest first. */
  events(app: string, ref?: ObjectRef): Promise<EventItem[]>;
  /** Logs of a pod of the app; refused for a pod that is not in the app's tree. */
  logs(app: string, pod: { namespace: string; name: string }, opts: LogOptions, sink: LogSink): LogFollow;
}
