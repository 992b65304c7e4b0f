import type { LocatedError } from '../engine/types.js';

/**
 * `file:line:col field: message`, leaving out what is unknown: `driftdeck.yaml:7:16 apps[1].sync.auto: expected
 * true or false, got "yes"`, `apps/web/deploy.yaml:3: missing kind`, `--app: expected ...`, or just the message.
 */
export function formatLocatedError(e: LocatedError): string {
  let where = e.file ?? '';
  if (e.line !== undefined) {
    where += `${where ? ':' : 'line '}${e.line}`;
    if (e.column !== undefined) where += `:${e.column}`;
  }
  const head = [where, e.field].filter(Boolean).join(' ');
  return head ? `${head}: ${e.message}` : e.message;
}

/** Thrown where a function's signature has no room for a result union (the ad-hoc app from CLI flags). */
export class ConfigError extends Error {
  readonly errors: LocatedError[];

  constructor(errors: LocatedError[]) {
    super(errors.map(formatLocatedError).join('\n'));
    this.name = 'ConfigError';
    this.errors = errors;
  }
}
