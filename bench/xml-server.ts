// How the server's XML parsing time grows with attribute-heavy bodies: the ratio of a 4× larger
// body's median time to the smaller one's, per operation (linear ≈ 4×, quadratic ≈ 16×). Issue 14:
// the old reader took 114 s for one 8 MB DeleteMultiple body. Timings, so a benchmark, not a test.
//   npx tsx bench/xml-server.ts
import { OSSClient } from '../src/index.js';
import { createHandler, DEV_CREDENTIALS } from '../src/server/index.js';

const BUCKET = 'xml-bench';
const handler = createHandler({ buckets: [BUCKET] });
const client = new OSSClient({
  ...DEV_CREDENTIALS, endpoint: 'http://127.0.0.1:1', region: 'cn-hangzhou', bucket: BUCKET, retries: 0,
  fetch: (input, init) => handler(new Request(input, init)),
});
await handler.ready;
const { uploadId } = await client.initMultipartUpload('mpu.bin');
const xml = { 'content-type': 'application/xml' };
const { md5Base64 } = await import('../src/core/md5.js');

const attributes = (bytes: number): string => {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += ` a${i}="1"`;
  return out;
};
const oneTag = (root: string, element: string, inner: (i: number) => string) => (bytes: number) =>
  `<${root}><${element}${attributes(bytes)}>${inner(1)}</${element}></${root}>`;
const manyTags = (root: string, element: string, inner: (i: number) => string) => (bytes: number) => {
  const attrs = attributes(8 * 1024);
  return `<${root}>${Array.from({ length: Math.ceil(bytes / attrs.length) }, (_, i) => `<${element}${attrs}>${inner(i + 1)}</${element}>`).join('')}</${root}>`;
};
const sendCors = (body: string) => client.request({ method: 'PUT', bucket: BUCKET, query: { cors: '' }, body, headers: xml });
const sendDelete = (body: string) => client.request({ method: 'POST', bucket: BUCKET, query: { delete: '' }, body, headers: { ...xml, 'content-md5': md5Base64(body) } });
const sendComplete = (body: string) => client.request({ method: 'POST', bucket: BUCKET, key: 'mpu.bin', query: { uploadId }, body, headers: xml });
const cors = ['CORSConfiguration', 'CORSRule', () => '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'] as const;
const del = ['Delete', 'Object', (i: number) => `<Key>nothing-${i}</Key>`] as const;
const complete = ['CompleteMultipartUpload', 'Part', (i: number) => `<PartNumber>${i}</PartNumber><ETag>"x"</ETag>`] as const;
const CASES: Array<[string, (bytes: number) => string, (body: string) => Promise<unknown>]> = [
  ['PutBucketCors, one tag', oneTag(...cors), sendCors],
  ['PutBucketCors, many tags', manyTags(...cors), sendCors],
  ['DeleteMultipleObjects, one tag', oneTag(...del), sendDelete],
  ['DeleteMultipleObjects, many tags', manyTags(...del), sendDelete],
  ['CompleteMultipartUpload, one tag', oneTag(...complete), sendComplete],
  ['CompleteMultipartUpload, many tags', manyTags(...complete), sendComplete],
];

async function timed(send: (body: string) => Promise<unknown>, body: string): Promise<number> {
  const start = performance.now();
  await send(body).catch(() => {});
  return performance.now() - start;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

console.log('operation | 192 KiB (ms) | 768 KiB (ms) | ratio (linear ≈ 4, quadratic ≈ 16)');
for (const [name, make, send] of CASES) {
  const small = make(192 * 1024);
  const large = make(768 * 1024);
  for (let warm = 0; warm < 2; warm++) {
    await timed(send, small);
    await timed(send, large);
  }
  const smalls: number[] = [];
  const larges: number[] = [];
  for (let round = 0; round < 5; round++) {
    smalls.push(await timed(send, small));
    larges.push(await timed(send, large));
  }
  console.log(`${name} | ${median(smalls).toFixed(1)} | ${median(larges).toFixed(1)} | ${(median(larges) / median(smalls)).toFixed(2)}`);
}
