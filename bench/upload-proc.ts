// One managed multipart upload in its own process, so the RSS it reports is this client's
// alone, and so is the CPU time (user + system) it reports. Prints one JSON line:
// { seconds, cpuMicros, baselineRss, peakRss }.
//
//   npx tsx bench/upload-proc.ts <variant> <V4|V1|-> <url> <bucket> <bytes> <partSize> <parallel> [file]
// variant: oss-fetch (ReadableStream), oss-fetch-file (fs.openAsBlob), node-fetch and
// node-fetch-file (the OSSClient of oss-fetch/node: a ReadableStream, and the file through its
// multipartUploadFile), node-fetch-chunks (a stream of chunks, not a byte stream), ali-oss (file
// path), raw (ReadableStream cut into parts, unsigned requests), drain (the ReadableStream read
// and dropped: what producing the stream costs the process, part of every stream variant's CPU).
import { openAsBlob } from 'node:fs';
import { aliClient, nodeFetchClient, ossFetchClient, rawObjectUrl, type Sig } from './drivers.js';

const [variant, sigArg, url, bucket, bytesArg, partArg, parallelArg, file] = process.argv.slice(2);
const sig: Sig = sigArg === 'V1' ? 'V1' : 'V4';
const size = Number(bytesArg);
const partSize = Number(partArg);
const parallel = Number(parallelArg);
const CHUNK = 64 * 1024;

const template = crypto.getRandomValues(new Uint8Array(CHUNK));

/** Writes the next `into.length` bytes of the body into `into`: the template, 64 KiB at a time, each stamped with its number. */
function produce(into: Uint8Array, at: number): void {
  for (let i = 0; i < into.length; i += CHUNK) {
    into.set(template.subarray(0, Math.min(CHUNK, into.length - i)), i);
    into[i] = (at + i) / CHUNK;
  }
}

/**
 * `size` bytes as a byte stream, as a fetch body, a Blob's or a file's stream is: written into the
 * reader's own buffer when it brings one (a BYOB read), in fresh 64 KiB chunks otherwise.
 */
function generated(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    type: 'bytes',
    pull(controller) {
      if (sent >= size) {
        controller.close();
        controller.byobRequest?.respond(0);
        return;
      }
      const view = controller.byobRequest?.view;
      const n = Math.min(view ? view.byteLength : CHUNK, size - sent);
      const into = view ? new Uint8Array(view.buffer, view.byteOffset, n) : new Uint8Array(n);
      produce(into, sent);
      sent += n;
      if (view) controller.byobRequest!.respond(n);
      else controller.enqueue(into);
    },
  }, { highWaterMark: 0 }) as ReadableStream<Uint8Array>;
}

/** The same bytes as a stream of fresh 64 KiB chunks, not a byte stream (a Node Readable through Readable.toWeb is one). */
function chunked(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(CHUNK, size - sent));
      produce(chunk, sent);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
}

/** The floor: parts cut from the stream, at most `parallel` unsigned PUTs in flight. */
async function rawMultipart(key: string): Promise<void> {
  const base = rawObjectUrl(url!, bucket!, key);
  const init = await (await fetch(`${base}?uploads`, { method: 'POST' })).text();
  const uploadId = /<UploadId>([^<]+)</.exec(init)?.[1];
  if (!uploadId) throw new Error(`raw initiate failed: ${init}`);
  const etags: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = (n: number, body: Uint8Array<ArrayBuffer>) => {
    const p = fetch(`${base}?partNumber=${n}&uploadId=${uploadId}`, { method: 'PUT', body }).then(async (res) => {
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`raw part ${n}: ${res.status}`);
      etags[n - 1] = res.headers.get('etag')!;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  // Each part read straight into a pooled buffer (BYOB), as oss-fetch reads a byte stream.
  const reader = generated().getReader({ mode: 'byob' });
  const free: Array<Uint8Array<ArrayBuffer>> = [];
  let n = 0;
  for (let done = false; !done;) {
    while (inFlight.size >= parallel) await Promise.race(inFlight);
    let part = free.pop() ?? new Uint8Array(partSize);
    let filled = 0;
    while (filled < partSize) {
      const read = await reader.read(part.subarray(filled));
      part = new Uint8Array(read.value!.buffer as ArrayBuffer);
      filled += read.value!.byteLength;
      if ((done = read.done)) break;
    }
    if (!filled) break;
    const buffer = part;
    send(++n, part.subarray(0, filled)).then(() => free.push(buffer), () => {});
  }
  await Promise.all(inFlight);
  const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
  const res = await fetch(`${base}?uploadId=${uploadId}`, { method: 'POST', body: xml });
  const text = await res.text();
  if (!res.ok) throw new Error(`raw complete ${res.status}: ${text}`);
}

/** The byte stream read into one part-sized buffer over and over, and dropped. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader({ mode: 'byob' });
  let buffer = new Uint8Array(partSize);
  for (;;) {
    const { done, value } = await reader.read(buffer);
    if (done) return;
    buffer = new Uint8Array(value!.buffer);
  }
}

/** Rounds of `parallel` HEAD requests each client makes before the window (BENCH_MULTIPART_WARM=1: a cold process). */
const WARM_ROUNDS = Number(process.env.BENCH_MULTIPART_WARM ?? 100);

/**
 * The upload to measure, after WARM_ROUNDS rounds of `parallel` small requests at once by the
 * same client outside the measured window, so the window holds the upload's steady cost per MiB
 * and no contender's one-time costs: its modules loaded (oss-fetch/node loads undici at its first
 * request, ~130 ms in plain Node and several times that through tsx's loader hooks), its code
 * compiled and warmed up, as many connections open as the upload keeps busy. Measured cold
 * (BENCH_MULTIPART_WARM=1, 512 MiB from a file), oss-fetch/node spent about 200 ms and 27 MiB of
 * RSS more than over node:http, once per process; warm, the two measured the same.
 */
async function prepared(): Promise<() => Promise<unknown>> {
  const key = 'big/object.bin'; // one key: the server keeps only the latest
  const warm = async (client: { head(key: string): Promise<unknown> }) => {
    for (let i = 0; i < WARM_ROUNDS; i++) await Promise.all(Array.from({ length: parallel }, () => client.head('warm-up').catch(() => undefined)));
  };
  if (variant === 'oss-fetch' || variant === 'oss-fetch-file') {
    const client = ossFetchClient(url!, bucket!, sig);
    await warm(client);
    if (variant === 'oss-fetch') return () => client.multipartUpload(key, generated(), { partSize, parallel });
    return async () => client.multipartUpload(key, await openAsBlob(file!), { partSize, parallel });
  }
  if (variant === 'node-fetch' || variant === 'node-fetch-file' || variant === 'node-fetch-chunks') {
    const client = nodeFetchClient(url!, bucket!, sig);
    await warm(client);
    if (variant === 'node-fetch') return () => client.multipartUpload(key, generated(), { partSize, parallel });
    if (variant === 'node-fetch-chunks') return () => client.multipartUpload(key, chunked(), { partSize, parallel });
    return () => client.multipartUploadFile(key, file!, { partSize, parallel });
  }
  if (variant === 'ali-oss') {
    const client = aliClient(url!, bucket!, sig);
    await warm(client);
    return () => client.multipartUpload(key, file, { partSize, parallel });
  }
  if (variant === 'raw') {
    for (let i = 0; i < WARM_ROUNDS; i++) await Promise.all(Array.from({ length: parallel }, async () => (await fetch(rawObjectUrl(url!, bucket!, 'warm-up'), { method: 'HEAD' })).arrayBuffer()));
    return () => rawMultipart(key);
  }
  if (variant === 'drain') return () => drain(generated());
  throw new Error(`unknown variant ${variant}`);
}

const upload = await prepared();
// memoryUsage.rss() only reads the RSS: the full memoryUsage() also walks V8's heap statistics,
// which at 100 samples a second weighed ~0.2 ms/MiB on every contender's CPU.
const baselineRss = process.memoryUsage.rss();
let peakRss = baselineRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 10);
const started = performance.now();
const from = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
await upload();
const cpu = process.cpuUsage(cpuBefore);
const to = process.hrtime.bigint();
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
// The measured phase in the clock of a --cpu-prof profile (µs), for bench/multipart-cpu.ts --prof.
const window = { from: Number(from / 1000n), to: Number(to / 1000n) };
console.log(JSON.stringify({ seconds, cpuMicros: cpu.user + cpu.system, baselineRss, peakRss, window }));
