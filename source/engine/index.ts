// The pure engine core: data in, data out. No I/O, no adapters, no UI.

export {
  appliedUnchanged,
  DESIRED_HASH_ANNOTATION,
  isSubset,
  stampDesiredHash,
  withDesiredHash,
} from './applied.js';
export {
  addLiveUsers,
  type Claim,
  type ClaimIndex,
  claimIndex,
  pruneKeptFor,
  sharedKeyErrors,
  withLiveObjects,
} from './claims.js';
export {
  CRD_GROUP,
  type CrdDefinition,
  crdDefinitions,
  createdCrd,
  decideUnknownKind,
  definitionFor,
  isCrd,
  namespacedWithPending,
  type UnknownKindDecision,
} from './crds.js';
export type { ResourceDiff, ResourceDiffInput } from './diff.js';
export { resourceDiff, sortKeysDeep, toYaml } from './diff.js';
export { hookHealth } from './health/hook.js';
export {
  type HealthCheck,
  healthRank,
  liveHealth,
  MISSING_HEALTH,
  resourceHealth,
  worstHealth,
} from './health/index.js';
export { type PodProblem, podProblem } from './health/pod.js';
export {
  HOOK_ANNOTATION,
  type HookDeletePolicy,
  type HookSpec,
  hasHookAnnotation,
  hookDecision,
  type RenderedHook,
  SYNC_PHASES,
  type SyncPhase,
  splitHooks,
} from './hooks.js';
export {
  compareKeys,
  groupOf,
  isValidSelector,
  keyOf,
  keyString,
  manifestKeys,
  matchesSelector,
  parseKeyString,
  resourceLabel,
  sameKey,
} from './keys.js';
export { type FieldSet, managedFieldSet, removeManagedFields } from './managed-fields.js';
export { isSecret, type MaskedPair, maskObject, maskSecrets } from './mask.js';
export { defaultNamespaceOf, type IsNamespaced, withDefaultNamespace } from './namespaces.js';
export {
  type IgnoreSet,
  ignorePointersFor,
  ignoreSetFor,
  LAST_APPLIED_ANNOTATION,
  normalize,
  parsePointer,
  pointerOfPath,
  removePointers,
} from './normalize.js';
export {
  APP_LABEL,
  appLabelOf,
  fieldManagerFor,
  isOwnedBy,
  LEGACY_FIELD_MANAGER,
  markOwned,
  TRACKING_ANNOTATION,
  trackingId,
} from './ownership.js';
export {
  checkPolicy,
  clusterKindAllowed,
  DEFAULT_POLICY,
  destinationRefusal,
  globMatches,
  layerAllowsKind,
  layerRefusal,
  policyRefusal,
} from './policy.js';
export {
  type PodFailure,
  podFailure,
  podFailureEvent,
  podFailureOf,
  progressEvent,
  workloadProgress,
} from './progress.js';
export { type ReconcileResult, type ResourcePair, reconcile } from './reconcile.js';
export { healthUnassessed, resourceSyncStatus, rollupHealth, rollupSync } from './status.js';
export {
  compareTasks,
  describeTask,
  type HookManifest,
  type PlanInput,
  planSyncTasks,
  type SkippedManifest,
  type SyncTask,
  type TaskOperation,
  tierGroups,
  waveGroups,
} from './sync-tasks.js';
export {
  ARGO_SYNC_WAVE_ANNOTATION,
  kindRank,
  type Orderable,
  orderForApply,
  orderForPrune,
  planSummary,
  SYNC_WAVE_ANNOTATION,
  selectResources,
  syncWave,
  unmatchedSelectors,
} from './syncplan.js';
export { type TerminalTextOptions, terminalText } from './terminal-text.js';
