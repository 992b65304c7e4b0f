// An app that installs a CRD and uses it, through the built CLI on the real cluster: its custom resources are shown
// as to be created (not refused), one sync applies the CRD, waits until it is Established and applies them, and the
// app is Synced afterwards. A custom resource whose CRD exists nowhere keeps the clear error.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ApiextensionsV1Api } from '@kubernetes/client-node';
import { driftdeck } from '../support/cli.js';
import { createNamespace, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, makeRepo, type TestRepo } from '../support/repo.js';

const group = `${randomBytes(3).toString('hex')}.crds.driftdeck.test`;
const crdName = `widgets.${group}`;
const operator = uniqueName('operator');
const orphan = uniqueName('orphan');
let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;

const widget = (name: string, size: number) => `apiVersion: ${group}/v1
kind: Widget
metadata:
  name: ${name}
spec:
  size: ${size}
`;

before(async () => {
  ns = await createNamespace('crds');
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      { name: operator, path: 'operator', namespace: ns.name },
      { name: orphan, path: 'orphan', namespace: ns.name },
    ]),
    'operator/crd.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${crdName}
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
`,
    'operator/widgets.yaml': `${widget('small', 1)}---\n${widget('large', 9)}`,
    'orphan/gadget.yaml': `apiVersion: ${group}/v1\nkind: Gadget\nmetadata:\n  name: lonely\n`,
  });
});
after(async () => {
  await kubeConfig()
    .makeApiClient(ApiextensionsV1Api)
    .deleteCustomResourceDefinition({ name: crdName })
    .catch(() => undefined);
  await ns?.remove();
  await repo?.cleanup();
});

test('a CRD and two custom resources of it: diff shows them to be created, one sync applies all, Synced after', async () => {
  const diff = await driftdeck(['diff', operator, '--repo', repo.remote]);
  assert.equal(diff.code, 1, diff.stdout + diff.stderr);
  assert.doesNotMatch(diff.stdout + diff.stderr, /is its CRD installed|no kind/);
  assert.match(
    diff.stdout,
    new RegExp(`kind: CustomResourceDefinition[\\s\\S]*name: ${crdName.replace(/\./g, '\\.')}`),
  );
  assert.match(diff.stdout, /kind: Widget[\s\S]*name: large/);
  assert.match(diff.stdout, /kind: Widget[\s\S]*name: small/);

  const dry = await driftdeck(['sync', operator, '--repo', repo.remote, '--dry-run']);
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /Widget\/small.*after CRD .* is created/);

  // Widgets have no health check: the wait (bounded) ends once they are applied, as Argo CD leaves them out of health.
  const sync = await driftdeck(['sync', operator, '--repo', repo.remote, '--timeout', '90']);
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);

  const status = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const apps = JSON.parse(status.stdout) as Array<{ name: string; sync: string; error?: unknown }>;
  const app = apps.find((a) => a.name === operator);
  assert.equal(app?.sync, 'Synced', JSON.stringify(app));
  assert.equal(app?.error, undefined);
});

test('a custom resource whose CRD exists nowhere keeps the clear error', async () => {
  const diff = await driftdeck(['diff', orphan, '--repo', repo.remote]);
  assert.equal(diff.code, 2, diff.stdout + diff.stderr);
  assert.match(
    diff.stdout + diff.stderr,
    new RegExp(
      `no kind Gadget in ${group.replace(/\./g, '\\.')}/v1 on the cluster \\(is its CRD installed\\?\\)`,
    ),
  );
  const sync = await driftdeck(['sync', orphan, '--repo', repo.remote]);
  assert.notEqual(sync.code, 0);
  assert.match(sync.stdout + sync.stderr, /is its CRD installed/);
});
