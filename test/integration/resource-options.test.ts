// Per-resource options of Argo CD and Flux through the built CLI on the real cluster: objects carrying each option
// are synced with prune, and the cluster is read afterwards (kept, not updated, replaced, deleted and created again
// on an immutable change of a Job's template), with what `status` and `diff` say.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { driftdeck } from '../support/cli.js';
import { createNamespace, eventually, kubeConfig, uniqueName } from '../support/cluster.js';
import { appsFile, makeRepo, type TestRepo } from '../support/repo.js';

let ns: Awaited<ReturnType<typeof createNamespace>>;
let repo: TestRepo;
const keep = uniqueName('i12-options-keep');
const extra = uniqueName('i12-options-extra');
const flux = uniqueName('i12-options-flux');
const replace = uniqueName('i12-options-replace');
const stiff = uniqueName('i12-options-stiff');
const gatekeeper = uniqueName('i12-options-gk');

const cm = (
  name: string,
  data: Record<string, string>,
  annotations: Record<string, string> = {},
) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
data: ${JSON.stringify(data)}
`;
const job = (name: string, image: string, annotations: Record<string, string> = {}) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ${image}
`;
const ARGO = 'argocd.argoproj.io/sync-options';

before(async () => {
  ns = await createNamespace('i12-options');
  const at = (name: string, path: string) => ({ name, path, namespace: ns.name });
  repo = await makeRepo({
    'driftdeck.yaml': appsFile([
      at(keep, 'keep'),
      at(extra, 'extra'),
      at(flux, 'flux'),
      at(replace, 'replace'),
      at(stiff, 'stiff'),
      at(gatekeeper, 'gatekeeper'),
    ]),
    'keep/argo.yaml': cm('argo-kept', { a: '1' }, { [ARGO]: 'Prune=false' }),
    'keep/flux.yaml': cm('flux-kept', { a: '1' }, { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }),
    'keep/plain.yaml': cm('plain', { a: '1' }),
    // The folder keeps a manifest: one that renders nothing at all is an error of its own.
    'keep/base.yaml': cm('keep-base', { a: '1' }),
    'extra/base.yaml': cm('base', { a: '1' }),
    'extra/generated.yaml': cm(
      'generated',
      { a: '1' },
      { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous', [ARGO]: 'Prune=false' },
    ),
    'flux/ignored.yaml': cm('ignored', { a: '1' }, { 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' }),
    'flux/seeded.yaml': cm(
      'seeded',
      { token: 'from-git' },
      { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' },
    ),
    'flux/merged.yaml': cm('merged', { a: '1' }, { 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' }),
    'flux/job.yaml': job('migrate', 'example.test/migrate:v1', {
      'kustomize.toolkit.fluxcd.io/force': 'Enabled',
    }),
    'replace/replaced.yaml': cm('replaced', { a: '1' }, { [ARGO]: 'Replace=true,ServerSideApply=true' }),
    'stiff/job.yaml': job('stiff', 'example.test/migrate:v1'),
    'gatekeeper/constraint.yaml': `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sNoLatest${randomSuffix()}
metadata:
  name: no-latest
  annotations: { ${ARGO}: SkipDryRunOnMissingResource=true }
`,
  });
});
after(async () => {
  await ns?.remove();
  await repo?.cleanup();
});

function randomSuffix(): string {
  return keep
    .slice(-6)
    .replace(/[^a-z0-9]/g, '')
    .toUpperCase();
}

const core = () => kubeConfig().makeApiClient(CoreV1Api);
const batch = () => kubeConfig().makeApiClient(BatchV1Api);
const readCm = (name: string) =>
  core()
    .readNamespacedConfigMap({ name, namespace: ns.name })
    .catch(() => undefined);

interface StatusRow {
  name: string;
  sync: string;
  error?: { message: string };
  resources: Array<{ id: string; status: string; message?: string; outOfStatus?: string }>;
}
async function statusOf(app: string): Promise<StatusRow> {
  const out = await driftdeck(['status', '--repo', repo.remote, '-o', 'json']);
  const row = (JSON.parse(out.stdout) as StatusRow[]).find((r) => r.name === app);
  assert.ok(row, `${app} in ${out.stdout}${out.stderr}`);
  return row;
}
const resource = (row: StatusRow, name: string) => row.resources.find((r) => r.id.endsWith(`/${name}`));

interface SyncJson {
  result: string;
  message: string;
  resources: Array<{ key: { name: string }; action: string; ok: boolean; message?: string }>;
  plan?: Array<{ key: { name: string }; operation: string; why: string }>;
}
async function syncJson(
  app: string,
  ...flags: string[]
): Promise<{ code: number; record: SyncJson; text: string }> {
  const out = await driftdeck(['sync', app, '--repo', repo.remote, '--no-wait', '-o', 'json', ...flags]);
  try {
    return { code: out.code, record: JSON.parse(out.stdout) as SyncJson, text: out.stdout + out.stderr };
  } catch {
    assert.fail(`sync ${app} printed no record: ${out.stdout}${out.stderr}`);
  }
}
const result = (r: SyncJson, name: string) => r.resources.find((x) => x.key.name === name);

test('Prune=false and prune: disabled: kept by a sync with prune, saying why; the app stays OutOfSync as Argo CD shows it', async () => {
  const first = await syncJson(keep);
  assert.equal(first.code, 0, first.text);
  await repo.commit(
    { 'keep/argo.yaml': null, 'keep/flux.yaml': null, 'keep/plain.yaml': null },
    'Drop the settings',
  );

  const before = await statusOf(keep);
  assert.equal(before.sync, 'OutOfSync');
  assert.equal(resource(before, 'argo-kept')?.message, `not pruned: ${ARGO}: Prune=false`);

  // The plan says so before anything is sent: `sync --dry-run` shows the candidate as a `keep` task with its option.
  const dry = await syncJson(keep, '--dry-run', '--prune');
  assert.equal(dry.code, 0, dry.text);
  const task = (name: string) => dry.record.plan?.find((t) => t.key.name === name);
  assert.deepEqual(
    ['argo-kept', 'flux-kept', 'plain'].map((name) => `${task(name)?.operation} ${task(name)?.why}`),
    [
      `keep not pruned: ${ARGO}: Prune=false`,
      'keep not pruned: kustomize.toolkit.fluxcd.io/prune: disabled',
      "prune prune candidate carrying this app's mark",
    ],
  );

  const pruned = await syncJson(keep, '--prune');
  assert.equal(pruned.code, 0, pruned.text);
  assert.equal(result(pruned.record, 'argo-kept')?.action, 'kept');
  assert.equal(result(pruned.record, 'argo-kept')?.message, `not pruned: ${ARGO}: Prune=false`);
  assert.equal(result(pruned.record, 'flux-kept')?.action, 'kept');
  assert.equal(
    result(pruned.record, 'flux-kept')?.message,
    'not pruned: kustomize.toolkit.fluxcd.io/prune: disabled',
  );
  assert.equal(result(pruned.record, 'plain')?.action, 'pruned');
  assert.ok(await readCm('argo-kept'), 'Prune=false: still in the cluster');
  assert.ok(await readCm('flux-kept'), 'prune: disabled: still in the cluster');
  await eventually('the plain ConfigMap to be pruned', async () =>
    (await readCm('plain')) ? undefined : true,
  );
  assert.equal((await statusOf(keep)).sync, 'OutOfSync', 'Argo CD: out of sync while it expects a prune');
});

test('IgnoreExtraneous: the candidate is listed and kept, the app is Synced, and diff agrees', async () => {
  assert.equal((await syncJson(extra)).code, 0);
  await repo.commit({ 'extra/generated.yaml': null }, 'Stop rendering the generated settings');
  const row = await statusOf(extra);
  assert.equal(row.sync, 'Synced');
  assert.equal(resource(row, 'generated')?.status, 'Extraneous');
  assert.equal(
    resource(row, 'generated')?.outOfStatus,
    'argocd.argoproj.io/compare-options: IgnoreExtraneous',
  );
  const diff = await driftdeck(['diff', extra, '--repo', repo.remote]);
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  assert.match(diff.stdout, /# ConfigMap\/generated Extraneous .*not counted in the app's sync status/);
  assert.equal((await syncJson(extra, '--prune')).code, 0);
  assert.ok(await readCm('generated'), 'kept (Prune=false beside it)');
});

test('Flux ssa Ignore, IfNotPresent, Merge and force: Enabled on the real cluster', async () => {
  const first = await syncJson(flux, '--prune');
  assert.equal(first.code, 0, first.text);
  assert.equal(await readCm('ignored'), undefined, 'ssa: Ignore is never created');
  assert.equal(result(first.record, 'ignored')?.action, 'unchanged');
  assert.equal(
    result(first.record, 'ignored')?.message,
    'not applied: kustomize.toolkit.fluxcd.io/ssa: Ignore',
  );
  assert.equal((await readCm('seeded'))?.data?.token, 'from-git', 'IfNotPresent: created when missing');
  const oldJob = await batch().readNamespacedJob({ name: 'migrate', namespace: ns.name });

  // Another controller rotates the seeded token and labels the merged settings, each under its own field manager.
  await core().patchNamespacedConfigMap({
    name: 'seeded',
    namespace: ns.name,
    fieldManager: 'cert-manager',
    body: [{ op: 'replace', path: '/data/token', value: 'rotated' }],
  });
  await core().patchNamespacedConfigMap({
    name: 'merged',
    namespace: ns.name,
    fieldManager: 'other-tool',
    body: [{ op: 'add', path: '/metadata/labels/team', value: 'payments' }],
  });
  await repo.commit(
    {
      'flux/seeded.yaml': cm(
        'seeded',
        { token: 'from-git-2' },
        { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' },
      ),
      'flux/merged.yaml': cm('merged', { a: '2' }, { 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' }),
      'flux/job.yaml': job('migrate', 'example.test/migrate:v2', {
        'kustomize.toolkit.fluxcd.io/force': 'Enabled',
      }),
    },
    'Rotate, relabel, migrate v2',
  );

  const before = await statusOf(flux);
  assert.equal(resource(before, 'seeded')?.status, 'Synced', 'IfNotPresent: what exists is not drift');
  assert.equal(resource(before, 'ignored')?.status, 'Synced');
  assert.equal(resource(before, 'migrate')?.status, 'OutOfSync');
  assert.match(resource(before, 'migrate')?.message ?? '', /immutable[\s\S]*the sync deletes and creates it/);

  const second = await syncJson(flux, '--prune');
  assert.equal(second.code, 0, second.text);
  assert.equal((await readCm('seeded'))?.data?.token, 'rotated', 'IfNotPresent: never updated after');
  assert.match(result(second.record, 'seeded')?.message ?? '', /not updated: .*IfNotPresent/);
  const merged = await readCm('merged');
  assert.equal(merged?.data?.a, '2', "Merge: the manifest's fields are Git's");
  assert.equal(merged?.metadata?.labels?.team, 'payments', "Merge: another manager's field is kept");
  assert.match(
    result(second.record, 'migrate')?.message ?? '',
    /deleted and created again: an immutable field changed/,
  );
  const newJob = await batch().readNamespacedJob({ name: 'migrate', namespace: ns.name });
  assert.notEqual(newJob.metadata?.uid, oldJob.metadata?.uid, 'a new Job');
  assert.equal(newJob.spec?.template.spec?.containers[0]?.image, 'example.test/migrate:v2');
  assert.equal(await readCm('ignored'), undefined, 'still never created');
});

test('a Job whose template changes without a force option fails its sync with the immutable error, untouched', async () => {
  assert.equal((await syncJson(stiff)).code, 0);
  const old = await batch().readNamespacedJob({ name: 'stiff', namespace: ns.name });
  await repo.commit({ 'stiff/job.yaml': job('stiff', 'example.test/migrate:v2') }, 'Stiff v2');
  const out = await syncJson(stiff);
  assert.equal(out.code, 1, out.text);
  assert.match(out.record.message, /immutable/);
  const now = await batch().readNamespacedJob({ name: 'stiff', namespace: ns.name });
  assert.equal(now.metadata?.uid, old.metadata?.uid, 'not deleted');
});

test('Replace=true: a PUT of the whole object, so a field another manager added is gone; an apply keeps it', async () => {
  const first = await syncJson(replace);
  assert.equal(first.code, 0, first.text);
  assert.match(result(first.record, 'replaced')?.message ?? '', /created, not applied \(.*Replace=true/);
  await core().patchNamespacedConfigMap({
    name: 'replaced',
    namespace: ns.name,
    fieldManager: 'other-tool',
    body: [{ op: 'add', path: '/metadata/labels/team', value: 'payments' }],
  });
  await repo.commit(
    { 'replace/replaced.yaml': cm('replaced', { a: '2' }, { [ARGO]: 'Replace=true,ServerSideApply=true' }) },
    'Replace the settings',
  );
  const diff = await driftdeck(['diff', replace, '--repo', repo.remote]);
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(
    diff.stdout,
    /^-\s+team: payments$/m,
    'the diff is of the PUT: the label another manager added goes',
  );
  const second = await syncJson(replace);
  assert.equal(second.code, 0, second.text);
  assert.match(result(second.record, 'replaced')?.message ?? '', /^replaced, not applied/);
  const now = await readCm('replaced');
  assert.equal(now?.data?.a, '2');
  assert.equal(now?.metadata?.labels?.team, undefined, 'replace drops what the manifest does not state');
  assert.equal(now?.metadata?.labels?.['driftdeck.io/app'], replace, "still carries the app's mark");
});

test('SkipDryRunOnMissingResource=true: a kind nobody serves yet is shown as to be created, not an error', async () => {
  const row = await statusOf(gatekeeper);
  assert.equal(row.error, undefined, JSON.stringify(row.error));
  assert.equal(row.sync, 'OutOfSync');
  assert.match(resource(row, 'no-latest')?.message ?? '', /to be created: the cluster does not serve/);
  const diff = await driftdeck(['diff', gatekeeper, '--repo', repo.remote]);
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(diff.stdout, /name: no-latest/);
  assert.doesNotMatch(diff.stdout + diff.stderr, /is its CRD installed/);
});
