// predictApply on a fake cluster: which failed predictions are remembered (the object's fault) and which are asked
// again (the connection's or the server's), and how the server's warnings join the note.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplyOptions, ClusterPort } from '../../../source/engine/ports.js';
import type { KubeObject } from '../../../source/engine/types.js';
import { predictApply } from '../../../source/loop/conflicts.js';

const widget: KubeObject = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'gear', namespace: 'shop' },
  spec: { colr: 'blue' },
};

class Failure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** A cluster whose dry-run apply answers with `answer` (thrown when it is an Error), after sending `warnings`. */
function clusterAnswering(answer: KubeObject | Error, warnings: string[][] = []): ClusterPort {
  const apply = async (_obj: KubeObject, opts: ApplyOptions) => {
    for (const w of warnings) opts.onWarnings?.(w);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { apply } as unknown as ClusterPort;
}

describe('predictApply', () => {
  it('remembers a schema mismatch the server reports as a 500: asking again gets the same answer', async () => {
    const message =
      'failed to create typed patch object (shop/gear; example.com/v1, Kind=Widget): .spec.colr: field not declared in schema';
    const p = await predictApply(clusterAnswering(new Failure(500, '500', message)), widget, widget);
    assert.equal(p.transient, false);
    assert.equal(p.object, undefined);
    assert.equal(p.note, message);
  });

  it('asks again after a server error or a lost connection', async () => {
    const etcd = await predictApply(
      clusterAnswering(new Failure(500, 'InternalError', 'etcdserver: request timed out')),
      widget,
      widget,
    );
    assert.equal(etcd.transient, true);
    const gone = await predictApply(
      clusterAnswering(new Failure(0, 'ECONNREFUSED', 'connect ECONNREFUSED')),
      widget,
      widget,
    );
    assert.equal(gone.transient, true);
    const notError = await predictApply(clusterAnswering(new Error('socket hang up')), widget, widget);
    assert.equal(notError.transient, true);
  });

  it('remembers a refusal of the object itself (4xx)', async () => {
    const p = await predictApply(
      clusterAnswering(
        new Failure(422, 'Invalid', 'Widget.example.com "gear" is invalid: spec.size: Invalid value'),
      ),
      widget,
      widget,
    );
    assert.equal(p.transient, false);
    assert.match(p.note ?? '', /spec\.size: Invalid value/);
  });

  it("adds the server's warnings to the note, each once", async () => {
    const p = await predictApply(
      clusterAnswering(widget, [
        ['example.com/v1 Widget is deprecated'],
        ['example.com/v1 Widget is deprecated'],
      ]),
      widget,
      widget,
    );
    assert.equal(p.object, widget);
    assert.equal(p.note, 'server warning: example.com/v1 Widget is deprecated');
    const quiet = await predictApply(clusterAnswering(widget), widget, widget);
    assert.equal(quiet.note, undefined);
  });
});
