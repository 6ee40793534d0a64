// Reading response bodies with the request's failure mapping (a timeout mid-body is still a
// TimeoutError, not a bare DOMException).

import { OSSError } from '../core/errors.js';
import { crc64 } from '../core/crc64.js';
import { crcMismatch } from './integrity.js';
import { parseXml, type XmlNode } from '../core/xml.js';
import { responseInfo, type RawResponse, type ResponseInfo } from './core.js';

async function guarded<T>(raw: RawResponse, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof OSSError) throw err;
    const name = err instanceof Error ? err.name : '';
    const timeout = name === 'TimeoutError';
    throw new OSSError({
      code: timeout ? 'Timeout' : name === 'AbortError' ? 'RequestAborted' : 'RequestError',
      name: timeout ? 'TimeoutError' : name === 'AbortError' ? 'AbortError' : 'RequestError',
      message: `Reading the response body failed: ${err instanceof Error ? err.message : String(err)}`,
      status: raw.response.status,
      cause: err,
    });
  } finally {
    raw.done();
  }
}

export async function readBytes(raw: RawResponse): Promise<{ content: Uint8Array; res: ResponseInfo }> {
  const content = await guarded(raw, async () => new Uint8Array(await raw.response.arrayBuffer()));
  if (raw.expectedCrc64 !== undefined) {
    const actual = crc64(content);
    if (actual !== raw.expectedCrc64) throw crcMismatch('download', raw.expectedCrc64, actual, raw.context ?? { bucket: null, key: null });
  }
  return { content, res: responseInfo(raw, content.byteLength) };
}

export async function readXml(raw: RawResponse): Promise<{ doc: XmlNode; res: ResponseInfo }> {
  const body = await guarded(raw, () => raw.response.text());
  let doc: XmlNode = {};
  try {
    if (body) doc = await parseXml(body);
  } catch (err) {
    // A proxy's or captive portal's HTML page, or a body cut short: never half a result.
    const { status, headers } = raw.response;
    throw new OSSError({
      code: 'InvalidResponse',
      message: `The HTTP ${status} response is not the XML OSS sends: ${err instanceof Error ? err.message : String(err)}`,
      status,
      requestId: headers.get('x-oss-request-id') ?? undefined,
      cause: err,
    });
  }
  return { doc, res: responseInfo(raw, body.length) };
}

/** For responses whose body does not matter (PUT, DELETE…): drain it and summarise. */
export async function discard(raw: RawResponse): Promise<ResponseInfo> {
  const size = await guarded(raw, async () => (raw.response.body ? (await raw.response.arrayBuffer()).byteLength : 0));
  return responseInfo(raw, size);
}
