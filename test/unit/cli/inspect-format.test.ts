import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsTable, treeTable } from '../../../source/cli/inspect-commands.js';
import type { AppTree, TreeNode } from '../../../source/engine/inspect.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const node = (kind: string, name: string, extra: Partial<TreeNode> = {}): TreeNode => ({
  ref: { apiVersion: 'v1', kind, namespace: 'shop', name },
  origin: 'owned',
  health: { status: 'Healthy' },
  createdAt: '2026-01-01T00:00:00Z',
  children: [],
  ...extra,
});

describe('the tree and events tables', () => {
  it('draws owned objects under their owner, with health, reason and containers', () => {
    const t: AppTree = {
      app: 'backend',
      at: 'now',
      roots: [
        node('Deployment', 'backend', {
          origin: 'desired',
          sync: 'Synced',
          health: { status: 'Progressing' },
          reason: 'ImagePullBackOff',
          children: [
            node('ReplicaSet', 'backend-new', {
              children: [
                node('Pod', 'backend-new-a', {
                  health: { status: 'Degraded' },
                  reason: 'ImagePullBackOff',
                  containers: [
                    {
                      name: 'app',
                      role: 'app',
                      ready: false,
                      restarts: 0,
                      state: 'waiting',
                      hasPrevious: false,
                    },
                  ],
                }),
              ],
            }),
            node('ReplicaSet', 'backend-old'),
          ],
        }),
        node('Service', 'backend', { origin: 'desired', sync: 'OutOfSync', createdAt: undefined }),
      ],
    };
    assert.equal(
      treeTable(t, NOW),
      [
        'RESOURCE                   SYNC       HEALTH       AGE  REASON',
        'Deployment/backend         Synced     Progressing  1h   ImagePullBackOff',
        '├─ ReplicaSet/backend-new             Healthy      1h',
        '│  └─ Pod/backend-new-a               Degraded     1h   ImagePullBackOff  app waiting',
        '└─ ReplicaSet/backend-old             Healthy      1h',
        'Service/backend            OutOfSync  Healthy      -',
      ].join('\n'),
    );
  });

  it('lists events with their age, type, object and a terminal-safe message', () => {
    const text = eventsTable(
      [
        {
          type: 'Warning',
          reason: 'Failed',
          message: 'Back-off \x1b[2J pulling',
          object: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'p' },
          count: 4,
          lastSeen: '2026-01-01T00:59:00Z',
        },
      ],
      NOW,
    );
    assert.equal(
      text,
      [
        'LAST SEEN  TYPE     REASON  OBJECT  COUNT  MESSAGE',
        '1m         Warning  Failed  Pod/p   4      Back-off ^[[2J pulling',
      ].join('\n'),
    );
  });
});
