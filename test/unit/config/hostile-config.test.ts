// A driftdeck.yaml written to hurt: every problem is a located error in the result, never an exception (a
// running agent reads this file at every commit and must keep running).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError, parseRepoConfig } from '../../../source/config/index.js';

function outcome(text: string): string[] {
  const result = parseRepoConfig(text);
  return result.ok ? ['ok'] : result.errors.map(formatLocatedError);
}

/** Nine lists of nine, seven deep: 9^7 (4.8 million) strings once the aliases are expanded. */
const LAUGHS = [
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  '  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
].join('\n');

const helmApp = (values: string) =>
  `apps:\n  - name: web\n    path: web\n    namespace: shop\n    renderer:\n      type: helm\n      values: ${values}\n`;

describe('parseRepoConfig on hostile files', () => {
  const cases: Array<{ name: string; text: string; errors: string[] }> = [
    {
      name: 'a billion laughs expanded into Helm values',
      text: `x:\n${LAUGHS}\n${helmApp('{laughs: *g}')}`,
      errors: [
        'driftdeck.yaml:1:1 x: unknown key "x"; expected one of apps, policy, discover',
        'driftdeck.yaml:15:15 apps[0].renderer.values: expected a mapping of Helm values; aliases (*name) expand it more than 100 times over; write the values out',
      ],
    },
    {
      name: 'a billion laughs under an unknown key, never expanded',
      text: `apps: []\nx:\n${LAUGHS}\n`,
      errors: ['driftdeck.yaml:2:1 x: unknown key "x"; expected one of apps, policy, discover'],
    },
    {
      name: 'an alias to an anchor that does not exist',
      text: helmApp('*nowhere'),
      errors: [
        'driftdeck.yaml:7:15: invalid YAML: the alias *nowhere names no anchor (&nowhere) set before it',
      ],
    },
    {
      name: 'a key given twice inside an app',
      text: 'apps:\n  - name: a\n    path: a\n    namespace: n\n    path: b\n',
      errors: [
        'driftdeck.yaml:5:5: invalid YAML: Map keys must be unique; this key is already given at line 3',
      ],
    },
    {
      name: 'keys given twice at two depths, in the order of the text',
      text: 'apps:\n  - name: a\n    name: b\n    path: a\n    namespace: n\napps: []\n',
      errors: [
        'driftdeck.yaml:3:5: invalid YAML: Map keys must be unique; this key is already given at line 2',
        'driftdeck.yaml:6:1: invalid YAML: Map keys must be unique; this key is already given at line 1',
      ],
    },
  ];
  for (const c of cases) it(`reports ${c.name}`, () => assert.deepEqual(outcome(c.text), c.errors));

  it('reports nesting deeper than the parser goes in a few errors, the first first', () => {
    const errors = outcome(`apps: ${'['.repeat(100_000)}\n`);
    assert.match(errors[0] ?? '', /^driftdeck\.yaml:1:\d+: invalid YAML: Maximum call stack size exceeded$/);
    assert.equal(errors.length, 11);
    assert.match(errors[10] ?? '', /^driftdeck\.yaml: and \d+ more YAML syntax errors after these$/);
  });

  it('follows each alias to the closest anchor before it, as YAML does', () => {
    const text =
      'apps:\n  - {name: a, path: a, namespace: n, sync: &s {auto: true}}\n' +
      '  - {name: b, path: b, namespace: n, sync: *s, ignore: &s [{kind: Secret, jsonPointers: [/data]}]}\n' +
      '  - {name: c, path: c, namespace: n, ignore: *s}\n';
    const result = parseRepoConfig(text);
    assert.ok(result.ok, result.ok ? '' : result.errors.map(formatLocatedError).join('\n'));
    assert.equal(result.config.apps[1]?.sync.auto, true);
    assert.deepEqual(result.config.apps[2]?.ignore, [{ kind: 'Secret', jsonPointers: ['/data'] }]);
  });
});
