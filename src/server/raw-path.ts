// The request path exactly as it arrived on the wire. A WHATWG URL (so `request.url`) folds `.`
// and `..` segments, also percent-encoded ones, which would let `/a/../b/k` reach bucket `b`;
// OSS keeps such segments as part of the key. The node:http listener records the raw path
// here, keyed by the Request object, so no client can forge it (a header could be).

const rawPaths = new WeakMap<Request, string>();

/** Record the raw path (without the query) of a request built from a wire request. */
export function rememberRawPath(request: Request, path: string): void {
  rawPaths.set(request, path);
}

/** The raw path recorded for this request, else its URL's (already normalized) path. */
export function rawPathOf(request: Request, url: URL): string {
  return rawPaths.get(request) ?? url.pathname;
}
