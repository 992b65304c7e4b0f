// Watches over HTTP/1.1 each hold a socket for as long as they run, one per watched collection: a fleet watches
// many more collections than a socket pool of 64 (52 apps watch about 150). Every watch must start at once, on the
// real API server over TLS, however many run.
import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { test } from 'node:test';
import { RawClient } from '../../source/kube/http.js';
import { kubeConfig } from '../support/cluster.js';

const WATCHES = 80;

test(`${WATCHES} watches at once each get their first event`, { timeout: 120_000 }, async () => {
  const raw = new RawClient(kubeConfig());
  const stop = new AbortController();
  // One signal for every watch of the test (the informers each have their own): no leak warning for it.
  setMaxListeners(WATCHES + 1, stop.signal);
  const started = new Set<number>();
  const allStarted = new Promise<void>((resolve) => {
    for (let i = 0; i < WATCHES; i++) {
      // From resourceVersion 0 the server first sends the object as it is: an ADDED event at once.
      void raw
        .watch(
          '/api/v1/namespaces',
          { fieldSelector: 'metadata.name=default', resourceVersion: '0', timeoutSeconds: 60 },
          (e) => {
            if (e.type !== 'ADDED') return;
            started.add(i);
            if (started.size === WATCHES) resolve();
          },
          stop.signal,
        )
        .catch(() => undefined);
    }
  });
  const waited = await Promise.race([
    allStarted.then(() => 'all started'),
    new Promise<string>((r) => setTimeout(() => r('still waiting'), 30_000)),
  ]);
  stop.abort();
  assert.equal(waited, 'all started', `${started.size} of ${WATCHES} watches started`);
});
