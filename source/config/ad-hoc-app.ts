import type { AppSpec, LocatedError } from '../engine/types.js';
import { dnsLabelProblem } from './app-spec.js';
import { ConfigError } from './errors.js';
import { checkRepoPath } from './repo-path.js';

export interface AdHocAppFlags {
  /** `--app` */
  name: string;
  /** `--path` */
  path: string;
  /** `--namespace` */
  namespace: string;
}

/**
 * The single app of `driftdeck --repo <url> --path <dir> --app <name>` when the repo has no driftdeck.yaml:
 * renderer auto, manual sync, no ignore rules. Validated like an app in driftdeck.yaml; the errors name the flag.
 * @throws ConfigError listing every problem.
 */
export function adHocApp(flags: AdHocAppFlags): AppSpec {
  const errors: LocatedError[] = [];
  const nameProblem = dnsLabelProblem(flags.name);
  if (nameProblem) errors.push({ field: '--app', message: nameProblem });
  const path = checkRepoPath(flags.path);
  if (!path.ok) errors.push({ field: '--path', message: path.problem });
  const namespaceProblem = dnsLabelProblem(flags.namespace);
  if (namespaceProblem) errors.push({ field: '--namespace', message: namespaceProblem });
  if (errors.length > 0 || !path.ok) throw new ConfigError(errors);
  return {
    name: flags.name,
    path: path.path,
    namespace: flags.namespace,
    renderer: { type: 'auto' },
    sync: { auto: false, prune: false, selfHeal: false },
    ignore: [],
  };
}
