// A new revision renders again only the apps whose render read something the commit changed (a plain folder's
// render says what it read); the others keep their objects and their comparison, and name the new revision.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GitPort } from '../../../source/engine/ports.js';
import type { AppSpec, KubeObject, RenderResult } from '../../../source/engine/types.js';
import { Loop } from '../../../source/loop/loop.js';
import { appSpec, FakeCluster, fakeGit } from '../../support/fake-cluster.js';

const sha = (c: string) => c.repeat(40);

function setup() {
  const state = {
    head: sha('a'),
    changed: [] as string[] | undefined,
    asked: [] as string[],
    values: new Map([
      ['web', '1'],
      ['api', '1'],
    ]),
    namespaces: new Map([
      ['web', 'shop'],
      ['api', 'shop'],
    ]),
    renders: new Map<string, number>(),
    /** Apps whose render does not say what it read (kustomize, Helm, Jsonnet). */
    unknownInputs: new Set<string>(),
    failing: new Set<string>(),
  };
  const git: GitPort = {
    ...fakeGit,
    poll: async () => ({ head: state.head, moved: true }),
    changedPaths: async (from, to) => {
      state.asked.push(`${from.slice(0, 1)}..${to.slice(0, 1)}`);
      return state.changed;
    },
  };
  const render = async (_dir: string, app: AppSpec): Promise<RenderResult> => {
    state.renders.set(app.name, (state.renders.get(app.name) ?? 0) + 1);
    if (state.failing.has(app.name))
      return { ok: false, error: { message: 'broken', file: `apps/${app.name}/a.yaml`, line: 1 } };
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${app.name}-settings` },
      data: { value: state.values.get(app.name) ?? '' },
    };
    return {
      ok: true,
      manifests: [{ object, source: { file: `apps/${app.name}/settings.yaml`, line: 1 } }],
      ...(state.unknownInputs.has(app.name) ? {} : { inputs: ['apps', `apps/${app.name}/`] }),
    };
  };
  const loop = new Loop({
    git,
    cluster: new FakeCluster(),
    render,
    // Made anew at every revision, as a real driftdeck.yaml is parsed anew: equal definitions, new objects.
    loadApps: async () => ({
      ok: true,
      apps: ['web', 'api'].map((name) => appSpec(name, state.namespaces.get(name) ?? 'shop')),
    }),
    intervalMs: 60_000,
    readonly: false,
    by: 'tester@host',
    autoSync: false,
  });
  const app = (name: string) => loop.getSnapshot().apps.find((a) => a.name === name);
  const commit = async (next: string, changed: string[] | undefined) => {
    state.head = sha(next);
    state.changed = changed;
    await loop.poll();
  };
  return { state, loop, app, commit };
}

describe('a new revision and the apps it did not touch', () => {
  it('renders and compares again only the app whose folder changed; the other keeps its comparison and names the new revision', async () => {
    const { state, loop, app, commit } = setup();
    await loop.start();
    assert.deepEqual(Object.fromEntries(state.renders), { web: 1, api: 1 });
    const apiBefore = app('api');
    state.values.set('web', '2');
    await commit('b', ['apps/web/settings.yaml']);
    assert.deepEqual(state.asked, ['a..b'], 'the paths changed since the revision rendered');
    assert.deepEqual(Object.fromEntries(state.renders), { web: 2, api: 1 });
    assert.equal(app('web')?.targetRevision, sha('b'));
    assert.equal(app('web')?.resources[0]?.diff.includes('2'), true, 'the changed app is compared again');
    assert.equal(app('api')?.targetRevision, sha('b'), 'the kept app names the new revision');
    assert.equal(app('api')?.resources, apiBefore?.resources, 'its comparison stands');
    // A path outside every app's folder (a README) renders nothing again.
    await commit('c', ['README.md']);
    assert.deepEqual(Object.fromEntries(state.renders), { web: 2, api: 1 });
    assert.deepEqual(state.asked, ['a..b', 'b..c'], 'asked from the last revision, kept renders included');
    loop.stop();
  });

  it('renders again an app whose definition changed, whose inputs are unknown, or whose last render failed', async () => {
    const { state, loop, commit } = setup();
    state.unknownInputs.add('web');
    await loop.start();
    await commit('b', []);
    assert.deepEqual(Object.fromEntries(state.renders), { web: 2, api: 1 }, 'inputs unknown: rendered again');
    state.namespaces.set('api', 'other');
    await commit('c', []);
    assert.equal(state.renders.get('api'), 2, 'its definition changed');
    state.failing.add('api');
    await commit('d', ['apps/api/settings.yaml']);
    state.failing.delete('api');
    await commit('e', []);
    assert.equal(state.renders.get('api'), 4, 'a failed render is never kept');
    loop.stop();
  });

  it('renders every app again when the changed paths cannot be told', async () => {
    const { state, loop, commit } = setup();
    await loop.start();
    await commit('b', undefined);
    assert.deepEqual(Object.fromEntries(state.renders), { web: 2, api: 2 });
    loop.stop();
  });

  it('renders again an app when an ancestor of its folder is replaced (by a file or a symlink)', async () => {
    const { state, loop, commit } = setup();
    await loop.start();
    await commit('b', ['apps']);
    assert.deepEqual(Object.fromEntries(state.renders), { web: 2, api: 2 });
    loop.stop();
  });
});
