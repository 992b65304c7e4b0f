import { join } from 'node:path';
import type { AppSpec, RendererOptions } from '../../../source/engine/types.js';

/** The render fixtures folder doubles as a repository checkout; each fixture folder is an app path in it. */
export const renderFixtures = join(import.meta.dirname, '../../fixtures/render');

export function makeApp(
  path: string,
  renderer: RendererOptions = { type: 'auto' },
  name = 'backend',
): AppSpec {
  return {
    name,
    path,
    namespace: 'shop',
    renderer,
    sync: { auto: false, prune: false, selfHeal: false },
    ignore: [],
  };
}
