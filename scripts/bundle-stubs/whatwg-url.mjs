// Stands in for the whatwg-url package in the bundle. Its only importer, node-fetch (pulled in by the Kubernetes
// client for its Headers class), takes `Url.URL || whatwgUrl.URL` and Node >= 20 always has `Url.URL`, so the
// package is never used; loading it (and the tr46 tables under it) cost some 40 ms at every start.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export default { URL, URLSearchParams };
