export { checkGo, ensureTools, LocalClusterError, type Tools } from './build.js';
export {
  type ClusterInfo,
  clusterStatus,
  kubeconfigPath,
  listClusters,
  readyNodes,
  type StartOptions,
  startCluster,
  stopCluster,
} from './cluster.js';
export { cachePaths, cacheRoot } from './paths.js';
export { formatElapsed, type ProgressSink } from './progress.js';
export * from './versions.js';
