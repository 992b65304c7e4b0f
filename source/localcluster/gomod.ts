// Pure helpers for the wrapper Go modules. A main module such as k8s.io/kubernetes replaces its own sibling modules
// with local folders (`k8s.io/api => ./staging/src/k8s.io/api`); those folders do not exist in a downloaded module,
// so a wrapper module must re-point each of them at the published version.

export interface Replace {
  from: string;
  to: string;
  /** Present when the target is a module version rather than a folder. */
  toVersion?: string;
}

/** Reads the replace directives of a go.mod, both the single-line and the block form. */
export function parseReplaces(gomod: string): Replace[] {
  const out: Replace[] = [];
  let inBlock = false;
  for (const raw of gomod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (inBlock) {
      if (line === ')') {
        inBlock = false;
        continue;
      }
      const r = parseReplaceBody(line);
      if (r) out.push(r);
      continue;
    }
    if (/^replace\s*\($/.test(line)) {
      inBlock = true;
      continue;
    }
    const single = /^replace\s+(.*)$/.exec(line);
    if (single?.[1]) {
      const r = parseReplaceBody(single[1]);
      if (r) out.push(r);
    }
  }
  return out;
}

function parseReplaceBody(body: string): Replace | undefined {
  const [left, right] = body.split('=>').map((s) => s.trim());
  if (!left || !right) return undefined;
  const from = left.split(/\s+/)[0];
  const [to, toVersion] = right.split(/\s+/);
  if (!from || !to) return undefined;
  return toVersion ? { from, to, toVersion } : { from, to };
}

export function goVersionOf(gomod: string): string | undefined {
  return /^go\s+(\S+)/m.exec(gomod)?.[1];
}

/**
 * The go.mod of a wrapper module: every local-folder replacement of the root module re-pointed at `replaceVersion`,
 * version replacements copied as they are. Folders named FORBIDDEN_DEPENDENCY only exist to make an accidental
 * import fail, so they are left out.
 */
export function wrapperGoMod(moduleName: string, rootGoMod: string, replaceVersion: string): string {
  const lines = [`module ${moduleName}`, '', `go ${goVersionOf(rootGoMod) ?? '1.26'}`, ''];
  for (const r of parseReplaces(rootGoMod)) {
    if (r.toVersion) lines.push(`replace ${r.from} => ${r.to} ${r.toVersion}`);
    else if (r.to.startsWith('.') && !r.to.includes('FORBIDDEN_DEPENDENCY'))
      lines.push(`replace ${r.from} => ${r.from} ${replaceVersion}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Parses `go version` output, e.g. `go version go1.26.8 linux/amd64` -> [1, 26, 8]. */
export function parseGoVersion(output: string): number[] | undefined {
  const m = /go(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function versionAtLeast(have: number[], want: string): boolean {
  const w = want.split('.').map(Number);
  for (let i = 0; i < Math.max(have.length, w.length); i++) {
    const a = have[i] ?? 0;
    const b = w[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}
