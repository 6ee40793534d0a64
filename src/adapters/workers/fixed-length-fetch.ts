// workerd sends a ReadableStream body chunked, whatever Content-Length the request declares; only
// a FixedLengthStream body goes out with its length. OSS takes both, but a declared length lets it
// refuse a short body, and lets the uploader's CRC-64 check stand on a known size.

type FixedLengthStreamCtor = new (length: number) => TransformStream<Uint8Array, Uint8Array>;

/**
 * A fetch that sends a stream body with the Content-Length its request declares (through
 * workerd's FixedLengthStream); elsewhere it is `base` unchanged. `clientFromEnv` uses it.
 * @example new OSSClient({ ...options, fetch: fixedLengthFetch() })
 */
export function fixedLengthFetch(base?: typeof fetch): typeof fetch {
  return (input, init) => {
    const send = base ?? globalThis.fetch;
    const Fixed = (globalThis as { FixedLengthStream?: FixedLengthStreamCtor }).FixedLengthStream;
    const body = init?.body;
    if (Fixed && body instanceof ReadableStream) {
      const declared = new Headers(init!.headers).get('content-length');
      if (declared !== null && /^\d+$/.test(declared)) {
        const fixed = new Fixed(Number(declared));
        // A failing source fails the readable side, and so the request: nothing to add here.
        void body.pipeTo(fixed.writable).catch(() => {});
        return send(input, { ...init, body: fixed.readable });
      }
    }
    return send(input, init);
  };
}
