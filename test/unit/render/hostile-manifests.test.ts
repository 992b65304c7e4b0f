// What a hostile (or careless) commit's manifests are refused for at parse, before anything reaches the cluster:
// each refusal names file, line and column, the object, and what is wrong, and never prints a value it was given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import { parseManifests, RenderFailure } from '../../../source/render/index.js';

function refusal(text: string): string {
  try {
    parseManifests(text, { file: 'app/x.yaml' });
  } catch (err) {
    assert.ok(err instanceof RenderFailure, `a RenderFailure, not ${String(err)}`);
    return formatLocatedError(err.located);
  }
  assert.fail('the text was accepted');
}

const LABEL =
  'a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)';
const SUBDOMAIN =
  'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters)';

describe('parseManifests refuses names, namespaces and apiVersions no API server could serve', () => {
  const cases: Array<{ name: string; text: string; error: string }> = [
    {
      name: 'a namespace that reaches into another path (the Secrets list of kube-system)',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db-password\n  namespace: "kube-system/secrets#"\n',
      error: `app/x.yaml:5:14: ConfigMap "db-password": metadata.namespace "kube-system/secrets#" is not ${LABEL}`,
    },
    {
      name: 'a namespace with a dot',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: kube.system}\n',
      error: `app/x.yaml:3:32: ConfigMap "a": metadata.namespace "kube.system" is not ${LABEL}`,
    },
    {
      name: 'a namespace that is not a string',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: 42\n',
      error: 'app/x.yaml:5:14: ConfigMap "a": metadata.namespace must be a string, got a number',
    },
    {
      name: 'a Deployment name with "/" and "#"',
      text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "web/../../secrets#x"\n',
      error: `app/x.yaml:4:9: Deployment "web/../../secrets#x": metadata.name is not ${SUBDOMAIN}`,
    },
    {
      name: 'a Namespace named like a subdomain',
      text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop.prod\n',
      error: `app/x.yaml:4:9: Namespace "shop.prod": metadata.name is not ${LABEL}`,
    },
    {
      name: 'an RBAC name with a "/"',
      text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: "system:a/b"\n',
      error:
        'app/x.yaml:4:9: ClusterRole "system:a/b": metadata.name may not contain "/"; expected a name that fits in a URL path segment (not "." or "..", no "/" or "%", at most 253 characters)',
    },
    {
      name: 'a custom resource named ".."',
      text: 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ".."\n',
      error:
        'app/x.yaml:4:9: Widget "..": metadata.name may not be ".."; expected a name that fits in a URL path segment (not "." or "..", no "/" or "%", at most 253 characters)',
    },
    {
      name: 'a name that clears the screen',
      text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: "a\\e[2Jb"\n',
      error:
        'app/x.yaml:4:9: Role "a\\u001b[2Jb": metadata.name holds control characters; expected a name that fits in a URL path segment (not "." or "..", no "/" or "%", at most 253 characters)',
    },
    {
      name: 'a generateName with "/"',
      text: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  generateName: "x/"\n',
      error: `app/x.yaml:5:17: Job "migrate": metadata.generateName "x/" is not ${SUBDOMAIN}`,
    },
    {
      name: 'an apiVersion with a resource after the version',
      text: 'apiVersion: apps/v1/deployments\nkind: Deployment\nmetadata:\n  name: web\n',
      error:
        'app/x.yaml:1:13: Deployment "web": apiVersion "apps/v1/deployments" has more than one "/"; expected group/version (apps/v1) or v1',
    },
    {
      name: 'an apiVersion with an empty group',
      text: 'apiVersion: /v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      error:
        'app/x.yaml:1:13: ConfigMap "a": apiVersion "/v1" has a group that is not a DNS-1123 subdomain; expected group/version (apps/v1) or v1',
    },
    {
      name: 'an apiVersion with a query',
      text: 'apiVersion: "v1?watch=1"\nkind: ConfigMap\nmetadata:\n  name: a\n',
      error:
        'app/x.yaml:1:13: ConfigMap "a": apiVersion "v1?watch=1" has a version that is not a DNS-1035 label (v1, v1beta1); expected group/version (apps/v1) or v1',
    },
    {
      name: 'a kind with a "/"',
      text: 'apiVersion: v1\nkind: secrets/x\nmetadata:\n  name: a\n',
      error:
        'app/x.yaml:2:7: kind "secrets/x" is not a kind name (letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters)',
    },
    {
      name: 'a bad namespace in the second item of a List',
      text: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n    namespace: ../x\n',
      error: `app/x.yaml:11:16: List item items[1]: ConfigMap "b": metadata.namespace "../x" is not ${LABEL}`,
    },
    {
      name: 'a very long name, shown cut',
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${'A'.repeat(300)}\n`,
      error: `app/x.yaml:4:9: ConfigMap "${'A'.repeat(80)}"...: metadata.name is not ${SUBDOMAIN}`,
    },
  ];
  for (const c of cases) it(`refuses ${c.name}`, () => assert.equal(refusal(c.text), c.error));

  const accepted: Array<{ name: string; text: string }> = [
    {
      name: 'an aggregated ClusterRole named with colons',
      text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:aggregate-to-edit\n',
    },
    { name: 'no namespace', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' },
    {
      name: 'an empty namespace',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ""\n',
    },
    {
      name: 'a namespace left blank',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace:\n',
    },
    {
      name: 'a generateName ending in "-"',
      text: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate-1\n  generateName: migrate-\n',
    },
    {
      name: 'a dotted name in a dotted group',
      text: 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n',
    },
    {
      name: 'the APIService of the core group (a trailing dot)',
      text: 'apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1.\n',
    },
  ];
  for (const c of accepted) {
    it(`takes ${c.name}`, () => assert.equal(parseManifests(c.text, { file: 'app/x.yaml' }).length, 1));
  }
});

describe('parseManifests refuses a Secret whose values are not text, without printing them', () => {
  const PIN = '987654';
  const cases: Array<{ name: string; text: string; error: string }> = [
    {
      name: 'a number under data',
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\ndata:\n  ok: YQ==\n  pin: ${PIN}\n`,
      error:
        'app/x.yaml:7:8: Secret "bank": data.pin must be base64 text, got a number; the value is not shown',
    },
    {
      name: 'a number under stringData',
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\nstringData:\n  pin: ${PIN}\n`,
      error:
        'app/x.yaml:6:8: Secret "bank": stringData.pin must be a string, got a number (quote it); the value is not shown',
    },
    {
      name: 'a nested map under stringData',
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\nstringData:\n  login:\n    pin: "${PIN}"\n`,
      error:
        'app/x.yaml:6:3: Secret "bank": stringData.login must be a string, got a mapping; the value is not shown',
    },
    {
      name: 'a list under data',
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\ndata:\n  pins: ["${PIN}"]\n`,
      error:
        'app/x.yaml:6:9: Secret "bank": data.pins must be base64 text, got a list; the value is not shown',
    },
    {
      name: 'a YAML 1.1 boolean under stringData',
      text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\nstringData:\n  enabled: yes\n',
      error:
        'app/x.yaml:6:12: Secret "bank": stringData.enabled must be a string, got true or false (quote it); the value is not shown',
    },
    {
      name: 'a timestamp under stringData',
      text: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\nstringData:\n  since: 2001-12-14\n',
      error:
        'app/x.yaml:6:10: Secret "bank": stringData.since must be a string, got a timestamp (quote it); the value is not shown',
    },
    {
      name: 'data that is not a mapping',
      text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\ndata: ${PIN}\n`,
      error: 'app/x.yaml:5:7: Secret "bank": data must be a mapping of keys to strings, got a number',
    },
    {
      name: 'a Secret inside a List',
      text: `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: bank}\n  stringData: {pin: ${PIN}}\n`,
      error:
        'app/x.yaml:7:21: List item items[0]: Secret "bank": stringData.pin must be a string, got a number (quote it); the value is not shown',
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      const error = refusal(c.text);
      assert.equal(error, c.error);
      assert.ok(!error.includes(PIN), 'the value is not printed');
    });
  }

  it('takes text values and a value left blank', () => {
    const text =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: bank\ndata:\n  pin: OTg3NjU0\nstringData:\n  user: "1234"\n  note:\n';
    assert.equal(parseManifests(text, { file: 'app/x.yaml' }).length, 1);
  });

  it('leaves other kinds with a data field alone', () => {
    const text = 'apiVersion: example.com/v1\nkind: Vault\nmetadata:\n  name: v\ndata:\n  pin: 1234\n';
    assert.equal(parseManifests(text, { file: 'app/x.yaml' }).length, 1);
  });
});

describe('parse errors never print the text they are about', () => {
  const TOKEN = 'ghp_abc123SECRETtokenVALUE0987654321zz';
  const cases: Array<{ name: string; text: string; error: string }> = [
    {
      name: 'a file that is just a token',
      text: `${TOKEN}\n`,
      error:
        'app/x.yaml:1:1: expected a Kubernetes object (a mapping), got a string; every object needs apiVersion, kind and metadata.name',
    },
    {
      name: 'a file that is just a number',
      text: '1234567890123\n',
      error:
        'app/x.yaml:1:1: expected a Kubernetes object (a mapping), got a number; every object needs apiVersion, kind and metadata.name',
    },
    {
      name: 'a token after a block scalar indicator',
      text: `token: |${TOKEN}\n  x\n`,
      error: 'app/x.yaml:1:9: invalid YAML: a block scalar header (| or >) has extra characters',
    },
    {
      name: 'a token as a tag with no suffix',
      text: `!${TOKEN}! x\n`,
      error: 'app/x.yaml:1:1: invalid YAML: not a valid tag (a word after !)',
    },
    {
      name: 'a token as a tag of an unknown handle',
      text: `a: !e!${TOKEN} x\n`,
      error: 'app/x.yaml:1:4: invalid YAML: unknown tag (a word after !)',
    },
    {
      name: 'a token as a key given twice in an ordered map',
      text: `a: !!omap\n  - ${TOKEN}: 1\n  - ${TOKEN}: 2\n`,
      error: 'app/x.yaml:1:4: invalid YAML: ordered maps must not include duplicate keys',
    },
  ];
  for (const c of cases) {
    it(`for ${c.name}`, () => {
      const error = refusal(c.text);
      assert.equal(error, c.error);
      assert.ok(!error.includes(TOKEN.slice(0, 12)), 'no part of the token is printed');
    });
  }
});
