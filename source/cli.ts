#!/usr/bin/env node
// React picks its build when first loaded: the production one is several times faster per keypress. Setting the
// mode has to happen before any module that imports React is evaluated, hence this two-step start.
process.env.NODE_ENV ??= 'production';
await import('./cli/main.js');
