// Every URL path the adapter sends is built here, from segments that are each encoded, after the names in it were
// checked as Kubernetes checks them. A manifest is written by whoever can push to the repository: a namespace such
// as `kube-system/secrets#` must never turn a ConfigMap request into a list of another namespace's Secrets. The
// render refuses such names with file and line first; this is the line of defence below it.
import { ApplyError } from './apply-error.js';

/**
 * `/seg/seg/...` with every segment percent-encoded, so no `/`, `?` or `#` in a value can change the path. `.` and
 * `..` stay what they are even encoded (a URL parser reads `%2e%2e` as `..` too), and an empty segment would merge
 * two, so those are refused outright.
 */
export function apiPath(...segments: string[]): string {
  return segments
    .map((s) => {
      if (typeof s !== 'string' || s === '' || s === '.' || s === '..')
        throw refused(`${JSON.stringify(s)} cannot be a part of an API path`);
      return `/${encodeURIComponent(s)}`;
    })
    .join('');
}

/** A DNS-1123 label, which is what kube-apiserver requires of a namespace name. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `namespace` cannot be a namespace name, or undefined when it can. */
export function namespaceProblem(namespace: string): string | undefined {
  if (typeof namespace !== 'string' || !namespace) return 'is empty';
  if (namespace.length > 63) return 'is longer than 63 characters';
  if (!DNS_LABEL.test(namespace))
    return 'is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)';
  return undefined;
}

/**
 * Why `name` cannot be an object name, or undefined when it can. The API server's own rule for every kind is the
 * path-segment rule (no `/` or `%`, not `.` or `..`); most kinds are stricter (DNS subdomains), which the server
 * still checks, but RBAC names such as `system:aggregate-to-edit` are valid, so no stricter rule is applied here.
 * Control characters are refused as well: no kind allows them, and they would reach the terminal.
 */
export function nameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || !name) return 'is empty';
  if (name.length > 253) return 'is longer than 253 characters';
  if (name === '.' || name === '..') return `may not be "${name}"`;
  if (/[/%]/.test(name)) return 'may not contain "/" or "%"';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'may not contain control characters';
  return undefined;
}

/** A group/version the discovery may ask for: a DNS-label version, after a DNS-subdomain group unless core. */
const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `{group, version}` of a well-formed apiVersion, or the reason it is not one. */
export function parseApiVersion(
  apiVersion: string,
): { group: string; version: string } | { problem: string } {
  const shape = 'expected "version" or "group/version", e.g. "v1" or "apps/v1"';
  if (typeof apiVersion !== 'string' || !apiVersion) return { problem: `apiVersion is empty (${shape})` };
  const parts = apiVersion.split('/');
  if (parts.length > 2)
    return { problem: `apiVersion "${apiVersion}" has ${parts.length - 1} slashes (${shape})` };
  const [group, version] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['', parts[0]!];
  if (parts.length === 2 && (!GROUP.test(group) || group.length > 253))
    return { problem: `apiVersion "${apiVersion}" has an invalid group "${group}" (${shape})` };
  if (!DNS_LABEL.test(version) || version.length > 63)
    return { problem: `apiVersion "${apiVersion}" has an invalid version "${version}" (${shape})` };
  return { group, version };
}

/** `/api/v1` or `/apis/group/version`; throws for a malformed apiVersion (check it with parseApiVersion first). */
export function groupVersionPath(apiVersion: string): string {
  const gv = parseApiVersion(apiVersion);
  if ('problem' in gv) throw refused(gv.problem);
  return gv.group ? apiPath('apis', gv.group, gv.version) : apiPath('api', gv.version);
}

/** A request refused before it was sent: the object itself is wrong, so it is not worth asking again. */
export function refused(message: string): ApplyError {
  return new ApplyError({ code: 422, reason: 'Invalid', message: `not sent to the API server: ${message}` });
}

/**
 * Throws a refusal naming the object (its kind, and its name and namespace quoted as JSON so that no control
 * character reaches a terminal) when the namespace, if any, or the name is not a valid Kubernetes name.
 */
export function checkNames(kind: string, namespace: string | undefined, name?: string): void {
  const nsProblem = namespace === undefined ? undefined : namespaceProblem(namespace);
  const nameIssue = name === undefined ? undefined : nameProblem(name);
  if (!nsProblem && !nameIssue) return;
  const what = `${kind}${name === undefined ? '' : ` ${JSON.stringify(name)}`}${namespace === undefined ? '' : ` in namespace ${JSON.stringify(namespace)}`}`;
  throw refused(`${what}: the ${nsProblem ? `namespace ${nsProblem}` : `name ${nameIssue}`}`);
}
