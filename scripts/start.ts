// `npm start`: the local OSS server (durable, in ./.oss-data, with a `demo` bucket and
// permissive CORS) plus the demo page, served by Vite.
import { createServer } from 'vite';
import { startServer } from '../src/server/index.js';

const ossPort = Number(process.env.OSS_PORT ?? 9000);
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
const oss = await startServer({ port: ossPort, dir: process.env.OSS_DIR ?? './.oss-data', buckets: ['demo'], cors: 'permissive' });
const vite = await createServer({
  configFile: false,
  root: 'demo',
  server: { port: demoPort, strictPort: true, host: '127.0.0.1' },
  define: { __OSS_ENDPOINT__: JSON.stringify(oss.url) },
  logLevel: 'warn',
});
await vite.listen();
console.log(`local OSS server: ${oss.url} (bucket "demo", key ${oss.clientOptions.accessKeyId})`);
console.log(`demo page:        http://127.0.0.1:${demoPort}/`);
const stop = async () => {
  await vite.close();
  await oss.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
