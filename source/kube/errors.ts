// Turns whatever the client library throws into one readable line: the API's reason and message when there is one.

export interface ApiFailure {
  /** HTTP status, 0 when the server was not reached. */
  code: number;
  /** Kubernetes Status reason, e.g. Conflict, Invalid, NotFound, Forbidden; or a network error code. */
  reason: string;
  message: string;
  /** Field paths the server named (details.causes[].field), when it named any. */
  fields?: string[];
}

interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { causes?: Array<{ field?: unknown }> };
}

export function apiFailure(err: unknown): ApiFailure {
  const e = err as {
    code?: unknown;
    body?: unknown;
    message?: string;
    statusCode?: number;
    cause?: { code?: string };
  };
  const code = typeof e?.code === 'number' ? e.code : (e?.statusCode ?? 0);
  let body: StatusBody | undefined;
  if (typeof e?.body === 'string') {
    try {
      body = JSON.parse(e.body) as StatusBody;
    } catch {
      body = { message: e.body };
    }
  } else if (e?.body && typeof e.body === 'object') body = e.body as StatusBody;
  if (body?.message) {
    const causes = Array.isArray(body.details?.causes) ? body.details.causes : [];
    const fields = causes.map((c) => c?.field).filter((f): f is string => typeof f === 'string' && f !== '');
    return {
      code,
      reason: typeof body.reason === 'string' && body.reason ? body.reason : String(code),
      message: String(body.message),
      ...(fields.length ? { fields } : {}),
    };
  }
  const netCode = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  const raw = (e?.message ?? String(err)).split('\n')[0] ?? '';
  return { code, reason: netCode ?? (code ? String(code) : 'Unreachable'), message: raw };
}

export function describeFailure(err: unknown): string {
  const f = apiFailure(err);
  return f.code ? failureText(f) : `cannot reach the API server: ${f.message}`;
}

/** A refusal in words: a denial of rights as "forbidden: cannot <verb> <resource> in namespace <ns>". */
export function failureText(f: ApiFailure): string {
  return (f.code === 403 && forbiddenText(f.message)) || `${f.reason}: ${f.message}`;
}

// The authorizer's denial, as the API server words it (RBAC, and every authorizer behind the same message).
const DENIED =
  /User "([^"]*)" cannot ([\w-]+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?/;

/** "forbidden: cannot list configmaps in namespace driftdeck-system (as system:serviceaccount:team:dev)". */
export function forbiddenText(message: string): string | undefined {
  const m = DENIED.exec(message);
  if (!m) return undefined;
  const [, user, verb, resource, group, namespace] = m;
  const what = group ? `${resource}.${group}` : resource;
  const where = namespace ? `in namespace ${namespace}` : 'cluster-wide';
  return `forbidden: cannot ${verb} ${what} ${where}${user ? ` (as ${user})` : ''}`;
}
