// Stands in for the is-in-ci package in the bundle. Ink reads it once, when it is loaded, and in a CI-marked
// environment (CI or CONTINUOUS_INTEGRATION set) draws only the last frame, when the app exits: a console opened
// in such a shell (a CI runner's debug session, a bastion that exports CI, the tests under `CI=true .ci/run`)
// showed an empty screen until it quit. driftdeck's console is interactive whoever runs it; headless commands do
// not use Ink.
export default false;
