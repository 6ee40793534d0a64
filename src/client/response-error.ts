// Turning failed responses and transport failures into OSSError.

import { OSSError, codeForStatus } from '../core/errors.js';
import { fromBase64 } from '../core/crypto.js';

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
  const fields = xml.includes('<Error') ? errorFields(xml) : {};
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

/** The five entities XML predefines. */
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * The fields of an OSS error body, `<Error><Code>…</Code><Message>…</Message>…</Error>`: its
 * text-only children by name, entities decoded. Errors need only these few flat fields, so this
 * one regex pass (linear: no element can overlap the next `<`) stands in for the XML reader;
 * a nested or CDATA child is left out. Differential-tested against fast-xml-parser.
 */
export function errorFields(xml: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  const start = xml.indexOf('<Error>');
  if (start < 0) return fields;
  for (const [, name, value] of xml.slice(start + 7).matchAll(/<([A-Za-z][\w.-]*)>([^<]*)<\/\1>/g)) {
    fields[name!] ??= value!.replace(/&(?:#(\d{1,7})|#x([\dA-Fa-f]{1,6})|(lt|gt|amp|quot|apos));/g, (m, dec?: string, hex?: string, name?: string) => {
      if (name) return ENTITIES[name]!;
      const code = dec ? Number(dec) : parseInt(hex!, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    });
  }
  return fields;
}
