// renderer.jsonnet in driftdeck.yaml: Argo CD's directory.jsonnet shape (tlas, extVars, libs), every mistake located.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError, parseRepoConfig } from '../../../source/config/index.js';
import type { RendererOptions } from '../../../source/engine/types.js';

function rendererOf(text: string): RendererOptions {
  const result = parseRepoConfig(text);
  assert.ok(result.ok, result.ok ? '' : result.errors.map(formatLocatedError).join('\n'));
  return result.config.apps[0]!.renderer;
}

function errorsOf(text: string): string[] {
  const result = parseRepoConfig(text);
  assert.equal(result.ok, false, 'expected the config to be refused');
  return result.ok ? [] : result.errors.map(formatLocatedError);
}

const app = (renderer: string) =>
  `apps:\n  - name: monitoring\n    path: apps/monitoring\n    namespace: mon\n    renderer:\n${renderer}`;

describe('renderer.jsonnet', () => {
  it('reads top-level arguments, external variables (string or code) and library folders as Argo CD writes them', () => {
    const renderer = rendererOf(
      app(
        [
          '      jsonnet:',
          '        tlas:',
          '          - { name: env, value: prod }',
          '          - { name: replicas, value: "3", code: true }',
          '        extVars:',
          '          - name: cluster',
          '            value: ""',
          '          - { name: "dotted.name", value: "{ a: 1 }", code: true }',
          '        libs: [vendor, ./lib/k8s/]',
        ].join('\n'),
      ),
    );
    assert.deepEqual(renderer, {
      type: 'auto',
      jsonnet: {
        tlas: [
          { name: 'env', value: 'prod', code: false },
          { name: 'replicas', value: '3', code: true },
        ],
        extVars: [
          { name: 'cluster', value: '', code: false },
          { name: 'dotted.name', value: '{ a: 1 }', code: true },
        ],
        libs: ['vendor', 'lib/k8s'],
      },
    });
  });

  it('fills absent lists with empty ones, and leaves an empty jsonnet key out', () => {
    assert.deepEqual(rendererOf(app('      type: directory\n      jsonnet: { libs: [vendor] }')), {
      type: 'directory',
      jsonnet: { tlas: [], extVars: [], libs: ['vendor'] },
    });
    assert.deepEqual(rendererOf(app('      jsonnet:')), { type: 'auto' });
  });

  it('refuses every mistake with its file, line, column and field', () => {
    const errors = errorsOf(
      app(
        [
          '      jsonnet:', // line 6
          '        tlas:',
          '          - { name: 1env, value: prod }',
          '          - { name: env, value: 3 }',
          '          - { name: env, value: a }',
          '          - { name: env, value: b }',
          '          - { name: x, vlaue: b }',
          '        extVars:',
          '          - just-a-string',
          '          - { name: replicas, value: "3", code: "yes" }',
          '        libs: [/usr/share/jsonnet, ../../outside, vendor/../..]',
          '        jpath: [x]',
        ].join('\n'),
      ),
    );
    assert.deepEqual(errors, [
      'driftdeck.yaml:8:21 apps[0].renderer.jsonnet.tlas[0].name: expected a Jsonnet identifier (letters, digits and "_", not starting with a digit), got "1env"',
      'driftdeck.yaml:9:33 apps[0].renderer.jsonnet.tlas[1].value: expected a string (quote numbers and booleans; code: true reads it as Jsonnet), got 3',
      'driftdeck.yaml:11:21 apps[0].renderer.jsonnet.tlas[3].name: top-level argument "env" is given twice; the second would silently win',
      'driftdeck.yaml:12:13 apps[0].renderer.jsonnet.tlas[4].value: missing; expected a string (quote numbers and booleans; code: true reads it as Jsonnet)',
      'driftdeck.yaml:12:24 apps[0].renderer.jsonnet.tlas[4].vlaue: unknown key "vlaue"; expected one of name, value, code (did you mean "value"?)',
      'driftdeck.yaml:14:13 apps[0].renderer.jsonnet.extVars[0]: expected an external variable (a mapping with name, value and code), got "just-a-string"',
      'driftdeck.yaml:15:49 apps[0].renderer.jsonnet.extVars[1].code: expected true or false, got "yes"',
      'driftdeck.yaml:16:16 apps[0].renderer.jsonnet.libs[0]: expected a relative path, got the absolute path "/usr/share/jsonnet"',
      'driftdeck.yaml:16:36 apps[0].renderer.jsonnet.libs[1]: expected a path inside the repository, got "../../outside" which leaves it',
      'driftdeck.yaml:16:51 apps[0].renderer.jsonnet.libs[2]: expected a path inside the repository, got "vendor/../.." which leaves it',
      'driftdeck.yaml:17:9 apps[0].renderer.jsonnet.jpath: unknown key "jpath"; expected one of tlas, extVars, libs',
    ]);
  });

  it('is refused on a helm or kustomize app, as recurse is', () => {
    const errors = errorsOf(app('      type: helm\n      jsonnet: { libs: [vendor] }'));
    assert.deepEqual(errors, [
      'driftdeck.yaml:7:16 apps[0].renderer.jsonnet: only applies to the directory renderer; remove it or set type: directory (type is helm)',
    ]);
  });
});
