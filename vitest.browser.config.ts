// The conformance suite in a real Chromium: Debian's /usr/bin/chromium driven by Playwright
// (never a downloaded browser). `npx vitest run -c vitest.browser.config.ts`.
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { conformanceConfig } from './test/conformance/vitest-base.js';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

export default defineConfig(
  conformanceConfig('chromium', {
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
      }),
      instances: [{ browser: 'chromium' }],
    },
  }),
);
