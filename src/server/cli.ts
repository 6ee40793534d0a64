// `oss-fetch serve`: run the local OSS server from a terminal.

import { parseArgs } from 'node:util';
import { DEV_CREDENTIALS } from './handler.js';
import { installDevCors } from './cors.js';
import { startServer } from './index.js';

const USAGE = `Usage: oss-fetch serve [--port 9000] [--host 127.0.0.1] [--dir ./.oss-data | --memory | --sink]
                      [--bucket NAME]... [--region cn-hangzhou]
                      [--access-key-id ID --access-key-secret SECRET] [--cors permissive|off]`;

export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'serve') {
    console.log(USAGE);
    process.exitCode = command === undefined || command === '--help' || command === '-h' ? 0 : 2;
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string', default: '9000' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string' },
      memory: { type: 'boolean', default: false },
      sink: { type: 'boolean', default: false },
      bucket: { type: 'string', multiple: true },
      region: { type: 'string', default: 'cn-hangzhou' },
      'access-key-id': { type: 'string' },
      'access-key-secret': { type: 'string' },
      cors: { type: 'string', default: 'permissive' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  if ([values.memory, values.sink, values.dir !== undefined].filter(Boolean).length > 1) throw new Error('--dir, --memory and --sink exclude each other');
  const custom = values['access-key-id'] && values['access-key-secret'];
  const credentials = custom ? [{ accessKeyId: values['access-key-id']!, accessKeySecret: values['access-key-secret']! }] : [DEV_CREDENTIALS];
  const dir = values.memory || values.sink ? undefined : values.dir ?? './.oss-data';
  const cors = values.cors;
  if (cors !== 'permissive' && cors !== 'off') throw new Error('--cors must be "permissive" or "off"');
  const server = await startServer({ port, host: values.host, dir, sink: values.sink, region: values.region, credentials, buckets: values.bucket ?? [], cors });
  // `permissive`: the named buckets (and those created later) get an allow-all CORS rule.
  if (cors === 'permissive') await installDevCors(server.handler.state, values.bucket ?? []);
  const o = server.clientOptions;
  // One write, so whoever watches stdout sees the whole banner at once.
  const lines = [
    `oss-fetch local OSS server listening on ${server.url}`,
    `  storage:           ${dir ? `directory ${dir}` : values.sink ? 'sink (uploads measured and dropped; objects read back as zeros)' : 'memory (lost on exit)'}`,
    `  endpoint:          ${o.endpoint}`,
    `  region:            ${o.region}`,
    `  accessKeyId:       ${o.accessKeyId}`,
    // The dev secret is public by design; a custom one is the user's own and is not echoed.
    `  accessKeySecret:   ${custom ? '(as given)' : o.accessKeySecret}`,
    ...(values.bucket?.length ? [`  buckets:           ${values.bucket.join(', ')}`] : []),
    `  cors:              ${cors === 'permissive' ? 'permissive (an allow-all rule on every bucket it creates)' : 'off (bucket rules only)'}`,
  ];
  console.log(lines.join('\n'));
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Run when executed directly (node dist/cli.js, tsx src/server/cli.ts).
const invoked = process.argv[1] ?? '';
if (/cli\.(ts|js|mjs)$/.test(invoked)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
