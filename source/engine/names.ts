// Kubernetes' rules for the strings that name an object: apiVersion, kind, metadata.name and metadata.namespace,
// as k8s.io/apimachinery checks them (util/validation IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label;
// api/validation/path IsValidPathSegmentName) and as each kind's ValidateObjectMeta picks among them. These strings
// become URL path segments and cache keys, so a render is refused when one could not be a real object's.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** C0 and C1 controls and DEL: never part of a name, whatever the kind allows (they would reach terminals). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export const LABEL_MAX = 63;
export const SUBDOMAIN_MAX = 253;

export function isDns1123Label(value: string): boolean {
  return value.length <= LABEL_MAX && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(value);
}

export function isDns1035Label(value: string): boolean {
  return value.length <= LABEL_MAX && DNS1035_LABEL.test(value);
}

/** What a name must be, from the strictest to the loosest rule Kubernetes applies to some kind. */
export type NameRule = 'dns-label' | 'dns-subdomain' | 'path-segment';

const LABEL_TEXT =
  'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
const RULE_TEXT: Record<NameRule, string> = {
  'dns-label': `a DNS-1123 label (${LABEL_TEXT})`,
  'dns-subdomain':
    'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters)',
  'path-segment':
    'a name that fits in a URL path segment (not "." or "..", no "/" or "%", at most 253 characters)',
};

export function describeNameRule(rule: NameRule): string {
  return RULE_TEXT[rule];
}

/** Why `value` breaks `rule`, in words; undefined when it fits. `prefix` checks a generateName (may end in "-"). */
export function nameProblem(value: string, rule: NameRule, prefix = false): string | undefined {
  if (value === '') return 'is empty';
  if (CONTROL.test(value)) return 'holds control characters';
  if (rule === 'path-segment') {
    if (value.length > SUBDOMAIN_MAX) return `is longer than ${SUBDOMAIN_MAX} characters`;
    if (!prefix && (value === '.' || value === '..')) return `may not be "${value}"`;
    if (value.includes('/')) return 'may not contain "/"';
    if (value.includes('%')) return 'may not contain "%"';
    return undefined;
  }
  // Kubernetes checks a generateName as a name with its trailing "-" masked (maskTrailingDash).
  const checked = prefix && value.length > 1 && value.endsWith('-') ? `${value.slice(0, -2)}a` : value;
  const fits = rule === 'dns-label' ? isDns1123Label(checked) : isDns1123Subdomain(checked);
  return fits ? undefined : `is not ${RULE_TEXT[rule]}`;
}

/**
 * The rule for metadata.name of a kind, as its ValidateObjectMeta name function decides. RBAC roles and bindings
 * (`system:aggregate-to-edit`), core Events and CertificateSigningRequests only need the path-segment rule that
 * every API server applies (rest.BeforeCreate). Kinds outside the built-in groups are custom resources (DNS-1123
 * subdomain) or served by an aggregated API server with rules of its own, which cannot be told apart here: they
 * get the path-segment floor, and the server refuses the rest with its own message.
 */
export function nameRuleOf(group: string, kind: string): NameRule {
  if (group === '' && kind === 'Namespace') return 'dns-label';
  // DNS-1035 unless RelaxedServiceNameValidation is on, which allows any DNS-1123 label: the looser of the two.
  if (group === '' && kind === 'Service') return 'dns-label';
  if (group === 'rbac.authorization.k8s.io') return 'path-segment';
  if (group === '' && kind === 'Event') return 'path-segment';
  if (group === 'events.k8s.io' && kind === 'Event') return 'path-segment';
  if (group === 'certificates.k8s.io' && kind === 'CertificateSigningRequest') return 'path-segment';
  // APIService names are `<version>.<group>`, and the core group's is `v1.` (a trailing dot).
  if (group === 'apiregistration.k8s.io') return 'path-segment';
  return isBuiltInGroup(group) ? 'dns-subdomain' : 'path-segment';
}

const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions']);

/** The groups Kubernetes itself serves: the legacy names above and `*.k8s.io` (`x-k8s.io` is sig projects' CRDs). */
function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUPS.has(group) || (group.endsWith('.k8s.io') && !group.endsWith('.x-k8s.io'));
}

/**
 * Why an apiVersion could not be served; undefined when it could. `v1` (the core group) or `group/version`, where
 * the group is a DNS-1123 subdomain and the version a DNS-1035 label, as an APIService requires of both.
 */
export function apiVersionProblem(apiVersion: string): string | undefined {
  const parts = apiVersion.split('/');
  if (parts.length > 2) return 'has more than one "/"; expected group/version (apps/v1) or v1';
  const [group, version] = parts.length === 2 ? parts : ['', parts[0]];
  if (parts.length === 2 && !isDns1123Subdomain(group ?? ''))
    return 'has a group that is not a DNS-1123 subdomain; expected group/version (apps/v1) or v1';
  if (!isDns1035Label(version ?? ''))
    return 'has a version that is not a DNS-1035 label (v1, v1beta1); expected group/version (apps/v1) or v1';
  return undefined;
}

/** Why a kind could not be served: CustomResourceDefinition kinds are DNS-1035 labels in mixed case. */
export function kindProblem(kind: string): string | undefined {
  if (isDns1035Label(kind.toLowerCase())) return undefined;
  return 'is not a kind name (letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters)';
}
