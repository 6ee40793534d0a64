// A bare node:http object store doing the same I/O as the fs store's plain put and get (stream
// the body to a temp file, fsync, rename, plus a small JSON record the same way; stream the
// file back), with no auth, routing or
// hashing: the floor the local server is compared with. Prints "listening on <url>".
//
//   npx tsx bench/bare-server.ts <dir>
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';

const dir = process.argv[2]!;
let seq = 0;
const fileOf = (url: string) => join(dir, encodeURIComponent(url));

const server = createServer(async (req, res) => {
  try {
    const path = fileOf(req.url ?? '/');
    if (req.method === 'PUT') {
      const temp = `${path}.${seq++}.tmp`;
      await pipeline(req, createWriteStream(temp));
      const handle = await open(temp, 'r+');
      await handle.sync();
      await handle.close();
      await rename(temp, path);
      // The fs store also commits a small JSON record (temp, fsync, rename) per object.
      const meta = `${path}.json.${seq++}.tmp`;
      const json = await open(meta, 'w');
      await json.writeFile(JSON.stringify({ size: (await stat(path)).size, url: req.url }));
      await json.sync();
      await json.close();
      await rename(meta, `${path}.json`);
      res.writeHead(200, { 'content-length': '0' }).end();
    } else {
      const { size } = await stat(path);
      res.writeHead(200, { 'content-length': String(size) });
      await pipeline(createReadStream(path), res);
    }
  } catch {
    if (!res.headersSent) res.writeHead(404, { 'content-length': '0' });
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
