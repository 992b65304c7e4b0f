import type { LocatedError } from '../engine/types.js';

/** Thrown inside source/render and turned into `{ ok: false, error }` by renderApp; never escapes it. */
export class RenderFailure extends Error {
  readonly located: LocatedError;

  constructor(located: LocatedError) {
    super(located.message);
    this.name = 'RenderFailure';
    this.located = located;
  }
}
