// The conformance suite in a real Chromium: Debian's /usr/bin/chromium driven by Playwright
// (never a downloaded browser). `npx vitest run -c vitest.browser.config.ts`.
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { conformanceConfig } from './test/conformance/vitest-base.js';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A missing browser fails this suite with the way to get it, never skips it.
if (!existsSync(CHROMIUM)) {
  throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (or point CHROMIUM_PATH at one)`);
}

export default defineConfig(
  conformanceConfig('chromium', {
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
      }),
      instances: [{ browser: 'chromium' }],
    },
  }),
);
