// Streaming an incoming request's body to OSS without holding it in the Worker's memory.

import type { OSSCore } from '../../client/core.js';
import { put, type PutOptions, type PutResult } from '../../client/object/put.js';
import { OSSArgumentError } from '../../core/errors.js';

/**
 * Store a request's body as an object, streamed straight through: the body must declare its
 * length (Content-Length), which OSS then receives. A body of unknown length is refused with
 * OSSArgumentError — buffer it (`await request.arrayBuffer()`) or send it in parts with
 * `multipartUpload`. The Content-Type is the request's unless `options.mime` says otherwise. A
 * client from `clientFromEnv` (or with `fetch: fixedLengthFetch()`) sends the length on to OSS;
 * another sends the body chunked.
 * @example
 * export default { fetch: async (request, env) => Response.json(await putRequestBody(clientFromEnv(env), 'uploads/a.bin', request)) }
 */
export async function putRequestBody(core: OSSCore, name: string, request: Request, options: PutOptions = {}): Promise<PutResult> {
  if (!(request instanceof Request)) throw new OSSArgumentError('request', 'expected a Request');
  const declared = request.headers.get('content-length');
  const length = declared !== null && /^\d+$/.test(declared.trim()) ? Number(declared) : undefined;
  if (length === undefined || !Number.isSafeInteger(length)) {
    throw new OSSArgumentError('request', 'its body has no Content-Length, so it cannot be streamed to OSS in one PUT: buffer it (await request.arrayBuffer()) or send it in parts with multipartUpload');
  }
  const mime = options.mime ?? request.headers.get('content-type') ?? undefined;
  if (length === 0 || !request.body) return put(core, name, new Uint8Array(0), { ...options, mime });
  return put(core, name, request.body, { ...options, mime, contentLength: length });
}
