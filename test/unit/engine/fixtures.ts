// Reading the engine's YAML fixtures from test/fixtures/engine.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../../source/engine/types.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/engine');

export function readFixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function loadObject(path: string): KubeObject {
  return parse(readFixture(path)) as KubeObject;
}

/** `<case>-desired.yaml` and `<case>-live.yaml` of a folder; a side whose file is absent is undefined. */
export function loadCase(folder: string, name: string): { desired?: KubeObject; live?: KubeObject } {
  const files = fixtureFiles(folder);
  const side = (suffix: string) =>
    files.includes(`${name}-${suffix}.yaml`) ? loadObject(`${folder}/${name}-${suffix}.yaml`) : undefined;
  return { desired: side('desired'), live: side('live') };
}

export function fixtureFiles(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder)).sort();
}
