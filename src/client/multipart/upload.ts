// multipartUpload: any body, in parallel parts, with progress, cancellation and resume. Each
// call owns its state (no client-wide cancel flag), so concurrent uploads never touch each other.

import { OSSArgumentError, OSSError } from '../../core/errors.js';
import { abortedError } from '../network-error.js';
import { assertInteger, assertMeta, assertObjectKey, assertOptionalString, assertPlainObject } from '../../core/validate.js';
import { normalizeBody, type BodyInput } from '../body.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { backoff, retryPolicy, sleep } from '../retry.js';
import { head } from '../object/head.js';
import { encryptionOf, put } from '../object/put.js';
import { encryptionRequestHeaders } from '../object/encryption.js';
import type { CallOptions } from '../object/common.js';
import type { UploadCallback } from '../callback.js';
import type { ServerSideEncryptionOptions } from '../object/encryption.js';
import { assertProgressCallback, notify, progressEmitter, type OnUploadProgress } from '../progress.js';
import { assertCheckpoint, checkResumable, partsOnServer, sameBytes, type CheckpointPart, type CopySourceIdentity, type MultipartCheckpoint } from './checkpoint.js';
import { abortMultipartUpload, initMultipartUpload, MAX_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, sendComplete, uploadPart } from './primitives.js';
import { sliceSource, streamSource, type Part, type PartSource } from './source.js';
import { checkOptions } from '../call-options.js';
import type { AliOssUploadNames } from '../ali-oss-names.js';

/** Chosen by measurement (docs/uploads.md, "Multipart and large uploads"). */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const DEFAULT_PARALLEL = 4;

export interface MultipartUploadOptions extends CallOptions, ServerSideEncryptionOptions, AliOssUploadNames {
  /** Bytes per part, 100 KB-5 GB (default 8 MiB; raised for bodies over 10,000 parts). */
  partSize?: number;
  /** Parts in flight at once (default 4). A stream body holds at most this many parts in memory. */
  parallel?: number;
  /** Bytes sent so far; 100% only once the object exists. */
  onProgress?: OnUploadProgress;
  /** Resume the upload this checkpoint describes. */
  checkpoint?: MultipartCheckpoint;
  /** Called with a fresh JSON-safe checkpoint after the upload starts and after each part. */
  onCheckpoint?: (checkpoint: MultipartCheckpoint) => void;
  /** Content-Type; default from the key's extension, then the Blob's type. */
  mime?: string;
  meta?: Record<string, string | number>;
  /** Headers the object keeps: Cache-Control, Content-Disposition, x-oss-object-acl… */
  headers?: Record<string, string>;
  /** Have OSS call your app once the object exists (sent with the Complete, or the single PUT). */
  callback?: UploadCallback;
  /**
   * When the upload fails for good (not when you abort it through `signal`), delete its parts
   * on the server (AbortMultipartUpload) instead of keeping them for `checkpoint` to resume.
   * Default false: a failed upload stays resumable.
   */
  abortOnFailure?: boolean;
}

export interface MultipartUploadResult {
  name: string;
  bucket: string;
  etag: string;
  /** CRC-64 of the object (undefined when CORS hides the header). */
  crc64: string | undefined;
  res: ResponseInfo;
  /** The app's answer to `callback` (parsed JSON, else text). */
  data?: unknown;
}

/**
 * The part size multipartUpload uses: the asked one (default 8 MiB), raised until the body fits
 * in 10,000 parts.
 * @example choosePartSize(200 * 2 ** 30) // 21474837: a 200 GiB body needs parts of ~20.5 MiB
 */
export function choosePartSize(size: number | undefined, asked = DEFAULT_PART_SIZE): number {
  if (size === undefined || Math.ceil(size / asked) <= MAX_PARTS) return asked;
  const raised = Math.ceil(size / MAX_PARTS);
  if (raised > MAX_PART_SIZE) throw new OSSArgumentError('body', `${size} bytes do not fit in 10,000 parts of at most 5 GB`);
  return raised;
}

/** @internal The AbortError of a managed upload its caller stopped (it stays resumable). */
export function abortError(name: string, reason: unknown): OSSError {
  return abortedError(`Upload of "${name}" aborted; it can be resumed from its last checkpoint`, { key: name, cause: reason });
}

/**
 * Upload a body of any size: in one PUT when it fits in a part, else in parts sent `parallel`
 * at a time. `File`/`Blob` parts are slices (nothing is read ahead); a `ReadableStream` is cut
 * into part-sized buffers. A failed part is retried (transient errors, with backoff); aborting
 * through `signal` stops every part at once and rejects with an AbortError, leaving the upload
 * on the server for `checkpoint` to resume (`abortMultipartUpload` discards it).
 * @example
 * const result = await multipartUpload(core, 'videos/a.mp4', file, {
 *   onProgress: ({ percent }) => (bar.value = percent ?? 0),
 *   onCheckpoint: (cp) => localStorage.setItem('upload:a.mp4', JSON.stringify(cp)),
 *   checkpoint: JSON.parse(localStorage.getItem('upload:a.mp4') ?? 'null') ?? undefined,
 * })
 */
export async function multipartUpload(
  core: OSSCore, name: string, body: BodyInput, options: MultipartUploadOptions = {},
): Promise<MultipartUploadResult> {
  const input = normalizeBody(body);
  return uploadBody(core, name, {
    size: input.size,
    file: typeof File !== 'undefined' && body instanceof File ? body : undefined,
    type: input.type,
    whole: input.body,
    parts: (partSize) => input.body instanceof ReadableStream ? streamSource(input.body, partSize) : sliceSource(input.body as Blob | Uint8Array, partSize),
  }, options);
}

/** @internal What a managed upload sends: a body described by its size, identity and parts. */
export interface UploadBody {
  /** Bytes, when known up front. */
  size: number | undefined;
  /** A file's name and date, which checkpoints carry so a resume refuses another file. */
  file?: { name: string; lastModified: number };
  /** The body's own type, the fallback Content-Type. */
  type?: string;
  /** The whole body, for one PUT when it fits in a part (else the first part is read). */
  whole?: BodyInput;
  /** Its parts, `partSize` bytes each. */
  parts(partSize: number): PartSource;
}

/** @internal multipartUpload over any body description (oss-fetch/node reads files with it). */
export async function uploadBody(
  core: OSSCore, name: string, body: UploadBody, options: MultipartUploadOptions = {},
): Promise<MultipartUploadResult> {
  assertObjectKey(name);
  checkOptions(options, 'bucket partSize parallel onProgress checkpoint onCheckpoint mime meta headers callback abortOnFailure serverSideEncryption serverSideEncryptionKeyId serverSideDataEncryption');
  const parallel = checkManaged(options);
  // A bad callback is refused before any part is sent.
  if (options.callback !== undefined) core.need('callback', 'options.callback').encode(options.callback);
  const bucket = core.requireBucket(options.bucket);
  const { file } = body;
  const partSize = choosePartSize(body.size, options.partSize ?? options.checkpoint?.partSize);
  if (options.checkpoint) {
    checkResumable(options.checkpoint, { name, bucket, size: body.size, partSize: options.partSize, file });
  }
  if (options.signal?.aborted) throw abortError(name, options.signal.reason);
  const source = body.parts(partSize);

  try {
    // Small bodies go in one PUT. For a stream that means reading one part to see where it ends.
    let first: Part | undefined;
    if (!options.checkpoint) {
      if (body.size !== undefined && body.size <= partSize && body.whole !== undefined) return await single(core, name, bucket, body.whole, options);
      if (body.size === undefined || body.size <= partSize) {
        first = await source.next();
        if (await source.atEnd()) return await single(core, name, bucket, first?.body ?? new Uint8Array(0), options);
      }
    }
    return await new ManagedUpload(core, name, bucket, source, { partSize, parallel, file, blobType: body.type }, options).run(first);
  } catch (err) {
    await source.cancel(err);
    if (options.signal?.aborted && !(err instanceof OSSError && err.name === 'AbortError')) throw abortError(name, options.signal.reason);
    throw err;
  }
}

/** @internal The options multipartUpload and multipartUploadCopy share, checked; returns `parallel`. */
export function checkManaged(options: MultipartUploadOptions): number {
  if (options.partSize !== undefined) assertInteger(options.partSize, 'options.partSize', MIN_PART_SIZE, MAX_PART_SIZE);
  const parallel = options.parallel ?? DEFAULT_PARALLEL;
  assertInteger(parallel, 'options.parallel', 1, 64);
  assertProgressCallback(options.onProgress, 'options.onProgress');
  if (options.onCheckpoint !== undefined && typeof options.onCheckpoint !== 'function') throw new OSSArgumentError('options.onCheckpoint', 'expected a function');
  if (options.abortOnFailure !== undefined && typeof options.abortOnFailure !== 'boolean') throw new OSSArgumentError('options.abortOnFailure', 'expected a boolean');
  if (options.checkpoint !== undefined) assertCheckpoint(options.checkpoint);
  assertOptionalString(options.mime, 'options.mime');
  assertMeta(options.meta, 'options.meta');
  assertPlainObject(options.headers, 'options.headers');
  encryptionRequestHeaders(options);
  return parallel;
}

async function single(
  core: OSSCore, name: string, bucket: string, body: BodyInput, options: MultipartUploadOptions,
): Promise<MultipartUploadResult> {
  const { mime, meta, headers, signal, timeout, onProgress, callback } = options;
  const result = await put(core, name, body, { bucket, mime, meta, headers, signal, timeout, onProgress, callback, ...encryptionOf(options) });
  return { name, bucket, etag: result.etag, crc64: result.res.headers['x-oss-hash-crc64ecma'], res: result.res, ...('data' in result ? { data: result.data } : {}) };
}

/** @internal */
export interface UploadShape {
  partSize: number;
  parallel: number;
  /** The file being sent, whose name and date go into checkpoints. */
  file: { name: string; lastModified: number } | undefined;
  /** A Blob's own type, the fallback Content-Type. */
  blobType: string | undefined;
  /** multipartUploadCopy: the source, which checkpoints carry. */
  copy?: { copySource: CopySourceIdentity };
  /** multipartUploadCopy: fills a part on the server instead of sending its bytes. */
  sendPart?: (part: Part, uploadId: string, signal: AbortSignal) => Promise<{ etag: string; crc64: string | undefined }>;
}

/** @internal One managed upload (or copy): parts in parallel, checkpoints, progress, Complete. */
export class ManagedUpload {
  readonly #controller = new AbortController();
  readonly #done = new Map<number, CheckpointPart>();
  /** Bytes sent so far of each part in flight. */
  readonly #sending = new Map<number, number>();
  readonly #progress;
  #doneBytes = 0;
  #failure: { error: unknown } | undefined;
  #cp!: MultipartCheckpoint;
  /** Parts the server already holds (resume), skipped once the body's bytes agree. */
  #held = new Map<number, CheckpointPart>();
  #first: Part | undefined;
  #reading: Promise<unknown> = Promise.resolve();

  constructor(
    readonly core: OSSCore,
    readonly name: string,
    readonly bucket: string,
    readonly source: PartSource,
    readonly shape: UploadShape,
    readonly options: MultipartUploadOptions,
  ) {
    this.#progress = options.onProgress && progressEmitter(options.onProgress);
  }

  get #total(): number | undefined {
    return this.source.size ?? (this.source.ended ? this.source.read : undefined);
  }

  async run(first: Part | undefined): Promise<MultipartUploadResult> {
    this.#first = first;
    const outer = this.options.signal;
    let rejectAborted!: (err: unknown) => void;
    const aborted = new Promise<never>((_, reject) => (rejectAborted = reject));
    aborted.catch(() => {});
    // The caller's abort stops this upload's requests at once; other uploads have their own.
    const onAbort = () => {
      this.#controller.abort(outer!.reason);
      rejectAborted(abortError(this.name, outer!.reason));
    };
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      const start = this.#start();
      start.catch(() => {}); // when the abort wins the race, the start's own failure is moot
      await Promise.race([start, aborted]);
      const workers = Array.from({ length: this.shape.parallel }, () => this.#worker());
      await Promise.race([Promise.all(workers), aborted]);
      if (this.#failure) throw this.#failure.error;
      return await this.#complete();
    } catch (err) {
      // Failed for good: with abortOnFailure the parts go too (a caller's abort keeps them).
      if (this.options.abortOnFailure && !outer?.aborted && this.#cp) {
        await abortMultipartUpload(this.core, this.name, this.#cp.uploadId, { bucket: this.bucket }).catch(() => {});
      }
      throw err;
    } finally {
      outer?.removeEventListener('abort', onAbort);
    }
  }

  /** A fresh upload, or the checkpoint's after checking what the server still holds. */
  async #start(): Promise<void> {
    const { checkpoint, signal, timeout } = this.options;
    const held = checkpoint ? await partsOnServer(this.core, checkpoint, signal) : null;
    if (checkpoint && held) {
      this.#held = held;
      this.#cp = { ...checkpoint, doneParts: [...held.values()].sort((a, b) => a.number - b.number) };
    } else {
      const { mime, meta, headers } = this.options;
      const encryption = encryptionOf(this.options);
      const typed = mime !== undefined || Object.keys(headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
      const init = await initMultipartUpload(this.core, this.name, {
        bucket: this.bucket, mime: typed ? mime : this.core.feature('mime')?.fromKey(this.name) ?? this.shape.blobType, meta, headers, signal, timeout, ...encryption,
      });
      const { file, copy } = this.shape;
      this.#cp = {
        uploadId: init.uploadId, name: this.name, bucket: this.bucket, partSize: this.shape.partSize, fileSize: this.source.size ?? null,
        ...(file ? { fileName: file.name, fileLastModified: file.lastModified } : {}),
        ...copy,
        doneParts: [],
      };
    }
    this.#checkpoint();
  }

  /** The next part; reads are one at a time (a stream has one reader). */
  #next(): Promise<Part | undefined> {
    const next = this.#reading.then(() => {
      const first = this.#first;
      this.#first = undefined;
      return first ?? this.source.next();
    });
    this.#reading = next.catch(() => {});
    return next;
  }

  async #worker(): Promise<void> {
    try {
      while (!this.#failure && !this.#controller.signal.aborted) {
        const part = await this.#next();
        // Stopped while the part was being read: it is not sent (not even to a fetch that would refuse it).
        if (!part || this.#controller.signal.aborted) return part?.release();
        try {
          await this.#send(part);
        } finally {
          part.release();
        }
      }
    } catch (error) {
      if (this.#failure) return;
      // One part failed for good (after the core's retries): stop its siblings, keep the upload.
      this.#failure = { error };
      this.#controller.abort(error);
      await this.source.cancel(error);
    }
  }

  async #send(part: Part): Promise<void> {
    if (part.number > MAX_PARTS) {
      throw new OSSArgumentError('body', `the stream is longer than ${MAX_PARTS} parts of ${this.shape.partSize} bytes; pass a larger partSize`);
    }
    const held = this.#held.get(part.number);
    // A copy's parts come from a source pinned by its ETag, so a part the server holds is the one.
    const { sendPart } = this.shape;
    if (held && held.size === part.size && (sendPart || sameBytes(this.core, part, held))) return this.#record(held);
    this.#sending.set(part.number, 0);
    // Progress within a part needs the uploadProgress feature; without it, progress moves per part (as ali-oss's).
    const onProgress = this.#progress && this.core.feature('progress')
      ? ({ loaded }: { loaded: number }) => {
        this.#sending.set(part.number, loaded);
        this.#report(part.number);
      }
      : undefined;
    const result = await this.#again(() => sendPart?.(part, this.#cp.uploadId, this.#controller.signal) ?? uploadPart(this.core, this.name, this.#cp.uploadId, part.number, part.body, {
      bucket: this.bucket, signal: this.#controller.signal, timeout: this.options.timeout, onProgress,
    }));
    this.#sending.delete(part.number);
    // Once stopped, nothing changes any more: the caller already has its last checkpoint.
    this.#controller.signal.throwIfAborted();
    this.#record({ number: part.number, etag: result.etag, size: part.size, ...(result.crc64 ? { crc64: result.crc64 } : {}) });
  }

  #record(part: CheckpointPart): void {
    this.#done.set(part.number, part);
    this.#doneBytes += part.size;
    const others = this.#cp.doneParts.filter((p) => p.number !== part.number);
    this.#cp = { ...this.#cp, doneParts: [...others, part].sort((a, b) => a.number - b.number) };
    this.#checkpoint();
    this.#report(part.number);
  }

  #report(partNumber: number): void {
    if (this.#controller.signal.aborted) return;
    let loaded = this.#doneBytes;
    for (const sent of this.#sending.values()) loaded += sent;
    this.#progress?.update(loaded, this.#total, partNumber);
  }

  /** Hand the caller a copy they may keep (JSON-safe, never mutated afterwards); none once stopped. */
  #checkpoint(): void {
    if (this.#controller.signal.aborted) return;
    if (this.source.ended && this.#cp.fileSize === null) this.#cp = { ...this.#cp, fileSize: this.source.read };
    const { onCheckpoint } = this.options;
    if (onCheckpoint) notify(() => onCheckpoint({ ...this.#cp, doneParts: this.#cp.doneParts.map((p) => ({ ...p })) }));
  }

  async #complete(): Promise<MultipartUploadResult> {
    const parts = [...this.#done.values()].sort((a, b) => a.number - b.number);
    if (!parts.length) throw new OSSArgumentError('body', 'is empty: there is nothing to resume');
    // The whole object's CRC-64, from its parts': what the server must answer, and how a lost reply is recognised.
    const combine = this.core.feature('crc64')?.combine;
    const expected = combine && parts.every((p) => p.crc64) ? parts.reduce((c, p) => combine(c, p.crc64!, p.size), 0n).toString() : undefined;
    const { signal, timeout, callback } = this.options;
    const result = await this.#again(async () => {
      try {
        return await sendComplete(this.core, this.name, this.#cp.uploadId, parts, { bucket: this.bucket, signal, timeout, callback }, true);
      } catch (err) {
        // A Complete sent again after its reply was lost finds no upload, because the first one worked.
        const adopted = err instanceof OSSError && err.code === 'NoSuchUpload' && expected ? await this.#adopt(parts, expected) : undefined;
        if (!adopted) throw err;
        return adopted;
      }
    });
    const checks = this.core.crc();
    if (checks && expected && result.crc64 && result.crc64 !== expected) {
      throw checks.mismatch('upload', expected, result.crc64, { bucket: this.bucket, key: this.name });
    }
    this.#progress?.finish(this.source.read);
    return result;
  }

  /**
   * `send`, sent again when the reply broke off after a 2xx status line (the core retries
   * everything that failed earlier, but a body it has handed over is ours to retry).
   */
  async #again<T>(send: () => Promise<T>): Promise<T> {
    const policy = retryPolicy(this.core.options);
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        if (!brokenReply(err) || attempt > policy.retries) throw err;
        await sleep(backoff(attempt, policy), this.#controller.signal);
      }
    }
  }

  /** The object, if it is the one these parts make: multipart, as many parts, the same CRC-64. */
  async #adopt(parts: CheckpointPart[], expected: string): Promise<MultipartUploadResult | undefined> {
    const { res } = await head(this.core, this.name, { bucket: this.bucket, signal: this.options.signal }).catch(() => ({ res: undefined }));
    if (!res) return undefined;
    const etag = res.headers.etag ?? '';
    const crc = res.headers['x-oss-hash-crc64ecma'];
    if (!etag.endsWith(`-${parts.length}"`) || res.headers['x-oss-object-type'] !== 'Multipart' || crc !== expected) return undefined;
    return { name: this.name, bucket: this.bucket, etag, crc64: crc, res };
  }
}

/** The reply's status was 2xx but its body broke off: the request may or may not have taken effect. */
function brokenReply(err: unknown): boolean {
  return err instanceof OSSError && err.code === 'RequestError' && err.status >= 200 && err.status < 300;
}
