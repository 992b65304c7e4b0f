export { Loop } from './loop.js';
export type { AppsResult, LoopOptions } from './options.js';
