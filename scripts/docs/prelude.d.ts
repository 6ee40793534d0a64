// Names a `partial` block of the docs may use without defining them (docs/development.md,
// "Code blocks in the docs"): the things a fragment stands in the middle of. Complete blocks
// define what they use.
import type { OSSClient } from './src/index.ts';

declare global {
  /** A client with the long-term key (or STS keys), as built in the README. */
  const client: OSSClient;
  /** The owner's client, for one-time set-up such as a bucket's CORS rule. */
  const owner: OSSClient;
  /** Options of a client. */
  const options: ConstructorParameters<typeof OSSClient>[0];
  /** Keys, from your configuration. */
  const accessKeyId: string;
  const accessKeySecret: string;
  /** A file the user picked. */
  const file: File;
  /** Any body `put` takes. */
  const body: Blob | Uint8Array | string | ReadableStream<Uint8Array>;
  /** A file handle from the File System Access API. */
  const handle: { createWritable(): Promise<WritableStream<Uint8Array>> };
  /** The File System Access API's save dialog (Chromium). */
  function showSaveFilePicker(): Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
  /** A version id from an earlier listing. */
  const versionId: string;
  /** A checkpoint saved by an earlier `onCheckpoint`. */
  const saved: any;
  /** The form fields a back end signed (`signPostObjectPolicy`). */
  const url: string;
  const fields: Record<string, string>;
  /** The part of Deno's global the Deno blocks use (the type-check runs without Deno's types). */
  const Deno: { env: { get(name: string): string | undefined }; version: { deno: string }; writeTextFileSync(path: string, text: string): void };
  /** A file input of the page. */
  const fileInput: HTMLInputElement;
}
