import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import { parseManifests, RenderFailure } from '../../../source/render/index.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parseManifests', () => {
  const parsed: Array<{ name: string; text: string; expected: string[] }> = [
    { name: 'nothing at all', text: '', expected: [] },
    { name: 'only comments and separators', text: '# a\n---\n---\n# b\n', expected: [] },
    { name: 'an explicit null document', text: `~\n---\n${cm('a')}`, expected: ['3 a'] },
    {
      name: 'helm-style output with Source comments',
      text: `---\n# Source: x/templates/a.yaml\n${cm('a')}---\n# Source: x/templates/b.yaml\n${cm('b')}`,
      expected: ['3 a', '9 b'],
    },
    { name: 'a document end marker', text: `${cm('a')}...\n---\n${cm('b')}`, expected: ['1 a', '7 b'] },
    { name: 'an empty List', text: 'apiVersion: v1\nkind: List\nitems: []\n', expected: [] },
    {
      name: 'flow-style JSON on one line',
      text: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}',
      expected: ['1 j'],
    },
  ];
  for (const c of parsed) {
    it(`reads ${c.name}`, () => {
      const manifests = parseManifests(c.text, { file: 'f.yaml' });
      assert.deepEqual(
        manifests.map((m) => `${m.source.line} ${m.object.metadata.name}`),
        c.expected,
      );
      for (const m of manifests) assert.equal(m.source.file, 'f.yaml');
    });
  }

  it('reads scalars as kubectl does (YAML 1.1): octal modes, yes/on booleans, merge keys', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  defaults: &d {mode: 0644}\n' +
      '  volume: {<<: *d, optional: yes, stdin: on, name: "0644"}\n';
    const [m] = parseManifests(text, { file: 'f.yaml' });
    assert.deepEqual(m?.object.spec, {
      defaults: { mode: 420 },
      volume: { mode: 420, optional: true, stdin: true, name: '0644' },
    });
  });

  const refused: Array<{ name: string; text: string; error: string }> = [
    {
      name: 'an object without apiVersion',
      text: `${cm('a')}---\nkind: Service\nmetadata: {name: s}\n`,
      error:
        'out.yaml:6:1: tool output: Service "s" has no apiVersion; every object needs apiVersion, kind and metadata.name',
    },
    {
      name: 'metadata that is not a mapping',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: cm\n',
      error:
        'out.yaml:1:1: tool output: ConfigMap has no metadata; every object needs apiVersion, kind and metadata.name',
    },
    {
      name: 'a list that is not a List object',
      text: '- a\n- b\n',
      error:
        'out.yaml:1:1: tool output: expected a Kubernetes object (a mapping), got a list; every object needs apiVersion, kind and metadata.name',
    },
    {
      name: 'a tab used for indentation in the second document',
      text: `${cm('a')}---\na:\n\t- x\n`,
      error: 'out.yaml:7:1: tool output: invalid YAML: Tabs are not allowed as indentation',
    },
    {
      // The API server is asked not to look for these (fieldValidation=Ignore): they never reach it.
      name: 'a key given twice',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: "1"\n  x: "2"\n',
      error:
        'out.yaml:7:3: tool output: invalid YAML: Map keys must be unique; this key is already given at line 6',
    },
    {
      name: 'an alias bomb',
      text: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
      error:
        'out.yaml:1:1: tool output: invalid YAML: aliases (*name) expand this document more than 100 times over; write the values out',
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}`, () => {
      assert.throws(
        () => parseManifests(c.text, { file: 'out.yaml', origin: 'tool output' }),
        (err: unknown) => {
          assert.ok(err instanceof RenderFailure);
          assert.equal(formatLocatedError(err.located), c.error);
          return true;
        },
      );
    });
  }
});
