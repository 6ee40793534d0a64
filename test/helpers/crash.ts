// Deterministic kill -9 for the storage crash tests: the child process counts its own file-system
// writes (open, write, sync, rename, rm, truncate, mkdir…) from the moment it calls `armCrash()`,
// and SIGKILLs itself just before the `killAt`-th one. The same kill point lands on the same
// write on every run, so a failure replays; the kill points come from a seeded generator.
import { spawn } from 'node:child_process';

/**
 * Child source that installs the counting wrappers; it must run before the storage module is
 * imported (it updates the named exports of node:fs/promises in place).
 */
export function crashPrelude(killAt: number): string {
  return `
    const { createRequire, syncBuiltinESMExports } = await import('node:module');
    const fsp = createRequire(process.cwd() + '/')('node:fs/promises');
    let armed = false;
    let writes = 0;
    globalThis.armCrash = () => void (armed = true);
    const step = () => {
      if (armed && ++writes >= ${killAt}) process.kill(process.pid, 'SIGKILL');
    };
    const wrap = (owner, name) => {
      const original = owner[name];
      owner[name] = function (...args) {
        step();
        return original.apply(this, args);
      };
    };
    for (const name of ['open', 'rename', 'rm', 'truncate', 'mkdir', 'writeFile', 'appendFile']) wrap(fsp, name);
    const probe = await fsp.open(process.execPath, 'r');
    const handle = Object.getPrototypeOf(probe);
    await probe.close();
    for (const name of ['write', 'writev', 'writeFile', 'appendFile', 'sync', 'datasync', 'truncate']) wrap(handle, name);
    syncBuiltinESMExports();
  `;
}

/**
 * Runs `source` (module code, tsx available) in a child and waits for it to die by its own
 * SIGKILL; returns the lines it printed. A child that ends any other way fails the test.
 */
export async function runUntilKilled(source: string, cwd: string, track: (kill: () => void) => void): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  track(() => child.kill('SIGKILL')); // never outlive a failed test
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (c, s) => done([c, s])));
  if (signal !== 'SIGKILL') throw new Error(`the child was to kill itself, but exited with ${signal ?? code}: ${stderr}`);
  return stdout.split('\n').filter(Boolean);
}
