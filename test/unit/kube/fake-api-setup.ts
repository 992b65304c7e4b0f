// The setup shared by the tests of the cluster adapter against a stand-in API server: one server for the test file,
// its record of requests and bodies emptied before each test, and an adapter (no watch) pointed at it.
import { after, before, beforeEach } from 'node:test';
import { KubeCluster } from '../../../source/kube/index.js';
import { type FakeApiServer, startFakeApiServer } from './fake-api-server.js';

/**
 * Starts a stand-in API server before the calling file's tests and closes it after them. Call it at the top level of
 * a test file. `api` reads through to the server once started (reading it earlier throws).
 */
export function startFakeApiServerPerFile(): { api: FakeApiServer; adapter: () => KubeCluster } {
  let server: FakeApiServer | undefined;
  const started = (): FakeApiServer => {
    if (!server)
      throw new Error('the stand-in API server is not started yet (it starts before the first test)');
    return server;
  };
  before(async () => {
    server = await startFakeApiServer();
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    started().requests.length = 0;
    started().bodies.length = 0;
  });
  const api: FakeApiServer = {
    get requests() {
      return started().requests;
    },
    get bodies() {
      return started().bodies;
    },
    get answers() {
      return started().answers;
    },
    get kubeconfig() {
      return started().kubeconfig;
    },
    close: () => started().close(),
  };
  const adapter = () => new KubeCluster({ kubeconfig: api.kubeconfig, watch: false });
  return { api, adapter };
}
