// Errors are data: one OSSError for everything the service (or the wire) says, and one
// argument error for what we refuse before sending. Messages never carry a secret.

export interface OSSErrorInit {
  code: string;
  /** Overrides the name derived from the code (e.g. `AbortError`, `TimeoutError`). */
  name?: string;
  message: string;
  status?: number;
  requestId?: string;
  hostId?: string;
  ec?: string;
  bucket?: string;
  key?: string;
  /** The request, as ali-oss's `err.params` names it (never a secret). */
  params?: RequestSummary;
  /** Host (and port) the request went to. */
  host?: string;
  /** Extra elements of the error body (StringToSign, ArgumentName, …). */
  details?: Record<string, string>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** What a failed request asked for: `err.params` (ali-oss's name). */
export interface RequestSummary {
  bucket: string | null;
  object: string | null;
  method: string;
  query: Record<string, string | null>;
}

/**
 * An error returned by OSS (or the local server), or a transport failure.
 * `name` follows ali-oss: the OSS code plus `Error` (`NoSuchKey` → `NoSuchKeyError`).
 */
export class OSSError extends Error {
  override name: string;
  readonly code: string;
  readonly status: number;
  readonly requestId?: string;
  readonly hostId?: string;
  readonly ec?: string;
  /** ali-oss's name of `ec`: OSS's error-center code (`0026-00000001`). */
  readonly ecCode?: string;
  readonly bucket?: string;
  readonly key?: string;
  /** The request that failed (bucket, object, method, query), as ali-oss's `err.params`. */
  readonly params?: RequestSummary;
  /** Host (and port) the request went to, when known. */
  readonly host?: string;
  readonly details: Record<string, string>;
  /** Response headers, when there was a response. */
  readonly headers?: Record<string, string>;

  constructor(init: OSSErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = init.name ?? errorName(init.code);
    this.code = init.code;
    this.status = init.status ?? -1;
    this.requestId = init.requestId;
    this.hostId = init.hostId;
    this.ecCode = this.ec = init.ec;
    this.params = init.params;
    this.bucket = init.bucket;
    this.key = init.key;
    this.host = init.host;
    this.details = init.details ?? {};
    this.headers = init.headers;
  }

  /** A serialisable summary (never headers or details that could echo request data). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      status: this.status,
      message: this.message,
      requestId: this.requestId,
      hostId: this.hostId,
      ec: this.ec,
      bucket: this.bucket,
      key: this.key,
      host: this.host,
    };
  }
}

/** `NoSuchKey` → `NoSuchKeyError`; codes that already end in `Error` are kept. */
export function errorName(code: string): string {
  if (!code) return 'UnknownError';
  return code.endsWith('Error') ? code : `${code}Error`;
}

/**
 * A bad argument, refused before any request is sent. It is a TypeError (as a wrong type is)
 * that names the argument.
 */
export class OSSArgumentError extends TypeError {
  override name = 'OSSArgumentError';
  readonly code = 'InvalidArgument';
  readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`Invalid argument "${argument}": ${problem}`);
    this.argument = argument;
  }
}

/** OSS's common error codes and the HTTP status each comes with. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  AccessDenied: 403,
  BucketAlreadyExists: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  FileGroupTooLarge: 400,
  FilePartNotExist: 400,
  FilePartStale: 400,
  InvalidArgument: 400,
  InvalidAccessKeyId: 403,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidObjectName: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  InvalidSecurityToken: 403,
  InvalidTargetBucketForLogging: 400,
  InternalError: 500,
  MalformedXML: 400,
  MalformedPOSTRequest: 400,
  MethodNotAllowed: 405,
  MissingArgument: 411,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NoSuchCORSConfiguration: 404,
  NoSuchLifecycle: 404,
  NoSuchWebsiteConfiguration: 404,
  NoSuchBucketPolicy: 404,
  NoSuchTagSet: 404,
  NotImplemented: 501,
  ObjectNotAppendable: 409,
  OperationNotSupported: 400,
  PositionNotEqualToLength: 409,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  RequestTimeout: 400,
  RestoreAlreadyInProgress: 409,
  SecurityTokenExpired: 403,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  TooManyBuckets: 400,
  FileAlreadyExists: 409,
  AccessForbidden: 403,
  NoSuchServerSideEncryptionRule: 404,
  InvalidEncryptionAlgorithmError: 400,
  NoSuchWORMConfiguration: 404,
  WORMConfigurationLocked: 403,
  InvalidWORMConfiguration: 400,
  NoSuchInventory: 404,
  InventoryAlreadyExist: 409,
  InventoryExceedLimit: 400,
};

/** The codes of statuses that mean one thing whatever was asked. */
const STATUS_CODES: Readonly<Record<number, string>> = {
  304: 'NotModified', 400: 'InvalidRequest', 403: 'AccessDenied', 405: 'MethodNotAllowed', 409: 'Conflict',
  412: 'PreconditionFailed', 416: 'InvalidRange', 429: 'TooManyRequests', 503: 'ServiceUnavailable',
};

/** The code to assume when a response carries no error body (HEAD without x-oss-err). */
export function codeForStatus(status: number, hasKey: boolean): string {
  if (status === 404) return hasKey ? 'NoSuchKey' : 'NoSuchBucket';
  return STATUS_CODES[status] ?? (status >= 500 ? 'InternalError' : `Http${status}`);
}
