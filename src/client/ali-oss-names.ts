// ali-oss option names oss-fetch does not take, typed `never` so that TypeScript refuses them at
// compile time with the replacement in the doc comment; call-options.ts refuses them at run time
// (JavaScript) with the same advice.

/** ali-oss names any call may be given. */
export interface AliOssCallNames {
  /** @deprecated ali-oss's raw query: oss-fetch has a named option per parameter (`response`, `process`, a query argument…). */
  subres?: never;
  /** @deprecated ali-oss's urllib context: use `signal` to cancel. */
  ctx?: never;
  /** @deprecated ali-oss's extra signed headers: use `headers` (V4 signs every header sent). */
  additionalHeaders?: never;
}

/** ali-oss names of the upload calls. */
export interface AliOssUploadNames extends AliOssCallNames {
  /** @deprecated ali-oss's `progress(fraction, checkpoint)`: use `onProgress({ loaded, total, percent })` (and `onCheckpoint`). */
  progress?: never;
  /** @deprecated uploads are checked by CRC-64 (client option `crc64`), never by a computed MD5. */
  disabledMD5?: never;
}

/** ali-oss names of multipartUploadCopy. */
export interface AliOssCopyNames extends AliOssUploadNames {
  /** @deprecated ali-oss's raw `x-oss-copy-source-if-*` headers: use `copyHeaders` (`If-Match`… or the raw names). */
  copyheaders?: never;
}

/** ali-oss names of the client options. */
export interface AliOssClientNames {
  /** @deprecated use `retries`. */
  retryMax?: never;
  /** @deprecated use `onRetry` (transient failures are retried). */
  requestErrorRetryHandle?: never;
  /** @deprecated use `fetch: nodeFetch({ agent })` from `oss-fetch/node`. */
  agent?: never;
  /** @deprecated use `fetch: nodeFetch({ agent })` from `oss-fetch/node`. */
  httpsAgent?: never;
  /** @deprecated use `fetch: nodeFetch({ maxSockets })` from `oss-fetch/node`. */
  maxSockets?: never;
  /** @deprecated use `fetch`. */
  urllib?: never;
  /** @deprecated use a `fetch` that goes through the proxy. */
  proxy?: never;
  /** @deprecated use a `fetch` that goes through the proxy. */
  enableProxy?: never;
  /** @deprecated header values are always sent as UTF-8. */
  headerEncoding?: never;
  /** @deprecated the clock offset is learnt from the server's answer. */
  amendTimeSkewed?: never;
}
