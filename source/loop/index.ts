export { type AppsResult, formatError, Loop, type LoopOptions } from './loop.js';
