// Who this process is: the person (user@host, recorded with every sync) and the Lease holder (unique per process).
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { holderIdentity } from '../engine/lease-holder.js';

export function operator(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep $USER
  }
  return `${user}@${hostname()}`;
}

const nonce = randomBytes(3).toString('hex');

/** `alice@bastion/console-123-9f2c1a`: one per process and role, so no two processes ever share a Lease. */
export function leaseHolder(role: string): string {
  return holderIdentity({ operator: operator(), role, pid: process.pid, nonce });
}
