// The resources view in the console benchmark (issue 13): Enter on the first app opens a tree of 3,000 Pods, `j`
// moves through it (each press timed to the frame showing the new selection), then the console sits still with the
// tree open, with a pod's events open, and with the pod's log followed (a stream that stays open and brings nothing
// new), counting what it writes. Run by console-run.ts with `--tree`, against the fake controller.
import type { FakeController } from '../../test/unit/ui/fake-controller.js';
import { appName } from './console-fleet.js';
import type { BenchStdin, BenchStdout } from './console-term.js';
import { benchEvents, benchTree, LOG_LINES, PODS, rowLabels } from './console-tree.js';
import { now, sleep } from './stats.js';

export interface IdleWindow {
  from: number;
  ms: number;
  frames: number;
  bytes: number;
  publishes: number;
}

export interface TreeRun {
  pods: number;
  rows: number;
  /** Enter on the app to the frame with the tree's rows. */
  openMs: number;
  /** Per `j` press inside the tree, to the frame showing the new selection. */
  keyMs: number[];
  /** Frames and bytes written over all the presses (what Ink turned into text for them). */
  keyFrames: number;
  keyBytes: number;
  /** `l` on a pod to the frame with its log lines. */
  logsOpenMs: number;
  treeIdle: IdleWindow;
  eventsIdle: IdleWindow;
  logsIdle: IdleWindow;
  /** Reads the views made while each window ran (the fake controller counts them). */
  reads: { tree: number; events: number; logs: number; openLogs: number };
  /** Log streams still open after the view was closed (0 when Esc stopped it). */
  openLogsAfterClose: number;
}

const regexText = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The frame shows `label` on the selected row (`> ` then the depth's indent). */
export const selected = (label: string) => {
  const re = new RegExp(`> +(└ )?${regexText(label)}(?![\\w-])`);
  return (text: string) => re.test(text);
};

export async function measureTree(
  controller: FakeController,
  stdout: BenchStdout,
  stdin: BenchStdin,
  presses: number,
  idle: () => Promise<IdleWindow>,
): Promise<TreeRun> {
  const app = appName(0);
  const at = new Date().toISOString();
  const tree = benchTree(app, at);
  const labels = rowLabels(tree);
  controller.trees = { [app]: tree };
  controller.eventItems = benchEvents(at);
  controller.logLines = LOG_LINES;
  controller.logsEnd = false;
  const reads = () => ({
    tree: controller.callsTo('tree').length,
    events: controller.callsTo('events').length,
    logs: controller.callsTo('logs').length,
    openLogs: controller.openLogs.size,
  });

  const opened = stdout.nextFrame(selected(labels[0]!));
  let t = now();
  stdin.write('\r');
  const openMs = (await opened) - t;
  await sleep(1000);

  const keyMs: number[] = [];
  const pressed = await stdout.count(async () => {
    for (let i = 1; i <= presses; i++) {
      const shown = stdout.nextFrame(selected(labels[i]!));
      t = now();
      stdin.write('j');
      keyMs.push((await shown) - t);
    }
  });
  const pod = labels[presses]!;
  if (!pod.startsWith('Pod/')) throw new Error(`the tree run ends on ${pod}, not on a pod`);
  // Past the tree's 2 s tick, so the window sees the reads of a settled view.
  await sleep(2500);
  let before = reads();
  const treeIdle = await idle();
  const treeReads = reads().tree - before.tree;

  const events = stdout.nextFrame((text) => text.includes(`Events of Pod shop/${pod.slice(4)}`));
  stdin.write('e');
  await events;
  await sleep(2500);
  before = reads();
  const eventsIdle = await idle();
  const eventReads = reads().events - before.events;
  const back = stdout.nextFrame((text) => text.includes(`Resources: ${app}`));
  stdin.write('\x1b');
  await back;
  await sleep(200);

  const logs = stdout.nextFrame((text) => text.includes(LOG_LINES.at(-1)!));
  t = now();
  stdin.write('l');
  const logsOpenMs = (await logs) - t;
  await sleep(2500);
  before = reads();
  const logsIdle = await idle();
  const during = reads();
  const closed = stdout.nextFrame((text) => text.includes(`Resources: ${app}`));
  stdin.write('\x1b');
  await closed;
  // The frame comes before React runs the effect cleanup that stops the stream.
  await sleep(200);
  return {
    pods: PODS,
    rows: labels.length,
    openMs,
    keyMs,
    keyFrames: pressed.frames,
    keyBytes: pressed.bytes,
    logsOpenMs,
    treeIdle,
    eventsIdle,
    logsIdle,
    reads: {
      tree: treeReads,
      events: eventReads,
      logs: during.logs - before.logs,
      openLogs: during.openLogs,
    },
    openLogsAfterClose: controller.openLogs.size,
  };
}
