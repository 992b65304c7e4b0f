// What a write request sends and what its answers say about an object: the body without the fields the server
// owns, and the server's refusals and warnings, masked when the object is or carries a Secret.
import { holdsSecret } from '../engine/mask.js';
import { maskServerText } from '../engine/mask-message.js';
import type { KubeObject } from '../engine/types.js';
import { ApplyError } from './apply-error.js';
import { apiFailure } from './errors.js';

/** What Git says, without the fields the server owns; a PUT names the version it replaces. */
export function writeBody(obj: KubeObject, resourceVersion?: string): KubeObject {
  const body = { ...obj, metadata: { ...obj.metadata } } as KubeObject;
  delete body.metadata.uid;
  delete body.metadata.managedFields;
  delete body.metadata.resourceVersion;
  delete (body as { status?: unknown }).status;
  if (resourceVersion) body.metadata.resourceVersion = resourceVersion;
  return body;
}

/**
 * The server's refusal of a request about this object. About a Secret, or an object carrying one, the server's text
 * may quote a value: it is rewritten from value-free parts before anything can show or record it.
 */
export function failureAbout(obj: KubeObject, err: unknown): ApplyError {
  const f = apiFailure(err);
  if (!f.code) return new ApplyError(f);
  return new ApplyError({ code: f.code, ...maskServerText(obj, f) });
}

/** The server's warnings about a request, masked as its errors are when the object is or carries a Secret. */
export function warningsAbout(obj: KubeObject, onWarnings: (w: string[]) => void): (w: string[]) => void {
  if (!holdsSecret(obj)) return onWarnings;
  return (warnings) =>
    onWarnings(
      warnings.map((message) => maskServerText(obj, { reason: 'Warning', message }, 'warned about').message),
    );
}
