import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatLocatedError, parseRepoConfig } from '../../../source/config/index.js';
import type { RepoConfig } from '../../../source/engine/types.js';

const fixtures = join(import.meta.dirname, '../../fixtures/config');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const DNS =
  'a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)';

function errorsOf(text: string, file?: string): string[] {
  const result = parseRepoConfig(text, file);
  assert.equal(result.ok, false, 'expected the config to be refused');
  return result.ok ? [] : result.errors.map(formatLocatedError);
}

describe('parseRepoConfig', () => {
  it('reads three apps with every option, normalizing paths and filling defaults', () => {
    const result = parseRepoConfig(fixture('valid-three-apps.yaml'));
    const expected: RepoConfig = {
      apps: [
        {
          name: 'backend',
          path: 'apps/backend',
          namespace: 'shop',
          renderer: { type: 'directory', recurse: false },
          sync: { auto: true, prune: true, selfHeal: false },
          ignore: [
            { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
            {
              kind: 'ConfigMap',
              name: 'generated',
              jsonPointers: ['/data/timestamp', '/metadata/annotations/example.com~1checksum'],
            },
          ],
        },
        {
          name: 'frontend',
          path: 'apps/frontend/overlays/prod',
          namespace: 'web',
          renderer: { type: 'kustomize' },
          sync: { auto: false, prune: false, selfHeal: false },
          ignore: [],
        },
        {
          name: 'payments',
          path: 'charts/payments',
          namespace: 'payments',
          renderer: {
            type: 'helm',
            helm: {
              releaseName: 'payments-prod',
              valueFiles: ['values-prod.yaml', '../shared/values-common.yaml'],
              values: { replicaCount: 3, image: { tag: '1.4.2' } },
            },
          },
          sync: { auto: false, prune: false, selfHeal: true },
          ignore: [],
        },
      ],
    };
    assert.deepEqual(result, { ok: true, config: expected });
  });

  const minimal = [
    { name: 'an empty apps list', text: 'apps: []\n', paths: [], renderer: undefined },
    {
      name: 'renderer written empty',
      text: 'apps:\n- {name: a, path: x, namespace: b, renderer: }\n',
      paths: ['x'],
      renderer: 'auto',
    },
    {
      name: 'the repo root as the app path',
      text: 'apps:\n- {name: a, path: ./, namespace: b}\n',
      paths: ['.'],
      renderer: 'auto',
    },
    {
      name: 'a path with . and .. inside',
      text: 'apps:\n- {name: a, path: a/./b/../c//, namespace: b, renderer: helm}\n',
      paths: ['a/c'],
      renderer: 'helm',
    },
  ];
  for (const c of minimal) {
    it(`accepts ${c.name}`, () => {
      const result = parseRepoConfig(c.text);
      assert.ok(result.ok, result.ok ? '' : result.errors.map(formatLocatedError).join('\n'));
      assert.deepEqual(
        result.config.apps.map((a) => a.path),
        c.paths,
      );
      assert.equal(result.config.apps[0]?.renderer.type, c.renderer);
    });
  }

  it('follows YAML aliases', () => {
    const text =
      'apps:\n- name: a\n  path: a\n  namespace: n\n  sync: &s {auto: true}\n- name: b\n  path: b\n  namespace: n\n  sync: *s\n';
    const result = parseRepoConfig(text);
    assert.ok(result.ok);
    assert.deepEqual(result.config.apps[1]?.sync, { auto: true, prune: false, selfHeal: false });
  });

  const refused: Array<{ fixture: string; errors: string[] }> = [
    {
      fixture: 'unknown-key.yaml',
      errors: [
        `driftdeck.yaml:2:5 apps[0].namespace: missing; expected ${DNS}`,
        'driftdeck.yaml:4:5 apps[0].namepsace: unknown key "namepsace"; expected one of name, path, namespace, cluster, renderer, sync, ignore, policy (did you mean "namespace"?)',
        'driftdeck.yaml:6:7 apps[0].sync.atuo: unknown key "atuo"; expected one of auto, prune, selfHeal (did you mean "auto"?)',
        'driftdeck.yaml:9:7 apps[0].renderer.valuesFiles: unknown key "valuesFiles"; expected one of type, releaseName, valueFiles, values, recurse, jsonnet (did you mean "valueFiles"?)',
        'driftdeck.yaml:10:1 extra: unknown key "extra"; expected one of apps, policy, discover',
      ],
    },
    {
      fixture: 'wrong-types.yaml',
      errors: [
        `driftdeck.yaml:7:16 apps[1].namespace: expected ${DNS}, got "Web_Shop"`,
        'driftdeck.yaml:8:19 apps[1].sync.auto: expected true or false, got "yes"',
        'driftdeck.yaml:8:31 apps[1].sync.prune: expected true or false, got 1',
        'driftdeck.yaml:9:15 apps[1].renderer: expected one of auto, directory, kustomize, helm, got "jsonnet"',
        'driftdeck.yaml:12:23 apps[1].ignore[0].jsonPointers: expected a list of JSON pointers such as /spec/replicas, got "spec/replicas"',
        'driftdeck.yaml:13:24 apps[1].ignore[1].jsonPointers[0]: a JSON pointer must start with "/" (e.g. /spec/replicas), got "spec/replicas"',
        'driftdeck.yaml:13:39 apps[1].ignore[1].jsonPointers[1]: in a JSON pointer "~" must be written ~0 and "/" inside a key ~1, got "/a~2b"',
        `driftdeck.yaml:14:11 apps[2].name: expected ${DNS}, got 42`,
        'driftdeck.yaml:15:11 apps[2].path: expected a folder relative to the repository root, got a list',
        `driftdeck.yaml:16:5 apps[2].namespace: expected ${DNS}, got nothing`,
      ],
    },
    {
      fixture: 'syntax-error.yaml',
      errors: ['driftdeck.yaml:4:1: invalid YAML: Sequence item without - indicator'],
    },
    {
      fixture: 'duplicate-app-names.yaml',
      errors: [
        'driftdeck.yaml:5:11 apps[1].name: duplicate app name "backend", already used by apps[0] at line 2; expected unique names',
      ],
    },
    {
      fixture: 'escaping-paths.yaml',
      errors: [
        'driftdeck.yaml:3:11 apps[0].path: expected a relative path, got the absolute path "/etc/kubernetes"',
        'driftdeck.yaml:6:11 apps[1].path: expected a path inside the repository, got "apps/../../outside" which leaves it',
        'driftdeck.yaml:13:33 apps[2].renderer.valueFiles[1]: expected a path inside the repository, got "../../../secrets.yaml" which leaves it',
        'driftdeck.yaml:13:56 apps[2].renderer.valueFiles[2]: expected a relative path, got the absolute path "/tmp/values.yaml"',
      ],
    },
    {
      fixture: 'missing-required.yaml',
      errors: [
        `driftdeck.yaml:2:5 apps[0].name: missing; expected ${DNS}`,
        `driftdeck.yaml:2:5 apps[0].namespace: missing; expected ${DNS}`,
        'driftdeck.yaml:3:5 apps[1].path: missing; expected a folder relative to the repository root',
      ],
    },
    {
      fixture: 'helm-options-on-directory.yaml',
      errors: [
        'driftdeck.yaml:7:19 apps[0].renderer.valueFiles: only applies to the helm renderer; remove it or set type: helm (type is directory)',
        'driftdeck.yaml:13:16 apps[1].renderer.recurse: only applies to the directory renderer; remove it or set type: directory (type is helm)',
        'driftdeck.yaml:14:20 apps[1].renderer.releaseName: expected a Helm release name (lowercase letters, digits, "-" and ".", at most 53 characters), got "Chart_Release"',
      ],
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.fixture} with every error located`, () => {
      assert.deepEqual(errorsOf(fixture(c.fixture)), c.errors);
    });
  }

  const small: Array<{ name: string; text: string; errors: string[] }> = [
    {
      name: 'an empty file',
      text: '',
      errors: ['driftdeck.yaml:1:1: the file is empty; expected a mapping with an apps list'],
    },
    {
      name: 'a list at the top',
      text: '- a\n',
      errors: ['driftdeck.yaml:1:1: expected a mapping with an apps list, got a list'],
    },
    {
      name: 'apps not a list',
      text: 'apps: backend\n',
      errors: ['driftdeck.yaml:1:7 apps: expected a list of apps, got "backend"'],
    },
    {
      name: 'two documents',
      text: 'apps: []\n---\napps: []\n',
      errors: [
        'driftdeck.yaml:2:1: expected a single YAML document, found a second one (remove the extra ---)',
      ],
    },
    {
      name: 'a duplicate key',
      text: 'apps: []\napps: []\n',
      errors: [
        'driftdeck.yaml:2:1: invalid YAML: Map keys must be unique; this key is already given at line 1',
      ],
    },
    {
      name: 'an empty pointer list',
      text: 'apps:\n- name: a\n  path: a\n  namespace: b\n  ignore: [{kind: Secret, jsonPointers: []}]\n',
      errors: [
        'driftdeck.yaml:5:41 apps[0].ignore[0].jsonPointers: expected at least one JSON pointer, got an empty list',
      ],
    },
  ];
  for (const c of small) {
    it(`refuses ${c.name}`, () => {
      assert.deepEqual(errorsOf(c.text), c.errors);
    });
  }

  it('names the file it was given in every error', () => {
    const result = parseRepoConfig('apps: 1\n', 'sub/driftdeck.yaml');
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.errors, [
      {
        file: 'sub/driftdeck.yaml',
        line: 1,
        column: 7,
        field: 'apps',
        message: 'expected a list of apps, got 1',
      },
    ]);
  });
});
