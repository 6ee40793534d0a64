// CORS for browsers. `permissive` (the dev default of `npm start`) allows any origin, method and
// header and exposes the headers SDKs read; bucket rules (PutBucketCors) come with the bucket API.

/** Headers a browser SDK must be able to read. */
export const EXPOSED_HEADERS = [
  'etag', 'x-oss-request-id', 'x-oss-hash-crc64ecma', 'x-oss-version-id', 'x-oss-next-append-position',
  'x-oss-object-type', 'x-oss-storage-class', 'x-oss-ec', 'x-oss-err', 'content-length', 'content-range',
  'content-type', 'last-modified', 'x-oss-symlink-target', 'x-oss-restore', 'x-oss-delete-marker',
].join(', ');

export type CorsMode = 'off' | 'permissive';

/** Answer a preflight, or undefined when this is not one (or CORS is off). */
export function preflight(request: Request, mode: CorsMode): Response | undefined {
  if (mode !== 'permissive' || request.method !== 'OPTIONS') return undefined;
  const origin = request.headers.get('origin');
  const method = request.headers.get('access-control-request-method');
  if (!origin || !method) return undefined;
  const headers = new Headers({
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, PUT, POST, DELETE, HEAD',
    'access-control-expose-headers': EXPOSED_HEADERS,
    'access-control-max-age': '600',
    vary: 'Origin',
    'content-length': '0',
  });
  const requested = request.headers.get('access-control-request-headers');
  if (requested) headers.set('access-control-allow-headers', requested);
  return new Response(null, { status: 200, headers });
}

/** Add the actual-response CORS headers. */
export function decorate(request: Request, response: Response, mode: CorsMode): void {
  const origin = request.headers.get('origin');
  if (mode !== 'permissive' || !origin) return;
  response.headers.set('access-control-allow-origin', origin);
  response.headers.set('access-control-expose-headers', EXPOSED_HEADERS);
  response.headers.append('vary', 'Origin');
}
