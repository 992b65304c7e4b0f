// A parse thread of the pool (./parse-pool.ts): YAML text in, the JSON of its parsed manifests out (the form the
// parse cache keeps), its deflated form and whether it holds a Secret, or the render failure with its file and
// line. Nothing else crosses.
import { parentPort } from 'node:worker_threads';
import { type ParseContext, parseManifests } from './manifests.js';
import { pack } from './packed.js';
import { RenderFailure } from './render-failure.js';
import { holdsSecret } from './sealed.js';

export interface ParseRequest {
  id: number;
  text: string;
  context: ParseContext;
}

export type ParseAnswer =
  | { id: number; json: string; packed: Uint8Array; secret: boolean }
  | { id: number; failure: RenderFailure['located'] }
  | { id: number; error: string };

parentPort?.on('message', ({ id, text, context }: ParseRequest) => {
  let answer: ParseAnswer;
  try {
    const parsed = parseManifests(text, context).map((m) => ({ object: m.object, line: m.source.line }));
    const json = JSON.stringify(parsed);
    answer = { id, json, packed: pack(json), secret: holdsSecret(json) };
  } catch (err) {
    answer =
      err instanceof RenderFailure
        ? { id, failure: err.located }
        : { id, error: err instanceof Error ? err.message : String(err) };
  }
  // The packed form's memory moves to the caller's thread rather than being copied.
  parentPort?.postMessage(answer, 'packed' in answer ? [answer.packed.buffer as ArrayBuffer] : []);
});

// Loaded and listening: a thread that stops from now on stopped on a text.
parentPort?.postMessage({ ready: true });
