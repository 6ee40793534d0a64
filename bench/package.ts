// The client modules the benchmarks measure: the built package (dist/, what `import 'oss-fetch'`
// loads), unless BENCH_FROM_SOURCE=1 asks for src/ through tsx. tsx compiles src/ with esbuild's
// keepNames, which wraps every closure a request creates in a __name call (0.8% of self time in a
// profile of nodeFetch's gets) that users do not run and that ali-oss, loaded as plain JavaScript,
// does not pay. A dist/ older than src/ is refused (`npm run build:js` rebuilds it in about a
// second; `npm run bench` does so first).
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as RootEntry from '../src/index.js';
import type * as NodeEntry from '../src/adapters/node.js';

const fromSource = process.env.BENCH_FROM_SOURCE === '1';
const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return latest;
}

if (!fromSource) {
  let built = 0;
  try {
    built = Math.min(statSync(at('../dist/index.js')).mtimeMs, statSync(at('../dist/node.js')).mtimeMs);
  } catch {
    // no build: refused below
  }
  if (built < newest(at('../src'))) {
    throw new Error('bench: dist/ is missing or older than src/: run `npm run build:js` first (or BENCH_FROM_SOURCE=1 to measure src/ through tsx)');
  }
}

/** `oss-fetch`: the portable client. */
export const root: typeof RootEntry = await import(fromSource ? '../src/index.js' : '../dist/index.js');
/** `oss-fetch/node`: the Node client and its transport. */
export const nodeEntry: typeof NodeEntry = await import(fromSource ? '../src/adapters/node.js' : '../dist/node.js');
/** Which of the two the numbers are for, for the report. */
export const measured = fromSource ? 'src/ through tsx (BENCH_FROM_SOURCE=1)' : 'the built package (dist/)';
