// CRC-64 checks as an opt-in feature (`features: [crc64Checks]`; OSSClient and oss-fetch/node
// have it): uploads and whole downloads are checked against OSS's x-oss-hash-crc64ecma, computed
// while the bytes stream (no extra copy), and a resumed stream upload checks the parts the
// server already holds.

import { Crc64, crc64, crc64Combine, crc64TransformStream } from '../core/crc64.js';
import { md5Hex } from '../core/md5.js';
import { OSSError } from '../core/errors.js';
import type { SendableBody } from './body.js';
import type { RequestContext } from './response-error.js';
import { CRC_HEADER } from './integrity.js';
import { release, type Releasable } from './release.js';

/** What an upload's check reads of its RawResponse (request-types.ts names this module's CrcCheck, so not that type). */
type AnsweredUpload = Releasable & { context: RequestContext };

export interface UploadCrc {
  /** The body to send (a stream body is wrapped to count its CRC as it goes). */
  body: SendableBody;
  /**
   * The server's CRC of the stored bytes against ours (when it sent one): a mismatch releases the
   * response and throws, since the server stored other bytes than were sent.
   */
  verify(raw: AnsweredUpload): Promise<void>;
}

/** Start computing the CRC of an upload body. */
function uploadCrc(body: SendableBody): UploadCrc {
  const [sent, pending] = crcWhileSent(body);
  pending.catch(() => {});
  return { body: sent, verify: (raw) => verifyUpload(raw, pending) };
}

/** The body to send and its CRC-64 once it has been read. */
function crcWhileSent(body: SendableBody): [SendableBody, Promise<string>] {
  if (body instanceof Uint8Array) return [body, Promise.resolve(crc64(body))];
  if (body instanceof ReadableStream) {
    const t = crc64TransformStream();
    return [body.pipeThrough(t), t.result.then((r) => r.crc64)];
  }
  // A Blob is read a second time, concurrently with the upload: it may live on disk, and the
  // upload keeps its Content-Length this way.
  return [body, crcOfStream(body.stream())];
}

async function verifyUpload(raw: AnsweredUpload, expected: Promise<string>): Promise<void> {
  const serverCrc = raw.response.headers.get(CRC_HEADER);
  if (!serverCrc) return;
  const sent = await expected;
  if (sent === serverCrc) return;
  await release(raw);
  const { key, query: { partNumber } } = raw.context;
  throw crcMismatch('upload', sent, serverCrc, raw.context, partNumber ? `part ${partNumber} of the multipart upload of "${key}"` : undefined);
}

async function crcOfStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  const crc = new Crc64();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return crc.toString();
    crc.update(value);
  }
}

/**
 * The error for bytes whose CRC-64 differs from the server's. For an upload the server has already
 * stored the wrong bytes (`stored` names what holds them, default the object): the message says so,
 * since it stays corrupt unless the upload is sent again (the client does so when it can).
 */
function crcMismatch(
  what: 'upload' | 'download', expected: string, actual: string, ctx: { bucket: string | null; key: string | null; host?: string }, stored?: string,
): OSSError {
  const local = what === 'upload' ? expected : actual;
  const server = what === 'upload' ? actual : expected;
  const consequence = what === 'upload'
    ? `: the server stored other bytes than were sent, so ${stored ?? `the object "${ctx.key}"`} is corrupt until it is uploaded again`
    : ctx.key ? ` (key "${ctx.key}")` : '';
  return new OSSError({
    code: 'CRC64Mismatch',
    name: 'CRC64MismatchError',
    message: `CRC-64 of the ${what} does not match: local ${local}, server ${server}${consequence}`,
    bucket: ctx.bucket ?? undefined,
    key: ctx.key ?? undefined,
    host: ctx.host,
    details: { localCrc64: local, serverCrc64: server },
  });
}

/**
 * Whether bytes held in memory are those of a part the server holds: by CRC-64 when the
 * checkpoint has one (this client writes them), else by the MD5 that a part's ETag is.
 */
function samePart(bytes: Uint8Array, held: { etag: string; crc64?: string }): boolean {
  if (held.crc64) return crc64(bytes) === held.crc64;
  return md5Hex(bytes).toUpperCase() === held.etag.replace(/"/g, '').toUpperCase();
}

/** CRC-64 verification of uploads and downloads (`crc64: false` turns it off per client or call). */
export const crc64Checks = {
  name: 'crc64',
  upload: uploadCrc,
  hasher: () => new Crc64(),
  of: crc64,
  combine: crc64Combine,
  mismatch: crcMismatch,
  samePart,
} as const;

/** The CRC-64 feature's interface, for modules that take it as an argument. */
export type Crc64Checks = typeof crc64Checks;

/** The server's CRC-64 of a body, and the checks to compute ours with. */
export interface CrcCheck {
  expected: string;
  checks: Crc64Checks;
}
