// Request bodies: every kind a runtime has, normalized without copying.

import { OSSArgumentError } from '../core/errors.js';
import { typeName } from '../core/validate.js';

export type BodyInput = Blob | ArrayBuffer | ArrayBufferView | string | ReadableStream<Uint8Array>;
/** What a request may be given: a body as callers give it (one type with BodyInput). */
export type RequestBody = BodyInput;
/** A body once normalized, all the request path ever sees: bytes, a Blob or a stream. */
export type SendableBody = Uint8Array | Blob | ReadableStream<Uint8Array>;

export interface NormalizedBody {
  body: SendableBody;
  /** Byte length when known up front (not for streams). */
  size?: number;
  /** The Blob's own type, a fallback Content-Type. */
  type?: string;
}

const encoder = new TextEncoder();

/** The one place a body is normalized (calls do it to learn its size and type; the core for the rest). */
export function normalizeBody(body: unknown, argument = 'body'): NormalizedBody {
  if (typeof body === 'string') {
    const bytes = encoder.encode(body);
    return { body: bytes, size: bytes.byteLength };
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) return { body, size: body.size, type: body.type || undefined };
  if (body instanceof ArrayBuffer) return { body: new Uint8Array(body), size: body.byteLength };
  if (ArrayBuffer.isView(body)) {
    const view = body instanceof Uint8Array ? body : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return { body: view, size: view.byteLength };
  }
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return { body };
  throw new OSSArgumentError(
    argument,
    `expected a Blob, File, ArrayBuffer, typed array, string or ReadableStream, got ${typeName(body)}`,
  );
}
