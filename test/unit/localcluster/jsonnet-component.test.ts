// driftdeck-jsonnet is built like the other tools, from a pinned module, into a cache folder that changes with its
// source; the Go program and the renderer speak the same protocol.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachePaths } from '../../../source/localcluster/paths.js';
import {
  binaryName,
  COMPONENTS,
  type Component,
  componentFolder,
  JSONNET_VERSION,
} from '../../../source/localcluster/versions.js';
import { JSONNET_PROTOCOL } from '../../../source/render/jsonnet.js';

const jsonnet = COMPONENTS.find((c) => c.id === 'driftdeck-jsonnet');

describe('the driftdeck-jsonnet component', () => {
  it('is built from the pinned go-jsonnet into a binary named driftdeck-jsonnet', () => {
    assert.ok(jsonnet);
    assert.equal(jsonnet.rootModule, 'github.com/google/go-jsonnet');
    assert.equal(jsonnet.version, JSONNET_VERSION);
    assert.match(JSONNET_VERSION, /^v\d+\.\d+\.\d+$/);
    assert.deepEqual(jsonnet.packages.map(binaryName), ['driftdeck-jsonnet']);
    assert.match(jsonnet.mainSource ?? '', /^package main$/m);
    assert.match(jsonnet.mainSource ?? '', /"github\.com\/google\/go-jsonnet"/);
  });

  it('speaks the protocol the renderer expects', () => {
    assert.ok(jsonnet?.mainSource?.includes(`const protocol = "${JSONNET_PROTOCOL}"`));
  });

  it('has a cache folder named by its version and its source, so that a changed program is built again', () => {
    assert.ok(jsonnet);
    const folder = componentFolder(jsonnet);
    assert.match(folder, /^driftdeck-jsonnet-v\d+\.\d+\.\d+-[0-9a-f]{12}$/);
    const edited: Component = { ...jsonnet, mainSource: `${jsonnet.mainSource}\n// edited\n` };
    assert.notEqual(componentFolder(edited), folder);
    assert.equal(cachePaths('/cache').bin(jsonnet), `/cache/bin/${folder}`);
    const helm = COMPONENTS.find((c) => c.id === 'helm');
    assert.ok(helm);
    assert.equal(componentFolder(helm), `helm-${helm.version}`, 'upstream tools keep their folder names');
  });
});
