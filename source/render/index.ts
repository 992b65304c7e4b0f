export { type ConfinedPath, confinePath, isInside, repoRoot } from './confine.js';
export { chooseRenderer, KUSTOMIZATION_FILES, type RendererChoice } from './detect.js';
export { parseManifests } from './manifests.js';
export { flushParseCaches, ManifestCache, type RenderOptions } from './parse-cache.js';
export { ParsePool, sharedParsePool } from './parse-pool.js';
export { renderApp } from './render-app.js';
export { RenderFailure } from './render-failure.js';
export type { RenderTools, ToolOptions } from './run-tool.js';
