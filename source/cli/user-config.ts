// The user's own settings, in ~/.config/driftdeck/config.yaml (or $XDG_CONFIG_HOME/driftdeck/config.yaml):
//
//   contexts:
//     prod-eu:
//       readonly: true
//
// A context marked read-only is opened read-only whatever the flags say, so a production cluster is safe to browse.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'driftdeck', 'config.yaml');
}

interface UserConfig {
  contexts?: Record<string, { readonly?: unknown } | null>;
}

/** Why this context is read-only, or undefined when it is not (a missing or unreadable file marks nothing). */
export function contextReadonlyReason(context: string, file = userConfigPath()): string | undefined {
  let config: UserConfig | undefined;
  try {
    config = parse(readFileSync(file, 'utf8')) as UserConfig;
  } catch {
    return undefined;
  }
  return config?.contexts?.[context]?.readonly === true
    ? `context ${context} is read-only in ${file}`
    : undefined;
}
