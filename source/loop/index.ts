export { type AppsResult, Loop, type LoopOptions } from './loop.js';
