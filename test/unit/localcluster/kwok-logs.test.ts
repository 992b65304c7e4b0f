// The pod logs of the local cluster: the ClusterLogs document kwok is given, the log files it names (CRI format, as
// the kubelet's reader wants them), and which file a container gets, chosen as kwok v0.8.0 chooses
// (pkg/kwok/server/debugging_logs.go findLogInLogs: a named container wins, an entry without containers is the
// default).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  CONTAINER_LOGS,
  clusterLogsDocument,
  criLines,
  podLogsDir,
  removePodLogs,
  writePodLogs,
} from '../../../source/localcluster/kwok-logs.js';

interface LogEntry {
  containers?: string[];
  logsFile: string;
  previousLogsFile: string;
  follow: boolean;
}

/** kwok's choice of a log entry for a container. */
function entryFor(entries: LogEntry[], container: string): LogEntry | undefined {
  let fallback: LogEntry | undefined;
  for (const e of entries) {
    if (!e.containers?.length) {
      fallback ??= e;
      continue;
    }
    if (e.containers.includes(container)) return e;
  }
  return fallback;
}

/** RFC 3339 time, stream, the full-line tag F, the text: the CRI log line the kubelet's reader parses. */
const CRI_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) F (.*)$/;

let root: string;
const saved = process.env.DRIFTDECK_CACHE_DIR;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'driftdeck-logs-'));
  process.env.DRIFTDECK_CACHE_DIR = root;
});
after(async () => {
  if (saved === undefined) delete process.env.DRIFTDECK_CACHE_DIR;
  else process.env.DRIFTDECK_CACHE_DIR = saved;
  await rm(root, { recursive: true, force: true });
});

describe('pod logs of the local cluster', () => {
  it('one ClusterLogs for every pod: each demo container its own files, any other container the default', () => {
    const dir = podLogsDir('demo');
    const doc = parse(clusterLogsDocument(dir)) as {
      apiVersion: string;
      kind: string;
      spec: { selector?: unknown; logs: LogEntry[] };
    };
    assert.equal(doc.apiVersion, 'kwok.x-k8s.io/v1alpha1');
    assert.equal(doc.kind, 'ClusterLogs');
    assert.equal(doc.spec.selector, undefined, 'no selector: every pod of every namespace');
    const logs = doc.spec.logs;
    assert.equal(entryFor(logs, 'backend')?.logsFile, join(dir, 'backend.log'));
    assert.equal(entryFor(logs, 'backend')?.previousLogsFile, join(dir, 'backend-previous.log'));
    assert.equal(entryFor(logs, 'cart')?.logsFile, join(dir, 'cart.log'));
    assert.equal(entryFor(logs, 'frontend')?.logsFile, join(dir, 'frontend.log'));
    assert.equal(entryFor(logs, 'sidecar')?.logsFile, join(dir, 'default.log'));
    assert.equal(entryFor(logs, 'sidecar')?.previousLogsFile, join(dir, 'default-previous.log'));
    for (const e of logs) assert.ok(e.logsFile.startsWith(root), 'the files are in driftdeck cache');
  });

  it('a folder path with quotes or spaces stays one YAML string', () => {
    const dir = '/tmp/a "b"/c: d';
    const doc = parse(clusterLogsDocument(dir)) as { spec: { logs: LogEntry[] } };
    assert.equal(entryFor(doc.spec.logs, 'x')?.logsFile, join(dir, 'default.log'));
  });

  it('CRI lines: one per text, stderr kept, one second apart, the last at the given time', () => {
    const text = criLines(['a', ['stderr', 'b c'], 'd'], new Date('2026-01-02T03:04:05.000Z'));
    const lines = text.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    const parsed = lines.map((l) => CRI_LINE.exec(l)?.slice(1));
    assert.deepEqual(parsed, [
      ['2026-01-02T03:04:03.000000000Z', 'stdout', 'a'],
      ['2026-01-02T03:04:04.000000000Z', 'stderr', 'b c'],
      ['2026-01-02T03:04:05.000000000Z', 'stdout', 'd'],
    ]);
  });

  it('writes every file in CRI format; the previous instance ended before the current one began', async () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const dir = await writePodLogs('demo', now);
    assert.equal(dir, podLogsDir('demo'));
    for (const log of CONTAINER_LOGS) {
      const current = (await readFile(join(dir, `${log.file}.log`), 'utf8')).trimEnd().split('\n');
      const previous = (await readFile(join(dir, `${log.file}-previous.log`), 'utf8')).trimEnd().split('\n');
      assert.equal(current.length, log.current.length);
      assert.equal(previous.length, log.previous.length);
      for (const l of [...current, ...previous]) assert.match(l, CRI_LINE, log.file);
      const time = (l: string) => Date.parse(CRI_LINE.exec(l)?.[1] ?? '');
      assert.equal(time(current.at(-1) ?? ''), now.getTime());
      assert.ok(time(previous.at(-1) ?? '') < time(current[0] ?? ''), `${log.file}: previous comes first`);
      assert.ok(
        previous.some((l) => / stderr F /.test(l)),
        `${log.file}: the previous instance shows its failure`,
      );
    }
    await removePodLogs('demo');
    await assert.rejects(readFile(join(dir, 'default.log')));
  });
});
