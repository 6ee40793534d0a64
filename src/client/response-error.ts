// Turning failed responses and transport failures into OSSError.

import { OSSError, codeForStatus } from '../core/errors.js';
import { fromBase64 } from '../core/crypto.js';
import { parseXml, text, type XmlNode } from '../core/xml.js';

/** The request an error is about. */
export interface RequestContext {
  bucket: string | null;
  key: string | null;
  method: string;
  /** `https://bucket.oss-cn-hangzhou.aliyuncs.com`: scheme, host and port, never path or query. */
  origin: string;
  /** Host and port of the request URL. */
  host: string;
  query: Record<string, string | null>;
}

/** The fields every error of a request carries: where it went and what it asked (ali-oss's `params`). */
export function requestFields(ctx: Context) {
  return { bucket: ctx.bucket ?? undefined, key: ctx.key ?? undefined, host: ctx.host, params: { bucket: ctx.bucket, object: ctx.key, method: ctx.method, query: ctx.query } };
}

type Context = RequestContext;

/** An error response: the XML body, or for HEAD (no body) the base64 XML in `x-oss-err`. */
export async function errorFromResponse(response: Response, ctx: Context): Promise<OSSError> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  let xml = '';
  try {
    xml = ctx.method === 'HEAD' ? '' : await response.text();
  } catch {
    // A body we cannot read still leaves the status and headers to report.
  }
  if (!xml && headers['x-oss-err']) {
    try {
      xml = new TextDecoder().decode(fromBase64(headers['x-oss-err']));
    } catch {
      xml = '';
    }
  }
  let fields: Record<string, string> = {};
  if (xml.includes('<Error')) {
    try {
      const doc = await parseXml(xml);
      const err = doc.Error;
      if (err && typeof err === 'object' && !Array.isArray(err)) fields = flatten(err);
    } catch {
      fields = {};
    }
  }
  const code = fields.Code || codeForStatus(response.status, ctx.key !== null);
  const { Code: _c, Message, RequestId, HostId, EC, ...details } = fields;
  // OSS's own Message, unchanged (as ali-oss gives it): bucket and key are fields.
  return new OSSError({
    code,
    message: Message || `${ctx.method} failed with HTTP ${response.status}`,
    status: response.status,
    requestId: RequestId || headers['x-oss-request-id'],
    hostId: HostId,
    ec: EC || headers['x-oss-ec'],
    ...requestFields(ctx),
    details,
    headers,
  });
}

function flatten(node: XmlNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(node)) {
    const v = text(node[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
