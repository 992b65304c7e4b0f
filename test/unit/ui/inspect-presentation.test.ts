// The resources view's pure parts: its reducer as a table, the tree's rows and filter, and the plan of one resource.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ObjectRef } from '../../../source/engine/inspect.js';
import { type InspectState, inspectReducer, newInspect } from '../../../source/ui/inspect-state.js';
import { eventLines, logTextLines, yamlLines } from '../../../source/ui/presentation/inspect-lines.js';
import { lineText } from '../../../source/ui/presentation/line.js';
import { planForResource } from '../../../source/ui/presentation/resource-plan.js';
import { refSelector, treeRowLine, treeRows } from '../../../source/ui/presentation/tree.js';
import { PLAN } from './fake-controller.js';
import { BACKEND_EVENTS, BACKEND_LIVE, backendTree } from './resource-tree-fixture.js';

const POD: ObjectRef = { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'backend-7d9f-crash' };

describe('resources view state', () => {
  const open = newInspect('backend');
  const logs: InspectState = {
    ...open,
    detail: { view: 'logs', ref: POD, container: 'app', previous: false, top: 0, follow: true },
  };
  const cases: Array<{
    name: string;
    from: InspectState | undefined;
    action: Parameters<typeof inspectReducer>[1];
    expect: Partial<InspectState> | undefined;
  }> = [
    {
      name: 'opens on an app',
      from: undefined,
      action: { type: 'inspectOpen', app: 'cart' },
      expect: { app: 'cart', cursor: 0 },
    },
    { name: 'closes', from: open, action: { type: 'inspectClose' }, expect: undefined },
    {
      name: 'the cursor stops at the last row',
      from: open,
      action: { type: 'treeMove', by: 9, total: 6 },
      expect: { cursor: 5 },
    },
    {
      name: 'G goes to the last row',
      from: open,
      action: { type: 'treeMove', by: 'bottom', total: 6 },
      expect: { cursor: 5 },
    },
    {
      name: 'scrolling a log up stops following it',
      from: logs,
      action: { type: 'detailMove', by: -3, total: 100, height: 10 },
      expect: {
        detail: { view: 'logs', ref: POD, container: 'app', previous: false, top: 87, follow: false },
      },
    },
    {
      name: 'p reads the previous instance from its tail',
      from: {
        ...logs,
        detail: { view: 'logs', ref: POD, container: 'app', previous: false, top: 4, follow: false },
      },
      action: { type: 'togglePrevious' },
      expect: { detail: { view: 'logs', ref: POD, container: 'app', previous: true, top: 0, follow: true } },
    },
    {
      name: 'Esc from a detail back to the tree',
      from: logs,
      action: { type: 'detailClose' },
      expect: { detail: undefined },
    },
    {
      name: 'm shows managedFields',
      from: open,
      action: { type: 'toggleManagedFields' },
      expect: { managedFields: true },
    },
    { name: 'w wraps', from: open, action: { type: 'toggleWrap' }, expect: { wrap: true } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const after = inspectReducer(c.from, c.action);
      if (c.expect === undefined) assert.equal(after, undefined);
      else
        for (const [field, value] of Object.entries(c.expect))
          assert.deepEqual(after?.[field as keyof InspectState], value, field);
    });
  }
});

describe('resources view presentation', () => {
  it('flattens the tree depth first and keeps the ancestors of what the filter finds', () => {
    const names = (filter: string) =>
      treeRows(backendTree(), filter).map((r) => `${r.depth}:${r.node.ref.name}`);
    assert.deepEqual(names(''), [
      '0:backend',
      '1:backend-7d9f',
      '2:backend-7d9f-crash',
      '2:backend-7d9f-fine',
      '0:backend',
      '1:backend-x1',
    ]);
    assert.deepEqual(names('crashloop'), ['0:backend', '1:backend-7d9f', '2:backend-7d9f-crash']);
    assert.deepEqual(names('synced'), ['0:backend']);
    assert.deepEqual(names('nothing-like-this'), []);
  });

  it('reads a row as kind/name, sync, health and reason with restarts', () => {
    const [, , pod] = treeRows(backendTree());
    if (!pod) throw new Error('fixture changed');
    const text = lineText(treeRowLine(pod, 100, true));
    assert.match(text, /^> {5}└ Pod\/backend-7d9f-crash\s+Degraded\s+CrashLoopBackOff, restarts 3$/);
  });

  it('names a resource for --resource as group/kind/namespace/name', () => {
    assert.equal(
      refSelector({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'b' }),
      'apps/Deployment/shop/b',
    );
    assert.equal(
      refSelector({ apiVersion: 'v1', kind: 'Namespace', namespace: '', name: 'shop' }),
      '/Namespace//shop',
    );
  });

  it('cuts the plan down to the one resource, counted again', () => {
    const plan = planForResource(PLAN, {
      group: 'apps',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'backend',
    });
    assert.deepEqual([plan.create, plan.update, plan.prune, plan.unchanged], [0, 1, 0, 0]);
    assert.deepEqual(
      plan.tasks?.pruneOff.map((t) => t.key.name),
      ['backend'],
    );
    const legacy = planForResource(PLAN, {
      group: '',
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'cart-legacy',
    });
    assert.deepEqual([legacy.prune, legacy.pruneCandidates], [1, ['ConfigMap/shop/cart-legacy']]);
  });

  it('hides managedFields unless asked, sorts events newest first, wraps logs when asked', () => {
    const yaml = (managed: boolean) => yamlLines(BACKEND_LIVE, managed).map(lineText).join('\n');
    assert.ok(!yaml(false).includes('managedFields'));
    assert.match(yaml(true), /managedFields:\n\s+- manager: driftdeck/);
    const events = eventLines(BACKEND_EVENTS, Date.now()).map(lineText);
    assert.match(events[0] ?? '', /Warning BackOff \(x7\)/);
    assert.match(events[1] ?? '', /Normal\s+ScalingReplicaSet/);
    assert.deepEqual(logTextLines(['abcdefghijklmnop'], true, 10).map(lineText), ['abcdefghij', 'klmnop']);
    assert.deepEqual(logTextLines(['abcdefghijklmnop'], false, 10).map(lineText), ['abcdefghijklmnop']);
  });
});
