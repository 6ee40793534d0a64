// oss-fetch/node in the real Bun: Bun's `undici` is fetch alone (no dispatcher), so nodeFetch sends
// through node:http there; the client must work the same. Run by scripts/adapters/run.mjs with the
// local server's address in OSS_ENDPOINT.
import { OSSClient, nodeFetch } from '../../src/adapters/node.js';
import { assert, patternBytes, rejects, runTests, sameBytes } from './harness.js';

const client = new OSSClient({
  endpoint: process.env.OSS_ENDPOINT!, region: 'cn-hangzhou', bucket: 'adapters-bun',
  accessKeyId: process.env.OSS_ACCESS_KEY_ID!, accessKeySecret: process.env.OSS_ACCESS_KEY_SECRET!,
});

const outcomes = await runTests([
  ['put, get and head of a small object, and a 3 MB one streamed back', async () => {
    await client.put('small.txt', Buffer.from('from Bun'));
    const { content } = await client.get('small.txt');
    assert(content.toString() === 'from Bun', `got ${JSON.stringify(content.toString())}`);
    assert((await client.head('small.txt')).res.headers['content-length'] === '8', 'head has the length');
    const big = patternBytes(3_000_000, 5);
    await client.put('big.bin', big);
    const { stream } = await client.getStream('big.bin');
    const chunks: Uint8Array[] = [];
    const reader = stream.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
    assert(sameBytes(new Uint8Array(Buffer.concat(chunks)), big), 'streamed bytes differ');
  }],
  ['a missing key is NoSuchKeyError; an abort is AbortError', async () => {
    await rejects(client.get('none'), (err) => err.name === 'NoSuchKeyError', 'missing key');
    await rejects(client.get('big.bin', { signal: AbortSignal.abort() }), (err) => err.name === 'AbortError', 'aborted get');
  }],
  ['nodeFetch itself answers as fetch does', async () => {
    const fetch = nodeFetch();
    const res = await fetch(`${process.env.OSS_ENDPOINT}/adapters-bun/small.txt`);
    assert(res.status === 403 && res instanceof Response, `anonymous read of a private object: ${res.status}`);
    await res.arrayBuffer();
  }],
]);
console.log(`ADAPTER-REPORT ${JSON.stringify(outcomes)}`);
