/**
 * The object name `git ls-remote` prints for exactly `ref`. git matches patterns against the tail of ref names,
 * so `refs/heads/main` also lists `refs/heads/x/refs/heads/main`; only the exact name counts.
 */
export function parseLsRemote(output: string, ref: string): string | undefined {
  for (const line of output.split('\n')) {
    const [sha, name] = line.trim().split('\t');
    if (name === ref && sha !== undefined && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
  }
  return undefined;
}
