import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLocatedError, parseRepoConfig } from '../../../source/config/index.js';
import { clusterNameProblem } from '../../../source/config/schema.js';

const app = (cluster: string) => `apps:\n- name: web\n  path: web\n  namespace: web\n  cluster: ${cluster}\n`;

function appsOf(text: string) {
  const result = parseRepoConfig(text);
  assert.equal(result.ok, true, result.ok ? '' : result.errors.map(formatLocatedError).join('\n'));
  return result.ok ? result.config.apps : [];
}

function errorsOf(text: string): string[] {
  const result = parseRepoConfig(text);
  assert.equal(result.ok, false, 'expected the config to be refused');
  return result.ok ? [] : result.errors.map(formatLocatedError);
}

describe('cluster: in driftdeck.yaml (an app names its destination)', () => {
  it('takes kube context names as kubeconfigs write them', () => {
    for (const name of [
      'prod-eu',
      'kind-b',
      'gke_project_europe-west1_prod',
      'admin@prod',
      'arn:aws:eks:eu-west-1:1234:cluster/prod',
    ]) {
      assert.equal(appsOf(app(JSON.stringify(name)))[0]?.cluster, name);
    }
  });

  it('leaves an app naming no cluster without one (the default cluster)', () => {
    const [only] = appsOf('apps:\n- name: web\n  path: web\n  namespace: web\n');
    assert.equal(only && 'cluster' in only, false);
  });

  const refused: Array<{ name: string; value: string; column: number }> = [
    { name: 'an empty name', value: '""', column: 12 },
    { name: 'a name with a space', value: '"prod eu"', column: 12 },
    { name: 'a name with an escape sequence', value: '"prod\\e[31m"', column: 12 },
    { name: 'a name with a newline', value: '"prod\\nx"', column: 12 },
    { name: 'a name longer than 253 characters', value: 'a'.repeat(254), column: 12 },
  ];
  for (const c of refused)
    it(`refuses ${c.name}, with file and line`, () => {
      const [error, ...more] = errorsOf(app(c.value));
      assert.deepEqual(more, []);
      assert.match(
        error ?? '',
        new RegExp(`^driftdeck\\.yaml:5:${c.column} apps\\[0\\]\\.cluster: expected a cluster name`),
      );
      assert.equal((error ?? '').includes('\u001b'), false);
    });

  it('refuses a cluster that is not a string', () => {
    assert.deepEqual(errorsOf(app('[a, b]')), [
      'driftdeck.yaml:5:12 apps[0].cluster: expected a cluster name (a kube context name: 1 to 253 printable characters, no spaces), got a list',
    ]);
  });

  it('judges names alone as the agent flag does', () => {
    assert.equal(clusterNameProblem('prod'), undefined);
    assert.match(clusterNameProblem('\u0007') ?? '', /expected a cluster name/);
    assert.match(clusterNameProblem('a\u200bb') ?? '', /expected a cluster name/);
  });
});
