// OSS error responses: XML body with Code/Message/RequestId/HostId/EC, or for HEAD (which has no
// body) the same XML base64-encoded in x-oss-err.

import { ERROR_STATUS } from '../core/errors.js';
import { buildXml, type XmlBuildValue } from '../core/xml.js';
import { toBase64, utf8 } from '../core/crypto.js';

/** Thrown inside the server to answer with an OSS error. */
export class ServerError extends Error {
  readonly code: string;
  readonly status: number;
  readonly extra: Record<string, XmlBuildValue>;
  readonly ec: string | undefined;
  /** Response headers the error comes with (e.g. `x-oss-delete-marker` on a 404). */
  readonly headers: Record<string, string>;

  constructor(
    code: string, message: string, extra: Record<string, XmlBuildValue> = {}, status?: number, ec?: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = code;
    this.status = status ?? ERROR_STATUS[code] ?? 400;
    this.extra = extra;
    this.ec = ec;
    this.headers = headers;
  }
}

export const MESSAGES: Record<string, string> = {
  NoSuchBucket: 'The specified bucket does not exist.',
  NoSuchKey: 'The specified key does not exist.',
  AccessDenied: 'You have no right to access this object.',
  BucketNotEmpty: 'The bucket you tried to delete is not empty.',
  BucketAlreadyExists: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
  InvalidBucketName: 'The specified bucket is not valid.',
  InvalidObjectName: 'The name of the object is not valid.',
  SignatureDoesNotMatch: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  InvalidAccessKeyId: 'The OSS Access Key Id you provided does not exist in our records.',
  RequestTimeTooSkewed: 'The difference between the request time and the current time is too large.',
  MalformedXML: 'The XML you provided was not well-formed or did not validate against our published schema.',
  PreconditionFailed: 'At least one of the pre-conditions you specified did not hold.',
  NotImplemented: 'A header or query you provided implies functionality that is not implemented.',
  InvalidDigest: 'The Content-MD5 you specified was invalid.',
  FileAlreadyExists: 'The object you specified already exists and can not be overwritten.',
};

/**
 * OSS's EC (error-center code) of each error code, where one was found as real OSS returns it (the
 * official Go SDK v2's tests against live OSS, and OSS's one-page-per-EC docs); a situation with
 * its own EC passes it to ServerError. OSS sends an EC with every error, so the codes not listed
 * here get UNDOCUMENTED_EC: a value of the same shape that no OSS error uses.
 */
const EC_BY_CODE: Record<string, string> = {
  NoSuchKey: '0026-00000001',
  NoSuchBucket: '0015-00000101',
  BucketNotEmpty: '0015-00000301',
  SignatureDoesNotMatch: '0002-00000040',
  NoSuchUpload: '0042-00000002',
  MissingArgument: '0016-00000502',
  BucketAlreadyExists: '0015-00000104',
  InvalidAccessKeyId: '0002-00000902',
  RequestTimeTooSkewed: '0002-00000504',
  FileAlreadyExists: '0026-00000002',
  ObjectNotAppendable: '0026-00000017',
  PositionNotEqualToLength: '0026-00000016',
  RestoreAlreadyInProgress: '0026-00000011',
  InvalidPartOrder: '0042-00000209',
  EntityTooSmall: '0042-00000213',
  NoSuchServerSideEncryptionRule: '0005-00000004',
  CallbackFailed: '0007-00000203',
};
export const UNDOCUMENTED_EC = '0000-00000000';

/** The EC an error is sent with. */
export function ecOf(err: ServerError): string {
  return err.ec ?? EC_BY_CODE[err.code] ?? UNDOCUMENTED_EC;
}

export function serverError(code: string, extra: Record<string, XmlBuildValue> = {}, message?: string): ServerError {
  return new ServerError(code, message ?? MESSAGES[code] ?? code, extra);
}

export interface ErrorContext {
  requestId: string;
  hostId: string;
  method: string;
}

export function errorResponse(err: ServerError, ctx: ErrorContext, headers: Headers = new Headers()): Response {
  const xml = buildXml('Error', {
    Code: err.code,
    Message: err.message,
    RequestId: ctx.requestId,
    HostId: ctx.hostId,
    ...err.extra,
    EC: ecOf(err),
  });
  for (const [name, value] of Object.entries(err.headers)) headers.set(name, value);
  headers.set('content-type', 'application/xml');
  headers.set('x-oss-request-id', ctx.requestId);
  headers.set('x-oss-ec', ecOf(err));
  if (ctx.method === 'HEAD') {
    const bytes = utf8(xml);
    headers.set('x-oss-err', toBase64(bytes));
    // The length of the body a GET would get, as OSS sends it: it also tells HTTP/1.1 clients
    // that the (empty) HEAD answer is complete, so they keep the connection.
    headers.set('content-length', String(bytes.length));
    return new Response(null, { status: err.status, headers });
  }
  return new Response(xml, { status: err.status, headers });
}
