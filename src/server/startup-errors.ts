// One-line reasons for the ways starting the server fails on a user's machine (a data directory
// it cannot use, a port in use), naming the flag or variable that fixes it.

import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

const REASONS: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  ENOENT: 'a parent cannot be created there',
  ENOSPC: 'no space left on the device',
};

const reason = (err: unknown) => REASONS[(err as NodeJS.ErrnoException).code ?? ''] ?? (err as Error).message;

/**
 * Creates `dir` if needed and proves it writable (a probe file), or throws a one-line Error that
 * names `what` (`--dir`, `OSS_DIR`). Missing directories are made one level at a time: a
 * recursive mkdir spins forever under /proc on some Node versions.
 */
export async function prepareDataDir(dir: string, what: string): Promise<void> {
  const fail = (err: unknown): never => {
    throw new Error(`${what} ${dir}: cannot use it as the data directory (${reason(err)})`);
  };
  const missing: string[] = [];
  for (let path = resolve(dir); ; path = dirname(path)) {
    const found = await stat(path).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : fail(err)));
    if (found) {
      if (!found.isDirectory()) fail(Object.assign(new Error(), { code: 'ENOTDIR' }));
      break;
    }
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) await mkdir(path).catch(fail);
  const probe = join(dir, `.oss-fetch-probe-${process.pid}`);
  await open(probe, 'wx').then((file) => file.close(), fail);
  await rm(probe, { force: true });
}

/** A one-line message for a failed listen, or undefined when `err` is not a listen error. */
export function listenErrorMessage(err: unknown, port: number, host: string, moveWith: string): string | undefined {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is in use: choose another with ${moveWith} (0 picks a free one)`;
    case 'EACCES':
      return `no permission to listen on port ${port}: choose one above 1023 with ${moveWith}`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${host}: not an address of this machine`;
    default:
      return undefined;
  }
}
