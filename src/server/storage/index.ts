// Storage entry point. Importing this module never loads `node:*`: the fs store is imported
// only when a directory is asked for, so the handler stays Web-standard for in-process use.
import { MemoryStorage } from './memory.js';
import { SinkStorage } from './sink.js';
import type { Md5Hash } from './digest.js';
import type { ExtendedStorage } from './types.js';

export * from './types.js';
export { digestBody, type ChunkSink, type Md5Hash } from './digest.js';
export { MemoryStorage } from './memory.js';
export { SinkStorage } from './sink.js';
export type { StorageErrorCode } from './semantics.js';
export type { FsStorage } from './fs.js';

export interface OpenStorageOptions {
  /** Root directory of a durable store. */
  dir?: string;
  /** Keep everything in memory (the default when no `dir` is given). */
  memory?: boolean;
  /** Keep no bytes at all: uploads are measured and dropped, objects read back as zeros (benchmarks). */
  sink?: boolean;
  /** For the memory and sink stores: a faster MD5 where the runtime has one (the fs store uses node:crypto itself). */
  md5?: () => Md5Hash;
}

/** Open the storage the server runs on: a durable directory (`dir`) or memory. */
export async function openStorage(options: OpenStorageOptions = {}): Promise<ExtendedStorage> {
  const { dir, memory, sink, md5 } = options;
  if ([dir !== undefined, memory, sink].filter(Boolean).length > 1) throw new Error('openStorage: choose either `dir`, `memory` or `sink`');
  if (sink) return new SinkStorage({ md5 });
  if (dir === undefined) return new MemoryStorage({ md5 });
  const { FsStorage } = await import('./fs.js');
  return FsStorage.open(dir);
}
