// Running inside a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, trusted with the ServiceAccount's CA, and
// the ServiceAccount's token, which the kubelet rotates in place (a projected token lives an hour by default and is
// replaced at 80% of its life). The token is therefore read from its file again rather than once at start: at most
// once a second, and at once after the API server answered 401 (see RawClient).
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** Where a pod has its ServiceAccount mounted; DRIFTDECK_SERVICEACCOUNT_DIR names another folder (tests). */
export const SERVICEACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SERVICEACCOUNT_DIR_VARIABLE = 'DRIFTDECK_SERVICEACCOUNT_DIR';

export interface InClusterConfig {
  /** https://host:port of the API server. */
  server: string;
  caFile: string;
  tokenFile: string;
  /** The pod's namespace, from the folder's `namespace` file. */
  namespace: string;
  dir: string;
}

export function serviceAccountDir(env: NodeJS.ProcessEnv): string {
  const dir = env[SERVICEACCOUNT_DIR_VARIABLE]?.trim();
  return dir ? dir : SERVICEACCOUNT_DIR;
}

/**
 * The in-cluster configuration when this process runs as a pod would (the service environment and the three files
 * of the ServiceAccount folder); undefined when it plainly does not (no KUBERNETES_SERVICE_HOST); an error saying
 * what is missing when it half does, since a pod without its token (automountServiceAccountToken: false) must not
 * fall through to a misleading "no kubeconfig".
 */
export function detectInCluster(env: NodeJS.ProcessEnv): InClusterConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST?.trim();
  if (!host) return undefined;
  const port = env.KUBERNETES_SERVICE_PORT?.trim() ?? '';
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    throw new Error(
      `KUBERNETES_SERVICE_HOST is set but KUBERNETES_SERVICE_PORT is ${port ? `"${printable(port)}", not a port` : 'not set'}`,
    );
  if (!isIP(host) && !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(host))
    throw new Error(`KUBERNETES_SERVICE_HOST "${printable(host)}" is not a host name or an IP address`);
  const dir = serviceAccountDir(env);
  const file = (name: string) => join(dir, name);
  const missing = ['token', 'ca.crt', 'namespace'].filter((name) => !existsSync(file(name)));
  if (missing.length)
    throw new Error(
      `running in a pod (KUBERNETES_SERVICE_HOST is set) but ${missing.map(file).join(', ')} ${missing.length > 1 ? 'do' : 'does'} not exist: mount the ServiceAccount token (automountServiceAccountToken: true), or pass --kubeconfig`,
    );
  const namespace = readSmall(file('namespace')).trim();
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace))
    throw new Error(`${file('namespace')} does not hold a namespace name`);
  const ca = readSmall(file('ca.crt'));
  if (!ca.includes('-----BEGIN CERTIFICATE-----'))
    throw new Error(`${file('ca.crt')} holds no PEM certificate`);
  // Reading the token once now says at start, not at the first request, that it is unusable.
  readToken(file('token'));
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  return {
    server: `https://${hostPart}:${port}`,
    caFile: file('ca.crt'),
    tokenFile: file('token'),
    namespace,
    dir,
  };
}

/** A ServiceAccount token as one header value: refused when it could end or split the header. */
export function readToken(file: string): string {
  const token = readSmall(file).trim();
  if (!token) throw new Error(`the ServiceAccount token ${file} is empty`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a token goes into an HTTP header
  if (/[\s\x00-\x1f\x7f-\uffff]/.test(token))
    throw new Error(`the ServiceAccount token ${file} has spaces, control or non-ASCII characters`);
  return token;
}

const MAX_FILE_BYTES = 1024 * 1024;

function readSmall(file: string): string {
  const data = readFileSync(file);
  if (data.length > MAX_FILE_BYTES) throw new Error(`${file} is larger than 1 MiB`);
  return data.toString('utf8');
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

/** How often, at most, the token file is read again on the way to a request. */
export const TOKEN_REREAD_MS = 1000;

/**
 * The token of a file the kubelet rewrites. `current()` reads it again once a second at most; `reread()` reads it at
 * once (after a 401) and says whether it changed. A file that cannot be read for a moment (the kubelet swaps a
 * symlink) keeps the last token: the request that follows says whether it still works.
 */
export class TokenFile {
  private token: string;
  private readAt: number;

  constructor(
    readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.token = readToken(file);
    this.readAt = now();
  }

  current(): string {
    if (this.now() - this.readAt >= TOKEN_REREAD_MS) this.reread();
    return this.token;
  }

  /** Reads the file now; true when the token differs from `used`, the one a refused request carried. */
  reread(used?: string): boolean {
    this.readAt = this.now();
    try {
      this.token = readToken(this.file);
    } catch {
      // keep the last one
    }
    return used !== undefined && this.token !== used;
  }
}
