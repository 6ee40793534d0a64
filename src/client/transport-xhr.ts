// A fetch-shaped transport over XMLHttpRequest, for the one thing fetch cannot do in browsers:
// report upload progress. It resolves with a real Response and rejects like fetch does (a
// TypeError for network failures, the signal's reason on abort), so OSSCore treats both paths
// the same.

/** Statuses whose Response must have a null body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** True where XMLHttpRequest exists (browsers, dedicated workers; not Node, Deno or workerd). */
export function hasXhr(): boolean {
  return typeof XMLHttpRequest === 'function';
}

/**
 * A fetch that sends through XMLHttpRequest and calls `onUploadBytes(sent)` as the body leaves.
 * @example core.request({ method: 'PUT', bucket, key, body: file, transport: xhrTransport((n) => console.log(n)) })
 */
export function xhrTransport(onUploadBytes: (sent: number) => void): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const body = init.body ?? null;
      if (body instanceof ReadableStream) return reject(new TypeError('XMLHttpRequest cannot send a ReadableStream body'));
      const xhr = new XMLHttpRequest();
      xhr.open(init.method ?? 'GET', String(input instanceof Request ? input.url : input));
      xhr.responseType = 'arraybuffer';
      new Headers(init.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.upload.addEventListener('progress', (e) => onUploadBytes(e.loaded));
      const onAbort = () => xhr.abort();
      const settle = () => signal?.removeEventListener('abort', onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.addEventListener('abort', () => {
        settle();
        reject(signal?.reason ?? new DOMException('The request was aborted', 'AbortError'));
      });
      xhr.addEventListener('error', () => {
        settle();
        reject(new TypeError('Network request failed'));
      });
      xhr.addEventListener('load', () => {
        settle();
        try {
          resolve(toResponse(xhr, init.method ?? 'GET'));
        } catch (err) {
          reject(err instanceof TypeError ? err : new TypeError(`Unusable response: ${String(err)}`));
        }
      });
      // OSSCore sends Blobs, bytes and strings, all of which XHR takes.
      xhr.send(body as XMLHttpRequestBodyInit | null);
    });
}

function toResponse(xhr: XMLHttpRequest, method: string): Response {
  const headers = new Headers();
  for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  const empty = NULL_BODY.has(xhr.status) || method.toUpperCase() === 'HEAD';
  const body = empty ? null : (xhr.response as ArrayBuffer | null);
  return new Response(body, { status: xhr.status, statusText: xhr.statusText, headers });
}
