// ali-oss's response summary (`res`), read off a response.

import type { RawResponse } from './request-types.js';

/** ali-oss's response summary, carried by every result. */
export interface ResponseInfo {
  status: number;
  /** The same as `status` (ali-oss has both). */
  statusCode: number;
  headers: Record<string, string>;
  /** Bytes of the response body (Content-Length when the body is streamed). */
  size: number;
  /** Round-trip time in ms. */
  rt: number;
  /** The URL requested (ali-oss lists each one; retries and redirects are not listed here). */
  requestUrls: string[];
}

/** Read the response summary ali-oss results carry. */
export function responseInfo(raw: RawResponse, size?: number): ResponseInfo {
  const headers: Record<string, string> = {};
  raw.response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  const length = Number(headers['content-length']);
  const { status } = raw.response;
  return {
    status,
    statusCode: status,
    headers,
    size: size ?? (Number.isFinite(length) ? length : 0),
    rt: Math.round(performance.now() - raw.started),
    requestUrls: [raw.context.url],
  };
}
