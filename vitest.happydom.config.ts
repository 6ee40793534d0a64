// The conformance suite under happy-dom (its window's fetch, Blob, File…):
// `npx vitest run -c vitest.happydom.config.ts`.
import { defineConfig } from 'vitest/config';
import { conformanceConfig } from './test/conformance/vitest-base.js';

export default defineConfig(
  conformanceConfig('happy-dom', {
    environment: 'happy-dom',
    environmentOptions: {
      happyDOM: {
        // happy-dom keeps any response with an ETag fresh forever (browsers give one without
        // Cache-Control a heuristic lifetime of ~0 here), so a HEAD after a DELETE would read the
        // cache; `no-cache` is the only request setting its cache honours.
        settings: { fetch: { requestHeaders: [{ headers: { 'Cache-Control': 'no-cache' } }] } },
      },
    },
  }),
);
