// Who holds an app's Lease. The identity written into the Lease is unique per process (two consoles of one person,
// or a console and an agent on one host, are different holders), and keeps a part a person can read in messages.

export interface HolderParts {
  /** user@host, as recorded in sync history. */
  operator: string;
  /** What holds it: console, agent, sync... */
  role: string;
  pid: number;
  /** Random, so a pid reused on another boot (or in another container) is still a different holder. */
  nonce: string;
}

const ROLE = /^[a-z][a-z-]{0,30}$/;

/** `alice@bastion/console-123-9f2c1a`. */
export function holderIdentity(p: HolderParts): string {
  const role = ROLE.test(p.role) ? p.role : 'driftdeck';
  return `${p.operator}/${role}-${p.pid}-${p.nonce}`;
}

const PARSE = /^(.+)\/([a-z][a-z-]{0,30})-(\d{1,10})-([0-9a-z]{1,32})$/;

export function parseHolder(identity: string): HolderParts | undefined {
  const m = PARSE.exec(identity);
  if (!m) return undefined;
  return { operator: m[1]!, role: m[2]!, pid: Number(m[3]), nonce: m[4]! };
}

/**
 * "alice@bastion (console, pid 123)" for a driftdeck holder; any other identity (another tool's, a hand-made Lease)
 * as it is, without control characters and cut to a readable length: it comes from the cluster.
 */
export function describeHolder(identity: string): string {
  const p = parseHolder(identity);
  if (p) return `${printable(p.operator)} (${p.role}, pid ${p.pid})`;
  return printable(identity);
}

function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return clean.length > 120 ? `${clean.slice(0, 120)}…` : clean;
}
