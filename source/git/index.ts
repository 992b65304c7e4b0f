export { GitCommandError, GitError } from './git-error.js';
export {
  GitSource,
  type GitSourceOptions,
  type PollResult,
  type RevertPlan,
  type SourcePaths,
} from './git-source.js';
