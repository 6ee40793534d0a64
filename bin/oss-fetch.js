#!/usr/bin/env node
// The `oss-fetch` command: in a checkout (sources present) it runs the TypeScript sources, so a
// stale build never answers; an installed package runs its build.
import { existsSync } from 'node:fs';

const source = new URL('../src/server/cli.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import(new URL('../dist/cli.js', import.meta.url).href);
}
cli.main(process.argv.slice(2)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
