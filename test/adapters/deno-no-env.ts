// Run without --allow-env: the adapter must say which flag is missing.
import { optionsFromEnv } from '../../src/adapters/deno/index.js';

try {
  optionsFromEnv();
  console.log('NO-ENV-RESULT read the environment without permission');
} catch (err) {
  const e = err as { code?: string; message?: string };
  console.log(`NO-ENV-RESULT ${e.code}: ${e.message}`);
}
