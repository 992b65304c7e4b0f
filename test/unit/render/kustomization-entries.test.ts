import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError } from '../../../source/config/index.js';
import { foldName } from '../../../source/render/go-yaml.js';
import { kustomizationEntries } from '../../../source/render/kustomization-entries.js';
import { RenderFailure } from '../../../source/render/render-failure.js';

/** `field entry @line` for each path the text names, as kustomize would read it. */
function entries(text: string): string[] {
  return kustomizationEntries(text, 'k.yaml').map((e) => `${e.field} ${e.entry} @${e.line}`);
}

function refusal(text: string): string {
  try {
    kustomizationEntries(text, 'k.yaml');
  } catch (err) {
    assert.ok(err instanceof RenderFailure, `a located render failure, got ${err}`);
    return formatLocatedError(err.located);
  }
  assert.fail('not refused');
}

describe('kustomizationEntries reads a kustomization as kustomize does', () => {
  const cases: Array<{ name: string; text: string; entries: string[] }> = [
    {
      name: 'an alias, at the line of its anchor',
      text: 'metadata:\n  name: &p ../x\nresources: [*p, b]\n',
      entries: ['resources[0] ../x @2', 'resources[1] b @3'],
    },
    {
      name: 'a merge key',
      text: '<<: {resources: [../x]}\n',
      entries: ['resources[0] ../x @1'],
    },
    {
      name: 'a merged mapping overridden by a later explicit key (both readers agree)',
      text: 'metadata: &m {namespace: a}\nhelmGlobals:\n  <<: {chartHome: ../x}\n  chartHome: charts\n',
      entries: ['helmGlobals.chartHome charts @4'],
    },
    {
      name: 'a merge list, the first source winning (both readers agree)',
      text: 'a: &a {resources: [x]}\nb: &b {resources: [z]}\n<<: [*a, *b]\n',
      entries: ['resources[0] x @1'],
    },
    {
      name: 'field names in any case, as encoding/json matches them (long s included)',
      text: 'Resources: [a]\nre\u017fources: [b]\nRESOURCES: [c]\n',
      entries: ['Resources[0] a @1', 're\u017fources[0] b @2', 'RESOURCES[0] c @3'],
    },
    {
      name: 'every field that names a file or folder',
      text: [
        'bases: [b]',
        'components: [c]',
        'generators: [g]',
        'transformers: [t]',
        'validators: [v]',
        'crds: [crd.yaml]',
        'configurations: [conf.yaml]',
        'patchesStrategicMerge: [psm.yaml]',
        'patches: [{path: p.yaml}]',
        'patchesJson6902: [{path: pj.yaml}]',
        'replacements: [{path: r.yaml}]',
        'openapi: {path: o.json}',
        'configMapGenerator: [{name: x, files: [key=f.txt, g.txt], envs: [e.env], env: one.env}]',
        'secretGenerator: [{name: y, files: [s.txt]}]',
        'helmGlobals: {chartHome: charts, configHome: helm}',
        'helmCharts: [{name: c, valuesFile: v.yaml, additionalValuesFiles: [w.yaml]}]',
        'helmChartInflationGenerator: [{chartName: c, chartHome: ch, helmHome: hh, values: hv.yaml}]',
        '',
      ].join('\n'),
      entries: [
        'bases[0] b @1',
        'components[0] c @2',
        'generators[0] g @3',
        'transformers[0] t @4',
        'validators[0] v @5',
        'crds[0] crd.yaml @6',
        'configurations[0] conf.yaml @7',
        'patchesStrategicMerge[0] psm.yaml @8',
        'patches[0].path p.yaml @9',
        'patchesJson6902[0].path pj.yaml @10',
        'replacements[0].path r.yaml @11',
        'openapi.path o.json @12',
        'configMapGenerator[0].files[0] f.txt @13',
        'configMapGenerator[0].files[1] g.txt @13',
        'configMapGenerator[0].envs[0] e.env @13',
        'configMapGenerator[0].env one.env @13',
        'secretGenerator[0].files[0] s.txt @14',
        'helmGlobals.chartHome charts @15',
        'helmGlobals.configHome helm @15',
        'helmCharts[0].valuesFile v.yaml @16',
        'helmCharts[0].additionalValuesFiles[0] w.yaml @16',
        'helmChartInflationGenerator[0].chartHome ch @17',
        'helmChartInflationGenerator[0].helmHome hh @17',
        'helmChartInflationGenerator[0].values hv.yaml @17',
      ],
    },
    { name: 'an empty file', text: '', entries: [] },
  ];
  for (const c of cases) it(`finds ${c.name}`, () => assert.deepEqual(entries(c.text), c.entries));

  const refused: Array<{ name: string; text: string; error: string }> = [
    {
      name: 'a merge key after an explicit key it overrides (yaml.v2 takes the merged value)',
      text: 'resources: [ok]\n<<: {resources: [../x]}\n',
      error:
        'k.yaml:2:1: kustomization: the merge key (<<) sets "resources" again after it was set in the same mapping; yaml.v2 (Go) takes the merged value where YAML takes the first, so set it once',
    },
    {
      name: 'a second merge key overriding the first',
      text: 'a: &a {resources: [x]}\nb: &b {resources: [z]}\n<<: *a\n<<: *b\n',
      error:
        'k.yaml:4:1: kustomization: the merge key (<<) sets "resources" again after it was set in the same mapping; yaml.v2 (Go) takes the merged value where YAML takes the first, so set it once',
    },
    {
      name: 'a second document',
      text: 'resources: [a]\n---\nresources: [b]\n',
      error:
        'k.yaml:2: kustomization: holds more than one YAML document; only the first is read, so keep one',
    },
    {
      name: 'a billion laughs',
      text: `a: &a [x]\n${['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcd'[i]}`).join(', ')}]`).join('\n')}\n`,
      error: 'k.yaml: kustomization: Excessive alias count indicates a resource exhaustion attack',
    },
    {
      name: 'broken YAML, at its line',
      text: 'resources: [a\n',
      error: 'k.yaml:2:1: kustomization: invalid YAML: ',
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}`, () => {
      const message = refusal(c.text);
      assert.ok(message.startsWith(c.error), message);
    });
  }
});

describe('foldName, as Go encoding/json folds field names', () => {
  const cases: Array<[string, string]> = [
    ['resources', 'RESOURCES'],
    ['Resources', 'RESOURCES'],
    ['re\u017fources', 'RESOURCES'],
    ['\u212aind', 'KIND'],
    ['stra\u00dfe', 'STRA\u00dfE'],
  ];
  for (const [name, folded] of cases)
    it(`folds ${name} to ${folded}`, () => assert.equal(foldName(name), folded));
});
