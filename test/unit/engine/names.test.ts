import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  apiVersionProblem,
  kindProblem,
  type NameRule,
  nameProblem,
  nameRuleOf,
} from '../../../source/engine/names.js';

describe('nameRuleOf: the metadata.name rule of a kind, as its ValidateObjectMeta picks it', () => {
  const cases: Array<{ group: string; kind: string; rule: NameRule }> = [
    { group: '', kind: 'Namespace', rule: 'dns-label' },
    { group: '', kind: 'Service', rule: 'dns-label' },
    { group: '', kind: 'ConfigMap', rule: 'dns-subdomain' },
    { group: '', kind: 'Secret', rule: 'dns-subdomain' },
    { group: 'apps', kind: 'Deployment', rule: 'dns-subdomain' },
    { group: 'networking.k8s.io', kind: 'Ingress', rule: 'dns-subdomain' },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', rule: 'path-segment' },
    { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', rule: 'path-segment' },
    { group: '', kind: 'Event', rule: 'path-segment' },
    { group: 'certificates.k8s.io', kind: 'CertificateSigningRequest', rule: 'path-segment' },
    { group: 'apiregistration.k8s.io', kind: 'APIService', rule: 'path-segment' },
    // A custom resource or an aggregated API: the server applies its own rule above the floor.
    { group: 'example.com', kind: 'Widget', rule: 'path-segment' },
    { group: 'gateway.networking.x-k8s.io', kind: 'XBackendTrafficPolicy', rule: 'path-segment' },
  ];
  for (const c of cases) {
    it(`${c.group || 'core'} ${c.kind}: ${c.rule}`, () => assert.equal(nameRuleOf(c.group, c.kind), c.rule));
  }
});

describe('nameProblem', () => {
  const cases: Array<{ name: string; value: string; rule: NameRule; prefix?: boolean; problem?: string }> = [
    { name: 'a namespace', value: 'shop', rule: 'dns-label' },
    { name: 'a label of 63 characters', value: 'a'.repeat(63), rule: 'dns-label' },
    {
      name: 'a label of 64 characters',
      value: 'a'.repeat(64),
      rule: 'dns-label',
      problem: 'is not a DNS-1123 label',
    },
    {
      name: 'the namespace of the attack',
      value: 'kube-system/secrets#',
      rule: 'dns-label',
      problem: 'is not a DNS-1123 label',
    },
    { name: 'a dotted label', value: 'a.b', rule: 'dns-label', problem: 'is not a DNS-1123 label' },
    { name: 'upper case in a label', value: 'Shop', rule: 'dns-label', problem: 'is not a DNS-1123 label' },
    { name: 'a dotted subdomain', value: 'v1.metrics.k8s.io', rule: 'dns-subdomain' },
    { name: 'a subdomain of 253 characters', value: `${'a.'.repeat(126)}a`, rule: 'dns-subdomain' },
    {
      name: 'a subdomain of 255 characters',
      value: `${'a.'.repeat(127)}a`,
      rule: 'dns-subdomain',
      problem: 'is not a DNS-1123 subdomain',
    },
    {
      name: 'a subdomain with a colon',
      value: 'system:x',
      rule: 'dns-subdomain',
      problem: 'is not a DNS-1123 subdomain',
    },
    { name: 'an RBAC name with colons', value: 'system:aggregate-to-edit', rule: 'path-segment' },
    { name: 'a path segment with upper case and spaces', value: 'Team Leads', rule: 'path-segment' },
    { name: 'a path segment "."', value: '.', rule: 'path-segment', problem: 'may not be "."' },
    { name: 'a path segment ".."', value: '..', rule: 'path-segment', problem: 'may not be ".."' },
    { name: 'a path segment with "/"', value: 'a/b', rule: 'path-segment', problem: 'may not contain "/"' },
    { name: 'a path segment with "%"', value: 'a%2Fb', rule: 'path-segment', problem: 'may not contain "%"' },
    {
      name: 'a path segment of 254 characters',
      value: 'a'.repeat(254),
      rule: 'path-segment',
      problem: 'is longer than 253 characters',
    },
    {
      name: 'an escape sequence in a path segment',
      value: 'a\u001b[2Jb',
      rule: 'path-segment',
      problem: 'holds control characters',
    },
    {
      name: 'a C1 control (CSI)',
      value: 'a\u009bb',
      rule: 'path-segment',
      problem: 'holds control characters',
    },
    { name: 'nothing', value: '', rule: 'path-segment', problem: 'is empty' },
    { name: 'a generateName ending in "-"', value: 'web-', rule: 'dns-subdomain', prefix: true },
    { name: 'a generateName "."', value: '.', rule: 'path-segment', prefix: true },
    {
      name: 'a generateName with "/"',
      value: 'a/',
      rule: 'path-segment',
      prefix: true,
      problem: 'may not contain "/"',
    },
    {
      name: 'a name ending in "-"',
      value: 'web-',
      rule: 'dns-subdomain',
      problem: 'is not a DNS-1123 subdomain',
    },
  ];
  for (const c of cases) {
    it(`${c.problem ? 'refuses' : 'takes'} ${c.name} as ${c.rule}${c.prefix ? ' prefix' : ''}`, () => {
      const problem = nameProblem(c.value, c.rule, c.prefix);
      if (c.problem === undefined) assert.equal(problem, undefined);
      else assert.ok(problem?.startsWith(c.problem), `${problem} starts with ${c.problem}`);
    });
  }
});

describe('apiVersionProblem', () => {
  const cases: Array<{ apiVersion: string; problem?: string }> = [
    { apiVersion: 'v1' },
    { apiVersion: 'apps/v1' },
    { apiVersion: 'autoscaling/v2beta2' },
    { apiVersion: 'gateway.networking.k8s.io/v1' },
    { apiVersion: 'apps/v1/deployments', problem: 'has more than one "/"' },
    { apiVersion: '/v1', problem: 'has a group that is not a DNS-1123 subdomain' },
    { apiVersion: 'apps/', problem: 'has a version that is not a DNS-1035 label' },
    { apiVersion: 'Apps/v1', problem: 'has a group that is not a DNS-1123 subdomain' },
    { apiVersion: 'apps/1', problem: 'has a version that is not a DNS-1035 label' },
    { apiVersion: 'apps/v1?watch=true', problem: 'has a version that is not a DNS-1035 label' },
    { apiVersion: '../v1', problem: 'has a group that is not a DNS-1123 subdomain' },
  ];
  for (const c of cases) {
    it(`${c.problem ? 'refuses' : 'takes'} ${JSON.stringify(c.apiVersion)}`, () => {
      const problem = apiVersionProblem(c.apiVersion);
      if (c.problem === undefined) assert.equal(problem, undefined);
      else assert.ok(problem?.startsWith(c.problem), `${problem} starts with ${c.problem}`);
    });
  }
});

describe('kindProblem', () => {
  const cases: Array<{ kind: string; ok: boolean }> = [
    { kind: 'Deployment', ok: true },
    { kind: 'APIService', ok: true },
    { kind: 'ValidatingAdmissionPolicyBinding', ok: true },
    { kind: 'Config-Map', ok: true },
    { kind: 'configmaps/status', ok: false },
    { kind: '1Thing', ok: false },
    { kind: 'Thing\u001b', ok: false },
    { kind: 'K'.repeat(64), ok: false },
  ];
  for (const c of cases) {
    it(`${c.ok ? 'takes' : 'refuses'} ${JSON.stringify(c.kind)}`, () =>
      assert.equal(kindProblem(c.kind) === undefined, c.ok));
  }
});
