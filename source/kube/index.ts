export { ApplyError } from './apply-error.js';
export { type ConnectOptions, connect } from './client.js';
export { FIELD_MANAGER, KubeCluster } from './cluster-port.js';
export { describeFailure } from './errors.js';
