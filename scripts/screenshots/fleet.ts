// The fleet console for the screenshots (as test/e2e/fleet-console.test.ts sets one up): after the broken release,
// the demo repository rolls backend back, moves frontend to a new version (left OutOfSync: its sync is manual) and
// gives three apps of their own to a second cluster (auto-synced); one console over both clusters, `--context a,b`
// with both contexts in one kubeconfig, shows the apps grouped under a row per cluster.
import { readFile, writeFile as writeText } from 'node:fs/promises';
import { join } from 'node:path';
import { pushChange, writeFile } from '../../source/demo/index.js';
import { appRow, paneText } from '../../test/e2e/screen.js';
import type { TmuxSession } from '../../test/e2e/tmux.js';
import { mergedKubeconfig } from '../../test/support/cluster.js';
import type { Camera } from './camera.js';

export interface ClusterRef {
  kubeconfig: string;
  context: string;
}

/** The demo's apps (on the first cluster, which takes the apps naming none) and those of the second. */
const FIRST = ['backend', 'frontend', 'cart'];
const SECOND = [
  { name: 'payments', image: 'registry.gadgetgrove.example/payments:v3.2.0', replicas: 2 },
  { name: 'search', image: 'registry.gadgetgrove.example/search:v1.8.4', replicas: 2 },
  { name: 'mailer', image: 'registry.gadgetgrove.example/mailer:v0.9.1', replicas: 1 },
];
const ROLLBACK = {
  file: 'apps/backend/deployment.yaml',
  replace: ['backend:v1.0.2-broken', 'backend:v1.0.1-security-patch'] as [string, string],
  message: 'Roll backend back to v1.0.1-security-patch',
};
const FRONTEND_RELEASE = {
  file: 'apps/frontend/deployment.yaml',
  replace: ['frontend:v2.3.1', 'frontend:v2.4.0'] as [string, string],
  message: 'Frontend v2.4.0',
};

/** One file per app: its own namespace (made first) and a Deployment. */
function manifests(app: (typeof SECOND)[number]): string {
  const labels = `app.kubernetes.io/name: ${app.name}\n`;
  return [
    'apiVersion: v1\nkind: Namespace\nmetadata:\n',
    `  name: ${app.name}\n  annotations:\n    driftdeck.io/sync-wave: "-1"\n---\n`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app.name}\n  labels:\n    ${labels}`,
    `spec:\n  replicas: ${app.replicas}\n  selector:\n    matchLabels:\n      ${labels}`,
    `  template:\n    metadata:\n      labels:\n        ${labels}    spec:\n      containers:\n`,
    `        - name: ${app.name}\n          image: ${app.image}\n`,
  ].join('');
}

/** The commits a person would push: the rollback, the frontend release, the second cluster's apps. */
export async function pushFleetChanges(workdir: string, second: string): Promise<void> {
  await pushChange(workdir, ROLLBACK);
  await pushChange(workdir, FRONTEND_RELEASE);
  for (const app of SECOND)
    await writeFile(workdir, `apps/${app.name}/${app.name}.yaml`, manifests(app), `Add ${app.name}`);
  const apps = SECOND.map(
    (app) =>
      `  - name: ${app.name}\n    path: apps/${app.name}\n    namespace: ${app.name}\n` +
      `    cluster: ${second}\n    sync: { auto: true, prune: false, selfHeal: false }\n`,
  ).join('');
  const config = await readFile(join(workdir, 'driftdeck.yaml'), 'utf8');
  await writeFile(
    workdir,
    'driftdeck.yaml',
    `${config.trimEnd()}\n${apps}`,
    `Run ${SECOND.map((a) => a.name).join(', ')} on ${second}`,
  );
}

/** Both clusters' contexts in one kubeconfig file, as a person with several clusters has them. */
export async function mergeKubeconfigs(first: ClusterRef, second: ClusterRef, file: string): Promise<void> {
  await writeText(file, mergedKubeconfig(first, second).exportConfig(), { mode: 0o600 });
}

/** The app's row reads `<app> <cluster> <sync> <health>`. */
const shows = (screen: string, app: string, sync: string, health: string) =>
  new RegExp(`^[> ] ${app}\\s+\\S+\\s+${sync}\\s+${health}(\\s|$)`).test(appRow(screen, app) ?? '');

export async function playFleet(
  tty: TmuxSession,
  camera: Camera,
  first: string,
  second: string,
): Promise<void> {
  await tty.waitForScreen(
    "both clusters connected, the second cluster's apps synced by themselves",
    (s) =>
      s.includes(`[${first}] connected`) &&
      s.includes(`[${second}] connected`) &&
      SECOND.every((app) => shows(s, app.name, 'Synced', 'Healthy')) &&
      shows(s, 'backend', 'OutOfSync', '\\S+') &&
      shows(s, 'frontend', 'OutOfSync', 'Healthy'),
    180_000,
  );

  // The rollback synced from the keyboard: backend is the first app of the first cluster's group.
  await tty.press('1', 'g');
  await tty.waitForText(/^[│║]> backend\s/m);
  await tty.press('s');
  await tty.waitForText(/Sync backend on \S+\?/);
  await tty.press('y');
  await tty.waitForScreen(
    'backend Synced and Healthy',
    (s) => shows(s, 'backend', 'Synced', 'Healthy'),
    120_000,
  );

  // frontend selected (the sync left the focus on the rollout log): its diff, the new image not synced yet, and
  // its history loaded.
  await tty.press('1', 'j');
  await tty.waitForScreen(
    'frontend selected, its diff and history shown',
    (s) =>
      /^[│║]> frontend\s/m.test(s) &&
      paneText(s, '2 Diff: frontend').some((l) => /\+ +image: .*frontend:v2\.4\.0/.test(l)) &&
      paneText(s, '4 History: frontend').some((l) => /Frontend v2\.4\.0/.test(l)),
    30_000,
  );
  await camera.shoot(tty, '12-fleet', [
    new RegExp(`\\[${first}\\] connected, 3 apps`),
    new RegExp(`\\[${second}\\] connected, 3 apps`),
    /CLUSTER/,
    ...FIRST.filter((app) => app !== 'frontend').map(
      (app) => new RegExp(`${app}\\s+\\S+\\s+Synced\\s+Healthy`),
    ),
    /> frontend\s+\S+\s+OutOfSync\s+Healthy/,
    ...SECOND.map((app) => new RegExp(`${app.name}\\s+${second.slice(0, 12)}\\S*\\s+Synced\\s+Healthy`)),
    /\+ +image: .*frontend:v2\.4\.0/,
    /4 History: frontend/,
  ]);
  // Each app under its own cluster's row: the first cluster's group, then the second's.
  const lines = (await tty.screen()).split('\n').map((line) => line.replace(/^[│║]/, ''));
  const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
  const order = [
    at(new RegExp(`\\[${first}\\]`)),
    ...FIRST.map((app) => at(new RegExp(`^[> ] ${app}\\s`))),
    at(new RegExp(`\\[${second}\\]`)),
    ...SECOND.map((app) => at(new RegExp(`^[> ] ${app.name}\\s`))),
  ];
  if (order.some((row, i) => row < 0 || (i > 0 && row <= (order[i - 1] ?? 0))))
    throw new Error(`12-fleet: the apps are not grouped under their clusters:\n${lines.join('\n')}`);
  await tty.press('q');
  await tty.waitForText(/^EXITED 0$/m, 15_000);
}
