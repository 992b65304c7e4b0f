// Argo CD's build environment for Jsonnet: the values of top-level arguments and external variables may name
// `$ARGOCD_APP_NAME` and its siblings, substituted before evaluation with Go's os.Expand rules as Argo CD applies them
// (`$NAME` or `${NAME}`; `$$` is a `$`; a name it does not set becomes empty). Names Argo CD sets but driftdeck
// cannot know (the project, the repository URL as Argo CD saw it, the cluster's version) are refused by name rather
// than rendered empty: a manifest quietly missing them would sync a different thing than under Argo CD.
import type { AppSpec } from '../engine/types.js';

export const UNKNOWN_HERE = [
  'ARGOCD_APP_PROJECT_NAME',
  'ARGOCD_APP_SOURCE_REPO_URL',
  'ARGOCD_APP_SOURCE_TARGET_REVISION',
  'KUBE_VERSION',
  'KUBE_API_VERSIONS',
] as const;

/** What driftdeck can set: the app, its folder and the commit being rendered. */
export function buildEnv(app: AppSpec, revision: string | undefined): Record<string, string> {
  const env: Record<string, string> = {
    ARGOCD_APP_NAME: app.name,
    ARGOCD_APP_NAMESPACE: app.namespace,
    ARGOCD_APP_SOURCE_PATH: app.path,
  };
  if (revision) {
    env.ARGOCD_APP_REVISION = revision;
    env.ARGOCD_APP_REVISION_SHORT = revision.slice(0, 7);
    env.ARGOCD_APP_REVISION_SHORT_8 = revision.slice(0, 8);
  }
  return env;
}

export type Substituted = { ok: true; value: string } | { ok: false; name: string };

const NAME = /^[A-Za-z0-9_]+/;
/** os.Expand's one-character names: `$1`, `$*`, `$@` and the like. */
const SPECIAL = /^[*#$@!?\-0-9]/;

/** `value` with `$NAME` and `${NAME}` replaced from env; the first name driftdeck cannot supply when there is one. */
export function envsubst(value: string, env: Record<string, string>): Substituted {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const dollar = value.indexOf('$', i);
    if (dollar < 0 || dollar === value.length - 1) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, dollar);
    const rest = value.slice(dollar + 1);
    let name: string | undefined;
    let width = 0;
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      if (close > 1) {
        name = rest.slice(1, close);
        width = close + 1;
      } else {
        // Bad syntax: os.Expand eats `${}`, or the `${` of one never closed, and goes on.
        width = close === 1 ? 2 : 1;
        name = '';
      }
    } else if (SPECIAL.test(rest)) {
      name = rest[0]!;
      width = 1;
    } else {
      const m = NAME.exec(rest);
      if (m) {
        name = m[0];
        width = name.length;
      }
    }
    if (name === undefined || (name === '' && width === 0)) {
      out += '$'; // not followed by a name: the dollar stays
      i = dollar + 1;
      continue;
    }
    if (name === '$') out += '$';
    else if (Object.hasOwn(env, name)) out += env[name];
    else if ((UNKNOWN_HERE as readonly string[]).includes(name)) return { ok: false, name };
    i = dollar + 1 + width;
  }
  return { ok: true, value: out };
}
