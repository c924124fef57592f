'use strict';
// @latentkit/models is published as ES modules only; this file is what require() finds, so it fails with a way forward
// instead of ERR_PACKAGE_PATH_NOT_EXPORTED.
throw new Error(
  "@latentkit/models is ESM-only: use `import { ... } from '@latentkit/models'` in an ES module (a .mjs file, or \"type\": \"module\" in package.json), " +
    "or `const lk = await import('@latentkit/models')` from CommonJS. See https://nodejs.org/api/esm.html",
);
