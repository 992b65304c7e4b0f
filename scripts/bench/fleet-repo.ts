// The fleet's Git repository: `apps` apps of `objects` objects each, spread over a few namespaces, as platform teams
// lay out many small services. Per app: one Deployment of one replica, two Services, and ConfigMaps for the rest
// ("mostly ConfigMaps"). Every app auto-syncs, as an agent-run fleet does. Services are headless: the local API
// server's service range is a /24, far from 2,000 ClusterIPs.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchRepo, createRepo } from './repo.js';

export interface FleetShape {
  apps: number;
  objects: number;
  namespaces: number;
}

export const fleetAppName = (i: number) => `app-${String(i).padStart(4, '0')}`;
export const fleetNamespace = (shape: FleetShape, i: number) =>
  `fleet-${String(i % shape.namespaces).padStart(2, '0')}`;
export const fleetNamespaces = (shape: FleetShape) =>
  Array.from({ length: Math.min(shape.namespaces, shape.apps) }, (_, i) => fleetNamespace(shape, i));

/** The ConfigMap a fleet change edits: the first of app `i`. */
export const fleetChangeFile = (i: number) => `apps/${fleetAppName(i)}/objects.yaml`;

function configMap(app: string, n: number, value: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}-config-${n}
data:
  setting: "${value}"
  owner: ${app}
  tier: ${n % 3 === 0 ? 'gold' : 'standard'}
`;
}

function service(app: string, n: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${app}-svc-${n}
spec:
  clusterIP: None
  selector: { app: ${app} }
  ports:
    - { name: http, port: ${8080 + n}, targetPort: 8080 }
`;
}

function deployment(app: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
spec:
  replicas: 1
  selector: { matchLabels: { app: ${app} } }
  template:
    metadata: { labels: { app: ${app} } }
    spec:
      containers:
        - name: main
          image: registry.fleet.example/${app}:v1
          ports: [{ containerPort: 8080 }]
`;
}

/** One app's objects, as one multi-document file; `value` is the first ConfigMap's setting (what a change edits). */
export function fleetAppFile(app: string, objects: number, value = 'v1'): string {
  const docs = [deployment(app), service(app, 0), service(app, 1)];
  for (let n = 0; docs.length < objects; n++) docs.push(configMap(app, n, n === 0 ? value : 'v1'));
  return docs.slice(0, objects).join('---\n');
}

export function fleetFiles(shape: FleetShape): Map<string, string> {
  const files = new Map<string, string>();
  const entries: string[] = [];
  for (let i = 0; i < shape.apps; i++) {
    const app = fleetAppName(i);
    entries.push(
      `  - { name: ${app}, path: apps/${app}, namespace: ${fleetNamespace(shape, i)}, sync: { auto: true, selfHeal: true } }`,
    );
    files.set(fleetChangeFile(i), fleetAppFile(app, shape.objects));
  }
  files.set('driftdeck.yaml', `apps:\n${entries.join('\n')}\n`);
  return files;
}

export async function createFleetRepo(root: string, shape: FleetShape): Promise<BenchRepo> {
  const folder = join(root, 'fleet');
  await mkdir(folder, { recursive: true });
  return createRepo(folder, fleetFiles(shape));
}
