export { type AdHocAppFlags, adHocApp } from './ad-hoc-app.js';
export { ConfigError, formatLocatedError } from './errors.js';
export { parseRepoConfig, type RepoConfigResult } from './parse-repo-config.js';
export { checkRepoPath, type RepoPathCheck } from './repo-path.js';
