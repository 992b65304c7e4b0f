// What the local cluster's fake nodes and pods do: kwok Stages, the one place they are configured.
//
// Facts from kwok v0.8.0's source (pkg/kwokctl/runtime/cluster.go `Save`, pkg/kwok/cmd/root.go):
// - With no Stage in its configuration, kwokctl writes its defaults into the cluster's kwok.yaml: `node-initialize`,
//   `node-heartbeat-with-lease` (the binary runtime leases nodes, so the heartbeat is every 600 s) and the "fast" pod
//   set `pod-ready`, `pod-complete` (Running pods owned by a Job become Succeeded) and `pod-delete`.
// - One Stage document of any kind in the configuration replaces ALL of those defaults, nodes included (not per
//   resource kind): so the node stages are written here too, as kwokctl's defaults would be.
// - When several stages match an object, kwok picks one at random (weights all 0): the pod stages below are written
//   so that at most one ever matches a pod.
//
// What a pod does here:
// - `pod-ready`: a Pending pod becomes Running and Ready (kwok's fast pod-ready, unchanged for every pod but the
//   broken ones below), so Deployments roll out as before.
// - `pod-image-pull-backoff`: a pod with a container whose image tag ends in `-broken` (`shop:1.2-broken`) stays
//   Pending and not Ready, its container waiting with reason ImagePullBackOff, as a kubelet shows an image that
//   cannot be pulled; a Warning event `Failed` about the pod says so, as the kubelet's does. ImagePullBackOff rather
//   than CrashLoopBackOff: it is a steady state, where a crash loop has a restart count that should keep growing and
//   a fake one would lie.
// - `pod-complete`: a Running pod owned by a Job becomes Succeeded (containers terminated, exit code 0), so the Job
//   controller marks the Job Complete (hooks run for real).
// - `pod-fail`: a Running pod with the annotation `driftdeck.io/test-fail: "true"` (put it on the pod template) and a
//   restartPolicy of Never or OnFailure (a Job's pods) becomes Failed, containers terminated with exit code 1, so the
//   Job fails once its backoffLimit is spent. Pods that restart Always never reach Failed on a real kubelet either.
// - `pod-delete`: a pod being deleted is removed (kwok's fast pod-delete).
//
// The templates are adapted from kwok v0.8.0's kustomize/stage/{node,pod}/fast and node/heartbeat-with-lease
// (Apache-2.0). Changing anything here changes the configuration hash, and startCluster re-creates a reused cluster.

export const FAIL_ANNOTATION = 'driftdeck.io/test-fail';
export const BROKEN_TAG_SUFFIX = '-broken';

/** True for `repo/name:tag-broken` (the tag, not the repository name, ends in -broken). */
const BROKEN_IMAGE = `.spec.containers.[].image | test(":[^:/]*${BROKEN_TAG_SUFFIX}$")`;
const FAIL_ANNOTATED = `.metadata.annotations["${FAIL_ANNOTATION}"]`;

/** The head every Stage shares: its name and the core kind it acts on. */
const stageHead = (name: string, kind: 'Pod' | 'Node') => `apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ${name}
spec:
  resourceRef:
    apiGroup: v1
    kind: ${kind}`;

const notDeleting = `    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'`;
const phaseIs = (phase: string) => `    - key: '.status.phase'
      operator: 'In'
      values: ['${phase}']`;

/** Host and pod addresses, as kwok's pod-ready gives them. */
const ADDRESSES = `      {{ $hostIPs := NodeIPsWith .spec.nodeName }}
      {{ with $hostIPs }}
      hostIP: {{ index . 0 | Quote }}
      hostIPs:
      {{ range . }}
      - ip: {{ . | Quote }}
      {{ end }}
      {{ end }}
      {{ $podIPs := PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
      {{ with $podIPs }}
      podIP: {{ index . 0 | Quote }}
      podIPs:
      {{ range . }}
      - ip: {{ . | Quote }}
      {{ end }}
      {{ end }}`;

/** Containers terminated with `exitCode`, the pod no longer Ready, in `phase`. */
function terminated(phase: 'Succeeded' | 'Failed', exitCode: number, reason: string): string {
  const podReason = phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
  return `      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: Ready
        reason: ${podReason}
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: ContainersReady
        reason: ${podReason}
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: ${exitCode}
            finishedAt: {{ $now | Quote }}
            reason: ${reason}
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: ${phase}`;
}

const POD_READY = `${stageHead('pod-ready', 'Pod')}
  selector:
    matchExpressions:
${notDeleting}
${phaseIs('Pending')}
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'NotIn'
      values: ['True']
    - key: '${BROKEN_IMAGE}'
      operator: 'NotIn'
      values: ['true']
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Initialized
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Ready
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: ContainersReady
      {{ range .spec.readinessGates }}
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: {{ .conditionType | Quote }}
      {{ end }}
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: true
        restartCount: 0
        state:
          running:
            startedAt: {{ $now | Quote }}
      {{ end }}
      initContainerStatuses:
      {{ range .spec.initContainers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: true
        restartCount: 0
        {{ if eq .restartPolicy "Always" }}
        started: true
        state:
          running:
            startedAt: {{ $now | Quote }}
        {{ else }}
        state:
          terminated:
            exitCode: 0
            finishedAt: {{ $now | Quote }}
            reason: Completed
            startedAt: {{ $now | Quote }}
        {{ end }}
      {{ end }}
${ADDRESSES}
      phase: Running
      startTime: {{ $now | Quote }}
`;

// The last selector keeps the stage from matching its own result again: its template holds Now, so every
// application would change the pod and wake kwok for another round.
const POD_IMAGE_PULL_BACKOFF = `${stageHead('pod-image-pull-backoff', 'Pod')}
  selector:
    matchExpressions:
${notDeleting}
${phaseIs('Pending')}
    - key: '${BROKEN_IMAGE}'
      operator: 'In'
      values: ['true']
    - key: '.status.containerStatuses.[].state.waiting.reason'
      operator: 'NotIn'
      values: ['ImagePullBackOff']
  next:
    event:
      type: Warning
      reason: Failed
      message: 'Error: ImagePullBackOff (an image tag ending in -broken never pulls on this local cluster)'
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastTransitionTime: {{ $now | Quote }}
        status: "True"
        type: Initialized
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: Ready
        reason: ContainersNotReady
        message: containers with unready status
      - lastTransitionTime: {{ $now | Quote }}
        status: "False"
        type: ContainersReady
        reason: ContainersNotReady
        message: containers with unready status
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          waiting:
            reason: ImagePullBackOff
            message: {{ printf "Back-off pulling image %q" .image | Quote }}
      {{ end }}
${ADDRESSES}
      phase: Pending
      startTime: {{ $now | Quote }}
`;

const POD_COMPLETE = `${stageHead('pod-complete', 'Pod')}
  selector:
    matchExpressions:
${notDeleting}
${phaseIs('Running')}
    - key: '.metadata.ownerReferences.[].kind'
      operator: 'In'
      values: ['Job']
    - key: '${FAIL_ANNOTATED}'
      operator: 'NotIn'
      values: ['true']
  next:
    statusTemplate: |
${terminated('Succeeded', 0, 'Completed')}
`;

const POD_FAIL = `${stageHead('pod-fail', 'Pod')}
  selector:
    matchExpressions:
${notDeleting}
${phaseIs('Running')}
    - key: '${FAIL_ANNOTATED}'
      operator: 'In'
      values: ['true']
    - key: '.spec.restartPolicy'
      operator: 'In'
      values: ['Never', 'OnFailure']
  next:
    statusTemplate: |
${terminated('Failed', 1, 'Error')}
`;

const POD_DELETE = `${stageHead('pod-delete', 'Pod')}
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'Exists'
  next:
    delete: true
`;

const NODE_CONDITIONS = `      {{ $now := Now }}
      {{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $lastTransitionTime | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type | Quote }}
      {{ end }}`;

const NODE_INITIALIZE = `${stageHead('node-initialize', 'Node')}
  selector:
    matchExpressions:
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'NotIn'
      values: ['True']
  next:
    statusTemplate: |
${NODE_CONDITIONS}
      {{ $hasInternalIP := false }}
      {{ $hasHostname := false }}
      {{ range .status.addresses }}
        {{ if eq .type "InternalIP" }}{{ $hasInternalIP = true }}{{ end }}
        {{ if eq .type "Hostname" }}{{ $hasHostname = true }}{{ end }}
      {{ end }}
      {{ if or (not $hasInternalIP) (not $hasHostname) }}
      addresses:
      {{ end }}
      {{ if not $hasInternalIP }}{{ with NodeIP }}
      - address: {{ . | Quote }}
        type: InternalIP
      {{ end }}{{ end }}
      {{ if not $hasHostname }}{{ with NodeName }}
      - address: {{ . | Quote }}
        type: Hostname
      {{ end }}{{ end }}
      {{ with NodePort }}
      daemonEndpoints:
        kubeletEndpoint:
          Port: {{ . }}
      {{ end }}
      allocatable:
      {{ with .status.allocatable }}
      {{ YAML . 1 }}
      {{ else }}
        cpu: 1k
        memory: 1Ti
        pods: 1M
      {{ end }}
      capacity:
      {{ with .status.capacity }}
      {{ YAML . 1 }}
      {{ else }}
        cpu: 1k
        memory: 1Ti
        pods: 1M
      {{ end }}
      {{ $nodeInfo := .status.nodeInfo }}
      {{ $kwokVersion := printf "kwok-%s" Version }}
      nodeInfo:
        architecture: {{ or $nodeInfo.architecture "amd64" }}
        bootID: {{ or $nodeInfo.bootID \`""\` }}
        containerRuntimeVersion: {{ or $nodeInfo.containerRuntimeVersion $kwokVersion }}
        kernelVersion: {{ or $nodeInfo.kernelVersion $kwokVersion }}
        kubeProxyVersion: {{ or $nodeInfo.kubeProxyVersion $kwokVersion }}
        kubeletVersion: {{ or $nodeInfo.kubeletVersion $kwokVersion }}
        machineID: {{ or $nodeInfo.machineID \`""\` }}
        operatingSystem: {{ or $nodeInfo.operatingSystem "linux" }}
        osImage: {{ or $nodeInfo.osImage \`""\` }}
        systemUUID: {{ or $nodeInfo.systemUUID \`""\` }}
      phase: Running
`;

// The node's lease is what keeps it Ready (kwok renews it); this status refresh is rare, as kwokctl's default.
const NODE_HEARTBEAT = `${stageHead('node-heartbeat-with-lease', 'Node')}
  selector:
    matchExpressions:
${phaseIs('Running')}
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'In'
      values: ['True']
  delay:
    durationMilliseconds: 600000
    jitterDurationMilliseconds: 610000
  next:
    statusTemplate: |
${NODE_CONDITIONS}
      addresses:
      {{ with .status.addresses }}
      {{ YAML . 1 }}
      {{ else }}
      {{ with NodeIP }}
      - address: {{ . | Quote }}
        type: InternalIP
      {{ end }}
      {{ with NodeName }}
      - address: {{ . | Quote }}
        type: Hostname
      {{ end }}
      {{ end }}
      {{ with NodePort }}
      daemonEndpoints:
        kubeletEndpoint:
          Port: {{ . }}
      {{ end }}
`;

export const KWOK_STAGES: readonly string[] = [
  NODE_INITIALIZE,
  NODE_HEARTBEAT,
  POD_READY,
  POD_IMAGE_PULL_BACKOFF,
  POD_COMPLETE,
  POD_FAIL,
  POD_DELETE,
];
