import type { Health, HealthStatus } from '../types.js';

/** A Health without an empty `message` key, so results compare and print cleanly. */
export function health(status: HealthStatus, message?: string): Health {
  return message ? { status, message } : { status };
}
