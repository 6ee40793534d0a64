// The local OSS server in a child process (so its memory is not counted as the client's), on a
// free port, storing into `--dir`, `--memory` or `--sink` (bytes measured and dropped). Shared by the benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export function startChildServer(storage: { dir: string } | { memory: true } | { sink: true }, bucket: string): Promise<ChildServer> {
  const bin = fileURLToPath(new URL('../bin/oss-fetch.js', import.meta.url));
  const where = 'dir' in storage ? ['--dir', storage.dir] : 'sink' in storage ? ['--sink'] : ['--memory'];
  return startListening([bin, 'serve', '--port', '0', ...where, '--bucket', bucket]);
}

/** `node <args>` in a child process that prints "listening on <url>" once it serves: its URL and a stop(). */
export async function startListening(args: string[]): Promise<ChildServer> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let banner = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(banner);
      if (m) resolve(m[1]!);
    });
  });
  return {
    url,
    process: child,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}
