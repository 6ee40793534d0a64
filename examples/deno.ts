// oss-fetch in Deno: nothing to install beyond the package, no Node compatibility layer.
//
//   deno run --allow-net --allow-env examples/deno.ts
//
// In a checkout, after `npm ci` (which builds dist/, what "oss-fetch" resolves to here), against
// `npm start`'s server by default; point it at OSS with
// OSS_ENDPOINT / OSS_REGION, OSS_BUCKET, OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET. In your own
// project, map "oss-fetch" to "npm:oss-fetch" in deno.json (or import "npm:oss-fetch" directly).
import { OSSClient } from 'oss-fetch';

const env = (name: string, fallback: string) => Deno.env.get(name) ?? fallback;

const client = new OSSClient({
  endpoint: env('OSS_ENDPOINT', 'http://127.0.0.1:9000'),
  region: env('OSS_REGION', 'cn-hangzhou'),
  bucket: env('OSS_BUCKET', 'demo'),
  accessKeyId: env('OSS_ACCESS_KEY_ID', 'ossfetch-dev-key'),
  accessKeySecret: env('OSS_ACCESS_KEY_SECRET', 'ossfetch-dev-secret'),
});

await client.put('examples/deno.txt', `Hello from Deno ${Deno.version.deno}`);
const { content } = await client.get('examples/deno.txt');
console.log(new TextDecoder().decode(content));
for await (const object of client.listAll({ prefix: 'examples/' })) console.log(`${object.name}`);
const url = await client.signatureUrl('examples/deno.txt', { expires: 60 });
console.log(`presigned: ${(await fetch(url)).status}`);
await client.delete('examples/deno.txt');
