// `oss-fetch serve` as a user runs it: a real process, a real port, data kept across restarts.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OSSClient, STS } from '../../src/index.js';
import { creds } from '../helpers/server.js';

const bin = new URL('../../bin/oss-fetch.js', import.meta.url).pathname;

async function serve(args: string[]): Promise<{ child: ChildProcess; endpoint: string; output: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /endpoint:\s+(http:\/\/\S+)/.exec(output);
      if (m && output.includes('cors:')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, endpoint, output };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('oss-fetch serve', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('prints the endpoint and dev credentials, serves requests, and keeps data across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oss-cli-'));
    dirs.push(dir);
    const first = await serve(['--dir', dir, '--bucket', 'demo']);
    expect(first.output).toContain(creds.accessKeyId);
    expect(first.output).toContain(creds.accessKeySecret);
    const client = new OSSClient({ ...creds, endpoint: first.endpoint, bucket: 'demo' });
    await client.put('kept.txt', 'still here');
    await stop(first.child);

    const second = await serve(['--dir', dir]);
    const again = new OSSClient({ ...creds, endpoint: second.endpoint, bucket: 'demo' });
    expect(new TextDecoder().decode((await again.get('kept.txt')).content)).toBe('still here');
    expect((await again.listBuckets()).buckets.map((b) => b.name)).toEqual(['demo']);
    await stop(second.child);
  });

  it('--memory keeps nothing, and a custom secret is not echoed', async () => {
    const s = await serve(['--memory', '--access-key-id', 'custom-id', '--access-key-secret', 'custom-secret-value']);
    expect(s.output).toContain('memory');
    expect(s.output).not.toContain('custom-secret-value');
    const client = new OSSClient({ accessKeyId: 'custom-id', accessKeySecret: 'custom-secret-value', endpoint: s.endpoint });
    await client.putBucket('mem-bucket');
    expect((await client.listBuckets()).buckets.map((b) => b.name)).toEqual(['mem-bucket']);
    await stop(s.child);
  });

  it('--account-id sets the owner account that role ARNs name', async () => {
    const s = await serve(['--memory', '--account-id', '1234567890123']);
    expect(s.output).toContain('acs:ram::1234567890123:role/<name>');
    const sts = new STS({ accessKeyId: 'ossfetch-dev-key', accessKeySecret: 'ossfetch-dev-secret', endpoint: `${s.endpoint}/sts` });
    const { credentials } = await sts.assumeRole('acs:ram::1234567890123:role/uploader', undefined, 900, 'cli-test');
    expect(credentials.SecurityToken).toBeTruthy();
    await expect(sts.assumeRole('acs:ram::1000000000000000:role/uploader', undefined, 900, 'cli-test')).rejects.toMatchObject({ code: 'EntityNotExist.Role' });
    await stop(s.child);
  });

  it('refuses bad arguments', async () => {
    await expect(serve(['--port', 'abc'])).rejects.toThrow(/--port/);
    // A bucket OSS itself would refuse is refused at start, not created.
    await expect(serve(['--memory', '--bucket', 'ab'])).rejects.toThrow(/"ab" is not a valid bucket name/);
    await expect(serve(['--memory', '--bucket', 'Photos'])).rejects.toThrow(/"Photos" is not a valid bucket name/);
    await expect(serve(['--memory', '--sink'])).rejects.toThrow(/exclude each other/);
  });

  it('--sink keeps no bytes: objects read back as zeros of the size sent', async () => {
    const { child, endpoint, output } = await serve(['--sink', '--bucket', 'sunk']);
    try {
      expect(output).toMatch(/storage:\s+sink/);
      const client = new OSSClient({ ...creds, endpoint, region: 'cn-hangzhou', bucket: 'sunk' });
      await client.put('x.txt', 'hello');
      expect(new TextDecoder().decode((await client.get('x.txt')).content)).toBe('\0'.repeat(5));
    } finally {
      await stop(child);
    }
  });
});

/** Run the command to its end: exit code and output. */
function run(command: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, command, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // A command that should have exited but serves instead must not outlive the test.
  const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
  return new Promise((resolve) => child.once('close', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

const cli = (args: string[], env: Record<string, string> = {}) => run([bin, ...args], env);
const tsx = new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url).pathname;
const startScript = new URL('../../scripts/start.ts', import.meta.url).pathname;

/** A port some other listener holds, for as long as the test runs. */
async function busyPort(): Promise<{ port: number; release(): Promise<void> }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as AddressInfo;
  return { port, release: () => new Promise((resolve) => holder.close(() => resolve())) };
}

/** An error fit for a terminal: one line (plus at most a pointer to --help), no stack. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('oss-fetch: help and mistakes', () => {
  it('serve --help and -h print the serve options, environment variables included, and exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await cli(['serve', flag]);
      expect(code).toBe(0);
      for (const option of ['--port', '--dir', '--memory', '--access-key-id', '--cors', '--faults', '--clock-skew', '--admin', 'OSS_PORT', 'OSS_DIR', 'DEMO_PORT']) {
        expect(stdout).toContain(option);
      }
    }
  }, 120_000);

  it('an unknown command says so, prints the usage and exits 2', async () => {
    const { code, stderr } = await cli(['bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "bogus"');
    expect(stderr).toContain('Usage: oss-fetch');
  }, 120_000);

  it('unknown options, stray arguments and bad values say so and exit 2', async () => {
    for (const [args, message] of [
      [['serve', '--bogus'], /unknown option "--bogus"/],
      [['serve', 'extra'], /unexpected argument "extra"/],
      [['serve', '--memory', '--cors', 'wide'], /--cors must be/],
      [['serve', '--memory', '--faults', 'explode'], /unknown fault kind "explode"/],
      [['serve', '--memory', '--faults', 'status:count=0'], /count must be an integer/],
      [['serve', '--memory', '--faults', '[{"kind":"reset","afterByte":3}]'], /unknown field "afterByte"/],
      [['serve', '--memory', '--clock-skew', 'soon'], /--clock-skew must be/],
      [['serve', '--memory', '--callback-host', 'http://app:8080'], /--callback-host takes a host name/],
      [['serve', '--memory', '--account-id', 'acme'], /--account-id takes the account's digits/],
    ] as const) {
      const { code, stderr } = await cli([...args]);
      expect(code, args.join(' ')).toBe(2);
      expectOneLine(stderr, message);
    }
  }, 120_000);

  it('--access-key-id without a secret (or a secret without an id) is refused, not replaced by the dev key', async () => {
    for (const args of [['--access-key-id', 'mine'], ['--access-key-secret', 'shh']]) {
      const { code, stdout, stderr } = await cli(['serve', '--memory', '--port', '0', ...args]);
      expect(code).toBe(2);
      expectOneLine(stderr, /--access-key-id and --access-key-secret go together/);
      expect(stdout).not.toContain('listening');
    }
  }, 120_000);

  it('a --dir it cannot use is one clear line naming the flag, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oss-cli-file-'));
    try {
      const file = join(dir, 'a-file');
      await writeFile(file, 'x');
      const inTheWay = await cli(['serve', '--port', '0', '--dir', join(file, 'data')]);
      expect(inTheWay.code).toBe(1);
      expectOneLine(inTheWay.stderr, /--dir .*a-file\/data: cannot use it as the data directory \(a file is in the way\)/);
      // /sys refuses new directories even to root (read-only or not permitted).
      const refused = await cli(['serve', '--port', '0', '--dir', '/sys/oss-fetch-data']);
      expect(refused.code).toBe(1);
      expectOneLine(refused.stderr, /--dir \/sys\/oss-fetch-data: cannot use it as the data directory \((operation not permitted|permission denied|the file system is read-only)\)/);
      const fromEnv = await cli(['serve', '--port', '0'], { OSS_DIR: join(file, 'data') });
      expectOneLine(fromEnv.stderr, /OSS_DIR .*: cannot use it/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a busy port names the flag or variable that moves it, exit 1', async () => {
    const busy = await busyPort();
    try {
      const flag = await cli(['serve', '--memory', '--port', String(busy.port)]);
      expect(flag.code).toBe(1);
      expectOneLine(flag.stderr, new RegExp(`port ${busy.port} on 127.0.0.1 is in use: choose another with --port`));
      const env = await cli(['serve', '--memory'], { OSS_PORT: String(busy.port) });
      expect(env.code).toBe(1);
      expectOneLine(env.stderr, /is in use: choose another with OSS_PORT/);
    } finally {
      await busy.release();
    }
  }, 120_000);
});

describe('oss-fetch serve --faults, --clock-skew and --admin', () => {
  it('injects the faults given as compact rules and as JSON, in order', async () => {
    const { child, endpoint, output } = await serve([
      '--memory', '--bucket', 'shaky',
      '--faults', 'status:status=503,count=2,method=GET',
      '--faults', '[{"kind":"status","status":429,"method":"GET","keyPrefix":"limited/"}]',
    ]);
    try {
      expect(output).toMatch(/faults:\s+2 rules pending \(status x2, status x1\)/);
      const client = new OSSClient({ ...creds, endpoint, region: 'cn-hangzhou', bucket: 'shaky', retries: 0 });
      await client.put('limited/a.txt', 'a');
      await expect(client.get('limited/a.txt')).rejects.toMatchObject({ status: 503 });
      await expect(client.get('limited/a.txt')).rejects.toMatchObject({ status: 503 });
      await expect(client.get('limited/a.txt')).rejects.toMatchObject({ status: 429 });
      expect(new TextDecoder().decode((await client.get('limited/a.txt')).content)).toBe('a');
    } finally {
      await stop(child);
    }
  }, 120_000);

  it('--clock-skew moves the server clock; --admin serves /-/faults', async () => {
    const day = 86_400_000;
    const { child, endpoint, output } = await serve(['--memory', `--clock-skew=${-day}`, '--admin']);
    try {
      expect(output).toMatch(/clock skew:\s+-86400000 ms/);
      const res = await fetch(`${endpoint}/-/faults`);
      const state = (await res.json()) as { clockSkew: number; pending: unknown[] };
      expect(state).toMatchObject({ clockSkew: -day, pending: [] });
      // The server's Date is a day behind this machine's.
      const serverDate = Date.parse((await fetch(`${endpoint}/`)).headers.get('date')!);
      expect(Date.now() - serverDate).toBeGreaterThan(day / 2);
    } finally {
      await stop(child);
    }
  }, 120_000);
});

describe('npm start', () => {
  /** scripts/start.ts as `npm start` runs it, until it prints its URLs or exits. */
  async function start(env: Record<string, string>): Promise<{ child: ChildProcess; ossUrl: string }> {
    const child = spawn(process.execPath, [tsx, startScript], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    const ossUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not start:\n${output}`)), 30_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /local OSS server: (http:\/\/\S+)[\s\S]*demo page:/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', () => reject(new Error(output)));
    });
    return { child, ossUrl };
  }

  it('on a busy port says which variable moves it (OSS_PORT, DEMO_PORT), exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oss-start-'));
    const busy = await busyPort();
    try {
      const oss = await run([tsx, startScript], { OSS_PORT: String(busy.port), DEMO_PORT: '0', OSS_DIR: dir });
      expect(oss.code).toBe(1);
      expectOneLine(oss.stderr, new RegExp(`the OSS server: port ${busy.port} .*is in use: choose another with OSS_PORT=`));
      const demo = await run([tsx, startScript], { OSS_PORT: '0', DEMO_PORT: String(busy.port), OSS_DIR: dir });
      expect(demo.code).toBe(1);
      expectOneLine(demo.stderr, new RegExp(`the demo page: port ${busy.port} is in use: choose another with DEMO_PORT=`));
    } finally {
      await busy.release();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('lets pages on any local port call the demo bucket (CORS), and no other origin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oss-start-'));
    const { child, ossUrl } = await start({ OSS_PORT: '0', DEMO_PORT: '0', OSS_DIR: dir });
    try {
      const preflight = (origin: string) => fetch(`${ossUrl}/demo/uploads/x.txt`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, x-oss-date, content-type' },
      });
      for (const origin of ['http://localhost:4000', 'http://127.0.0.1:8080', 'https://localhost:3443', 'http://[::1]:5173', 'http://localhost']) {
        const res = await preflight(origin);
        expect(res.status, origin).toBe(200);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      }
      for (const origin of ['http://evil.example', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io:4000']) {
        const res = await preflight(origin);
        expect(res.status, origin).toBe(403);
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
      }
    } finally {
      await stop(child);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
