// Argo CD's `directory.include` and `exclude`: one glob pattern each, matched against a manifest file's path
// relative to the app path. Argo CD compiles them with gobwas/glob and no separators, so `*` matches any run of
// characters, `/` included (`*.yaml` also takes `sub/a.yaml` when recursing; `env-usw2/*` takes the whole folder),
// `{a,b}` are alternatives, `[abc]` and `[!abc]` classes, `\` escapes. picomatch in bash mode (a single star is a
// globstar), with dot files, POSIX classes (`[!ab]` negates), no extglobs and no leading-`!` negation, matches the
// same; `?` does not match `/`, where gobwas would. A pattern Argo CD cannot compile matches nothing there; here it
// is refused with the reason, since an include that quietly matches nothing renders nothing.
import picomatch from 'picomatch';

const OPTIONS: picomatch.PicomatchOptions = {
  bash: true,
  dot: true,
  posix: true,
  noextglob: true,
  nonegate: true,
};

/** Why a pattern cannot be used, or undefined. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length > 1000) return 'expected a glob pattern of at most 1000 characters';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\x00-\x1f\x7f]/.test(pattern)) return 'a glob pattern must not contain control characters';
  let braces = 0;
  let bracket = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (bracket) bracket = c !== ']';
    else if (c === '[') bracket = true;
    else if (c === '{') braces++;
    else if (c === '}' && --braces < 0) return 'a "}" closes no "{"';
  }
  if (bracket) return 'a "[" is never closed by "]"';
  if (braces > 0) return 'a "{" is never closed by "}"';
  try {
    picomatch.makeRe(pattern, OPTIONS);
  } catch (err) {
    return `not a glob pattern: ${(err as Error).message}`;
  }
  return undefined;
}

export interface FileFilter {
  include?: string;
  exclude?: string;
}

/** The test a file's path relative to the app path must pass: matches include (when set), not exclude. */
export function fileFilter({ include, exclude }: FileFilter): (relPath: string) => boolean {
  const included = include ? picomatch(include, OPTIONS) : () => true;
  const excluded = exclude ? picomatch(exclude, OPTIONS) : () => false;
  return (relPath) => !excluded(relPath) && included(relPath);
}
