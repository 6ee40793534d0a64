// The few Deno APIs the adapter uses, typed here so the project type-checks without Deno's own
// declarations (the code runs only under Deno, where `Deno` is a global).

export interface DenoFile {
  read(buffer: Uint8Array): Promise<number | null>;
  seek(offset: number, whence: number): Promise<number>;
  stat(): Promise<DenoFileInfo>;
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  close(): void;
}

export interface DenoFileInfo {
  isFile: boolean;
  size: number;
  mtime: Date | null;
}

export interface DenoNamespace {
  open(path: string, options?: { read?: boolean; write?: boolean; create?: boolean; truncate?: boolean; createNew?: boolean }): Promise<DenoFile>;
  stat(path: string): Promise<DenoFileInfo>;
  readFile(path: string): Promise<Uint8Array<ArrayBuffer>>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  env: { get(name: string): string | undefined };
  errors: Record<string, new (...args: never[]) => Error>;
  pid: number;
  args: string[];
  serve(
    options: { port?: number; hostname?: string; signal?: AbortSignal; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void>; addr: { hostname: string; port: number } };
  SeekMode: { Start: number };
}

/** The `Deno` global, or a clear error where there is none. */
export function deno(): DenoNamespace {
  const d = (globalThis as { Deno?: DenoNamespace }).Deno;
  if (!d) throw new Error('oss-fetch/deno runs only under Deno; use oss-fetch or oss-fetch/node elsewhere');
  return d;
}
