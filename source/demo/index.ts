export { DEMO_IDENTITY, type DemoGitOptions, type DemoIdentity } from './git.js';
export { type DemoPaths, demoCacheDir, demoPaths, sampleDir } from './paths.js';
export { DEMO_BRANCH, type SeededDemo, type SeedOptions, seedDemoRepo } from './seed.js';
export { type Change, deleteFile, pushChange, writeFile } from './story.js';
