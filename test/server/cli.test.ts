// `oss-fetch serve` as a user runs it: a real process, a real port, data kept across restarts.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OSSClient } from '../../src/index.js';
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
