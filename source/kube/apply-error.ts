import type { ApplyFailure } from '../engine/ports.js';
import { failureText } from './errors.js';

/** A request the API server refused, with its reason (Conflict, Invalid, Forbidden...) and message. */
export class ApplyError extends Error implements ApplyFailure {
  readonly code: number;
  readonly reason: string;

  constructor(f: ApplyFailure) {
    super(f.code ? failureText(f) : `cannot reach the API server: ${f.message}`);
    this.name = 'ApplyError';
    this.code = f.code;
    this.reason = f.reason;
  }

  /** Another field manager owns a field this apply sets. */
  get isConflict(): boolean {
    return this.code === 409 && this.reason === 'Conflict';
  }
}
