// Argo CD's `source.directory.jsonnet` (tlas, extVars, libs) in the shape of driftdeck's renderer.jsonnet, checked
// as driftdeck.yaml checks it: top-level argument names Jsonnet identifiers, no name given twice or holding
// control characters, library folders relative to the repository root and inside it.
import type { JsonnetOptions, JsonnetVariable } from '../../engine/types.js';
import { type Findings, list, obj, type Plain, repoPath, said, text } from './found.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function argoJsonnet(jsonnet: Plain, findings: Findings): JsonnetOptions | undefined {
  if (!Object.keys(jsonnet).length) return undefined;
  const libs: string[] = [];
  for (const [i, raw] of list(jsonnet.libs).entries()) {
    const lib = repoPath(text(raw) ?? '', `source.directory.jsonnet.libs[${i}]`, findings);
    if (lib) libs.push(lib);
  }
  return {
    tlas: variables(jsonnet.tlas, 'tlas', true, findings),
    extVars: variables(jsonnet.extVars, 'extVars', false, findings),
    libs,
  };
}

function variables(raw: unknown, key: string, identifier: boolean, findings: Findings): JsonnetVariable[] {
  const out: JsonnetVariable[] = [];
  for (const [i, item] of list(raw).entries()) {
    const v = obj(item);
    const field = `source.directory.jsonnet.${key}[${i}]`;
    const name = text(v.name) ?? '';
    // Argo CD reads the value as a string; a number or boolean there is Jsonnet code only with code: true.
    const value = typeof v.value === 'string' ? v.value : undefined;
    if (value === undefined) findings.bad(`${field}.value: expected a string (quote numbers and booleans)`);
    else if ((identifier && !IDENTIFIER.test(name)) || CONTROL.test(name) || name === '')
      findings.bad(
        `${field}.name: ${said(name)} cannot name a ${identifier ? 'top-level argument' : 'variable'}`,
      );
    else if (out.some((o) => o.name === name))
      findings.bad(`${field}.name: ${said(name)} is given twice; the second would silently win`);
    else out.push({ name, value, code: v.code === true });
  }
  return out;
}
