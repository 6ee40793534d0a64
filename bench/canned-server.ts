// A node:http server that answers every request with the same canned OSS-like response (a 1 KiB
// body of 7s with its CRC-64, or an empty 200 with the CRC-64 of what a PUT sent), checks no
// signature and stores nothing: the
// far end for measuring a client's own CPU per request with no server work to wait on.
// Prints "listening on <url>".   npx tsx bench/canned-server.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc64 } from '../src/core/crc64.js';

const body = new Uint8Array(1024).fill(7);
const headers = {
  'content-type': 'application/octet-stream', etag: '"0F343B0931126A20F133D67C2B018A3B"', 'x-oss-request-id': '5C9B3E2A1D4F6B7C8E9A0B1C',
  'last-modified': 'Wed, 02 Dec 2026 12:00:00 GMT', server: 'AliyunOSS',
};
const server = createServer((req, res) => {
  const sent: Buffer[] = [];
  req.on('data', (chunk: Buffer) => sent.push(chunk));
  req.on('end', () => {
    if (req.method === 'PUT') res.writeHead(200, { ...headers, 'content-length': '0', 'x-oss-hash-crc64ecma': crc64(Buffer.concat(sent)) }).end();
    else res.writeHead(200, { ...headers, 'content-length': String(body.byteLength), 'x-oss-hash-crc64ecma': crc64(body) }).end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
