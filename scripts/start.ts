// `npm start`: the local OSS server (durable, in ./.oss-data, with a `demo` bucket whose CORS
// rule lets pages on localhost call it, and STS) plus the demo page, whose back end vends
// short-lived STS keys. OSS_PORT, DEMO_PORT and OSS_DIR move its ports and data directory.
import { startDemo } from '../demo/backend.js';
import { listenErrorMessage, prepareDataDir } from '../src/server/startup-errors.js';

function portFrom(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 65535) fail(`${name} must be a port number 0-65535, got "${text}"`);
  return Number(text);
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

const ossPort = portFrom('OSS_PORT', 9000);
const demoPort = portFrom('DEMO_PORT', 5173);
const dir = process.env.OSS_DIR || './.oss-data';
try {
  await prepareDataDir(dir, 'OSS_DIR');
  const demo = await startDemo({ ossPort, demoPort, dir });
  console.log(`local OSS server: ${demo.ossUrl} (bucket "demo", STS at ${demo.ossUrl}/sts)`);
  console.log(`demo page:        ${demo.demoUrl}`);
  const stop = async () => {
    await demo.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  // The OSS server listens first (node:http's error names its port); Vite's says "Port N is already in use".
  const vitePort = /^Port (\d+) is already in use/.exec((err as Error).message);
  if (vitePort) fail(`the demo page: port ${vitePort[1]} is in use: choose another with DEMO_PORT=<port> npm start (0 picks a free one)`);
  const message = listenErrorMessage(err, ossPort, '127.0.0.1', 'OSS_PORT=<port> npm start');
  fail(message ? `the OSS server: ${message}` : (err as Error).message);
}
