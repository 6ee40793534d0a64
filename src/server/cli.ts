// `oss-fetch serve`: run the local OSS server from a terminal.

import { parseArgs } from 'node:util';
import { DEV_CREDENTIALS } from './handler.js';
import { installDevCors } from './cors.js';
import { startServer } from './index.js';
import { SERVE_HELP, USAGE } from './cli-help.js';
import { parseFaults } from './fault-spec.js';
import { listenErrorMessage, prepareDataDir } from './startup-errors.js';
import type { FaultRule } from './faults.js';

/** A mistake in the command line: printed with a pointer to --help, exit code 2. */
class UsageError extends Error {}

/** Run the `oss-fetch` command line (`argv` without node and the script). */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return;
  }
  if (command !== 'serve') {
    console.error(`oss-fetch: unknown command "${command}"\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    await serve(rest);
  } catch (err) {
    // One line, no stack: these are the user's to fix (a flag, a directory, a port).
    const message = err instanceof Error ? err.message : String(err);
    const usage = err instanceof UsageError;
    console.error(`oss-fetch serve: ${message}${usage ? '\nRun "oss-fetch serve --help" for the options.' : ''}`);
    process.exitCode = usage ? 2 : 1;
  }
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string', default: '127.0.0.1' },
  dir: { type: 'string' },
  memory: { type: 'boolean', default: false },
  sink: { type: 'boolean', default: false },
  bucket: { type: 'string', multiple: true },
  region: { type: 'string', default: 'cn-hangzhou' },
  'access-key-id': { type: 'string' },
  'access-key-secret': { type: 'string' },
  cors: { type: 'string', default: 'permissive' },
  faults: { type: 'string', multiple: true },
  'clock-skew': { type: 'string' },
  admin: { type: 'boolean', default: false },
  'callback-host': { type: 'string', multiple: true },
  'account-id': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Host names upload callbacks may go to besides loopback: names only, no scheme or port. */
function callbackHosts(hosts: string[]): string[] {
  for (const host of hosts) {
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(host)) throw new UsageError(`--callback-host takes a host name such as app.internal, got "${host}"`);
  }
  return hosts;
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, strict: true }).values;
  } catch (err) {
    // node:util's messages are long and suggest "--"; say what was wrong in its own terms.
    const code = (err as NodeJS.ErrnoException).code;
    const arg = /'([^']+)'/.exec((err as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option "${arg}"`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument "${arg}"`);
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
}

async function serve(args: string[]): Promise<void> {
  const values = parse(args);
  if (values.help) {
    console.log(SERVE_HELP);
    return;
  }
  const portText = values.port ?? process.env.OSS_PORT ?? '9000';
  const portFlag = values.port !== undefined ? '--port' : process.env.OSS_PORT !== undefined ? 'OSS_PORT' : '--port';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`${portFlag} must be 0-65535, got "${portText}"`);
  if ([values.memory, values.sink, values.dir !== undefined].filter(Boolean).length > 1) throw new UsageError('--dir, --memory and --sink exclude each other');
  const id = values['access-key-id'];
  const secret = values['access-key-secret'];
  if ((id === undefined) !== (secret === undefined)) throw new UsageError('--access-key-id and --access-key-secret go together: give both, or neither for the dev key');
  if (id === '' || secret === '') throw new UsageError('--access-key-id and --access-key-secret must not be empty');
  const cors = values.cors;
  if (cors !== 'permissive' && cors !== 'off') throw new UsageError(`--cors must be "permissive" or "off", got "${cors}"`);
  const faults: FaultRule[] = [];
  for (const spec of values.faults ?? []) {
    try {
      faults.push(...parseFaults(spec));
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const skewText = values['clock-skew'];
  const clockSkew = skewText === undefined ? 0 : Number(skewText);
  if (skewText !== undefined && (!/^[-+]?\d+$/.test(skewText) || !Number.isSafeInteger(clockSkew))) {
    throw new UsageError(`--clock-skew must be a whole number of milliseconds, got "${skewText}"`);
  }

  const dirFlag = values.dir !== undefined ? '--dir' : process.env.OSS_DIR !== undefined ? 'OSS_DIR' : '--dir';
  const dir = values.memory || values.sink ? undefined : values.dir ?? process.env.OSS_DIR ?? './.oss-data';
  if (dir !== undefined) await prepareDataDir(dir, dirFlag);
  // The owner account that role ARNs (acs:ram::<account>:role/…) and policies name.
  const accountId = values['account-id'];
  if (accountId !== undefined && !/^\d{1,32}$/.test(accountId)) throw new UsageError(`--account-id takes the account's digits, got "${accountId}"`);
  const key = id !== undefined ? { accessKeyId: id, accessKeySecret: secret! } : DEV_CREDENTIALS;
  const credentials = [{ ...key, ...(accountId !== undefined ? { ownerId: accountId } : {}) }];
  const host = values.host;
  let server;
  try {
    server = await startServer({
      port, host, dir, sink: values.sink, region: values.region, credentials, buckets: values.bucket ?? [], cors, faults, admin: values.admin,
      callbackHosts: callbackHosts(values['callback-host'] ?? []),
    });
  } catch (err) {
    const message = listenErrorMessage(err, port, host, portFlag === 'OSS_PORT' ? 'OSS_PORT or --port' : '--port');
    if (message) throw new Error(message);
    throw err;
  }
  server.handler.state.faults.clockSkew = clockSkew;
  // `permissive`: the named buckets (and those created later) get the dev CORS rule.
  if (cors === 'permissive') await installDevCors(server.handler.state, values.bucket ?? []);
  const o = server.clientOptions;
  // One write, so whoever watches stdout sees the whole banner at once.
  const lines = [
    `oss-fetch local OSS server listening on ${server.url}`,
    `  storage:           ${dir ? `directory ${dir}` : values.sink ? 'sink (uploads measured and dropped; objects read back as zeros)' : 'memory (lost on exit)'}`,
    `  endpoint:          ${o.endpoint}`,
    `  region:            ${o.region}`,
    `  account:           ${server.handler.state.defaultOwner.id} (role ARNs: acs:ram::${server.handler.state.defaultOwner.id}:role/<name>)`,
    `  accessKeyId:       ${o.accessKeyId}`,
    // The dev secret is public by design; a custom one is the user's own and is not echoed.
    `  accessKeySecret:   ${id !== undefined ? '(as given)' : o.accessKeySecret}`,
    ...(values.bucket?.length ? [`  buckets:           ${values.bucket.join(', ')}`] : []),
    ...(faults.length ? [`  faults:            ${faults.length} rules pending (${faults.map((f) => `${f.kind} x${f.count ?? 1}`).join(', ')})`] : []),
    ...(clockSkew ? [`  clock skew:        ${clockSkew} ms`] : []),
    ...(values.admin ? [`  admin:             ${server.url}/-/faults, ${server.url}/-/clock`] : []),
    `  cors:              ${cors === 'permissive' ? 'permissive (pages on localhost, 127.0.0.1 and [::1], any port)' : 'off (bucket rules only)'}`,
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
    console.error(`oss-fetch: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
