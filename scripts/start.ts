// `npm start`: the local OSS server (durable, in ./.oss-data, with a `demo` bucket, permissive
// CORS and STS) plus the demo page, whose back end vends short-lived STS keys.
import { startDemo } from '../demo/backend.js';

const demo = await startDemo({
  ossPort: Number(process.env.OSS_PORT ?? 9000),
  demoPort: Number(process.env.DEMO_PORT ?? 5173),
  dir: process.env.OSS_DIR ?? './.oss-data',
});
console.log(`local OSS server: ${demo.ossUrl} (bucket "demo", STS at ${demo.ossUrl}/sts)`);
console.log(`demo page:        ${demo.demoUrl}`);
const stop = async () => {
  await demo.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
