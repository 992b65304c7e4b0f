// What `logs` reads on the local cluster: kwok plays the kubelet, and its server answers the API server's
// GET .../pods/{name}/log from files named by a `ClusterLogs` object of the cluster's configuration.
//
// Facts from kwok v0.8.0's source (pkg/kwok/server/debugging_logs.go, pkg/apis/internalversion/object_selector.go):
// - A ClusterLogs selector matches pods by namespace and exact name only (no labels, no images); without a selector
//   it matches every pod. Within `logs`, an entry whose `containers` names the container wins; an entry without
//   `containers` is the default for any other container.
// - The file is read at each request with the kubelet's own reader (k8s.io/cri-client ReadLogs): it must be in the
//   CRI log format (`<RFC 3339 time> stdout|stderr F <text>`); tailLines, limitBytes and follow work as on a kubelet,
//   and a follow stays open and delivers lines appended to the file. `previous=true` reads `previousLogsFile`.
// - kwok does not know a container's state: a container that never started (ImagePullBackOff) is served its file
//   like any other, where a kubelet would refuse with "is waiting to start".
//
// So the logs are chosen by container name: a plausible log for each container of the GadgetGrove demo, and a
// generic one for any other container; each with a previous instance that failed, so "the previous container after
// a restart" can be shown. The files live in driftdeck's cache, one folder per cluster (removed with it), written
// again each time the cluster is started or reused, so a changed text here needs no new cluster.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cachePaths } from './paths.js';

type Stream = 'stdout' | 'stderr';
type Line = [Stream, string] | string;

export interface ContainerLog {
  /** Container names this log is for; empty for the default of any other container. */
  containers: string[];
  /** The file's name stem in the cluster's folder. */
  file: string;
  current: Line[];
  previous: Line[];
}

const err = (text: string): Line => ['stderr', text];

export const CONTAINER_LOGS: readonly ContainerLog[] = [
  {
    containers: ['backend'],
    file: 'backend',
    current: [
      'level=info msg="starting backend" version=v1.0.0 port=8080',
      'level=info msg="loaded configuration" source=backend-config',
      'level=info msg="connecting to database" host=postgres.gadgetgrove.svc user=[from secret backend-db]',
      'level=info msg="database ready" pool=10 latency_ms=4',
      'level=info msg="listening" addr=:8080',
      'level=info msg="request" method=GET path=/healthz status=200 duration_ms=1',
      'level=info msg="request" method=GET path=/api/products status=200 duration_ms=23',
      'level=info msg="request" method=GET path=/api/products/42 status=200 duration_ms=9',
      'level=warn msg="slow query" query=list_orders duration_ms=812',
      'level=info msg="request" method=POST path=/api/orders status=201 duration_ms=57',
      'level=info msg="request" method=GET path=/healthz status=200 duration_ms=1',
    ],
    previous: [
      'level=info msg="starting backend" version=v1.0.0 port=8080',
      'level=info msg="connecting to database" host=postgres.gadgetgrove.svc',
      err(
        'level=error msg="database not reachable" err="dial tcp 10.96.0.15:5432: connect: connection refused" attempt=1',
      ),
      err(
        'level=error msg="database not reachable" err="dial tcp 10.96.0.15:5432: connect: connection refused" attempt=5',
      ),
      err('level=fatal msg="giving up: database not reachable after 5 attempts" exit_code=1'),
    ],
  },
  {
    containers: ['frontend'],
    file: 'frontend',
    current: [
      '> gadgetgrove-frontend@2.3.1 start',
      '> next start -p 3000',
      'ready - started server on 0.0.0.0:3000, url: http://localhost:3000',
      'info  - using backend at http://backend.gadgetgrove.svc',
      'GET / 200 in 41ms',
      'GET /products 200 in 87ms',
      'GET /products/42 200 in 35ms',
      'GET /cart 200 in 22ms',
      'GET / 200 in 12ms',
    ],
    previous: [
      '> gadgetgrove-frontend@2.3.1 start',
      '> next start -p 3000',
      'ready - started server on 0.0.0.0:3000, url: http://localhost:3000',
      err('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'),
      err('npm ERR! code ELIFECYCLE (exit status 134)'),
    ],
  },
  {
    containers: ['cart'],
    file: 'cart',
    current: [
      '2024/05/01 cart v0.9.0 starting',
      '2024/05/01 backend: http://backend.gadgetgrove.svc.cluster.local',
      '2024/05/01 listening on :8080',
      '2024/05/01 GET /healthz 200',
      '2024/05/01 POST /cart/7f3a/items 201 sku=GG-042 qty=1',
      '2024/05/01 GET /cart/7f3a 200 items=1 total=19.90',
      '2024/05/01 GET /healthz 200',
    ],
    previous: [
      '2024/05/01 cart v0.9.0 starting',
      '2024/05/01 backend: http://backend.gadgetgrove.svc.cluster.local',
      err('2024/05/01 price lookup failed: GET http://backend.gadgetgrove.svc.cluster.local/api/prices: 503'),
      err('panic: price cache is empty after 3 retries'),
      err('goroutine 1 [running]:'),
      err('main.main()'),
      err('\t/src/cmd/cart/main.go:57 +0x1d4'),
    ],
  },
  {
    containers: [],
    file: 'default',
    current: [
      'container started',
      'loaded configuration',
      'ready to serve',
      'health check ok',
      'health check ok',
    ],
    previous: [
      'container started',
      err('error: dependency not reachable, retrying'),
      err('error: dependency not reachable after 3 attempts; exiting with code 1'),
    ],
  },
];

/** The folder of one cluster's log files. */
export const podLogsDir = (cluster: string) => join(cachePaths().root, 'pod-logs', cluster);

export const logFile = (dir: string, log: ContainerLog, previous = false) =>
  join(dir, `${log.file}${previous ? '-previous' : ''}.log`);

/** Lines in the CRI log format, one second apart, the last one `endAt`. */
export function criLines(lines: readonly Line[], endAt: Date): string {
  const end = endAt.getTime();
  return lines
    .map((l, i) => {
      const [stream, text] = typeof l === 'string' ? (['stdout', l] as const) : l;
      const at = new Date(end - (lines.length - 1 - i) * 1000).toISOString().replace('Z', '000000Z');
      return `${at} ${stream} F ${text}\n`;
    })
    .join('');
}

/** The ClusterLogs document of the cluster's configuration: every pod, logs chosen by container name. */
export function clusterLogsDocument(dir: string): string {
  const entries = CONTAINER_LOGS.map((log) => {
    const containers = log.containers.length
      ? `  - containers: ${JSON.stringify(log.containers)}\n    `
      : '  - ';
    return `${containers}logsFile: ${JSON.stringify(logFile(dir, log))}
    previousLogsFile: ${JSON.stringify(logFile(dir, log, true))}
    follow: true
`;
  }).join('');
  return `apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: driftdeck-pod-logs
spec:
  logs:
${entries}`;
}

/** Writes the cluster's log files (again): the previous instance ended a minute before the current one began. */
export async function writePodLogs(cluster: string, now = new Date()): Promise<string> {
  const dir = podLogsDir(cluster);
  await mkdir(dir, { recursive: true });
  for (const log of CONTAINER_LOGS) {
    const startedAt = new Date(now.getTime() - log.current.length * 1000);
    await writeFile(logFile(dir, log), criLines(log.current, now));
    await writeFile(logFile(dir, log, true), criLines(log.previous, new Date(startedAt.getTime() - 60_000)));
  }
  return dir;
}

export async function removePodLogs(cluster: string): Promise<void> {
  await rm(podLogsDir(cluster), { recursive: true, force: true });
}
