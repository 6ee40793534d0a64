// oss-fetch/deno in the real Deno: file paths, resume from disk, env credentials. Run by
// scripts/adapters/run.mjs with the local server's address in OSS_ENDPOINT and a scratch
// directory in ADAPTER_TMP.
import { OSSClient, optionsFromEnv, type MultipartCheckpoint } from '../../src/adapters/deno/index.js';
import { assert, patternBytes, rejects, runTests, sameBytes } from './harness.js';

declare const Deno: any;
const tmp = Deno.env.get('ADAPTER_TMP');
const client = OSSClient.fromEnv({ bucket: 'adapters-deno' });
const PART = 100 * 1024;

const outcomes = await runTests([
  ['fromEnv reads OSS_* variables (endpoint, keys, region) and talks to the server', async () => {
    const options = optionsFromEnv();
    assert(options.endpoint === Deno.env.get('OSS_ENDPOINT') && options.accessKeyId === Deno.env.get('OSS_ACCESS_KEY_ID'), 'options come from the environment');
    const { res } = await client.put('env.txt', new TextEncoder().encode('from env'));
    assert(res.status === 200, `put answered ${res.status}`);
  }],
  ['putFile and getFile round-trip a file byte for byte', async () => {
    const bytes = patternBytes(300_000, 7);
    await Deno.writeFile(`${tmp}/up.bin`, bytes);
    await client.putFile('files/up.bin', `${tmp}/up.bin`);
    await client.getFile('files/up.bin', `${tmp}/down.bin`);
    assert(sameBytes(await Deno.readFile(`${tmp}/down.bin`), bytes), 'downloaded bytes differ');
  }],
  ['put(name, path) uploads the file, never the path text (as ali-oss)', async () => {
    await Deno.writeTextFile(`${tmp}/doc.json`, '{"a":1}');
    await client.put('files/doc.json', `${tmp}/doc.json`);
    const { content } = await client.get('files/doc.json');
    assert(new TextDecoder().decode(content) === '{"a":1}', `stored ${JSON.stringify(new TextDecoder().decode(content))}`);
  }],
  ['get(name, path) downloads into the file', async () => {
    await client.get('files/doc.json', `${tmp}/doc-copy.json`);
    assert((await Deno.readTextFile(`${tmp}/doc-copy.json`)) === '{"a":1}', 'file content');
  }],
  ['a failed getFile leaves no file and no temporary file behind', async () => {
    await rejects(client.getFile('files/missing.bin', `${tmp}/missing.bin`), (e) => e.code === 'NoSuchKey', 'NoSuchKey expected');
    const left = [];
    for await (const entry of Deno.readDir(tmp)) if (entry.name.startsWith('missing.bin')) left.push(entry.name);
    assert(left.length === 0, `left behind: ${left.join(', ')}`);
  }],
  ['multipartUploadFile reads the file in parts and stores it whole', async () => {
    const bytes = patternBytes(PART * 3 + 123, 11);
    await Deno.writeFile(`${tmp}/big.bin`, bytes);
    const result = await client.multipartUploadFile('files/big.bin', `${tmp}/big.bin`, { partSize: PART, parallel: 2 });
    assert(result.res.status === 200, 'complete');
    const { content } = await client.get('files/big.bin');
    assert(sameBytes(content, bytes), 'stored bytes differ');
    // multipartUpload(name, path) is the same upload, as in ali-oss.
    await client.multipartUpload('files/big2.bin', `${tmp}/big.bin`, { partSize: PART });
    assert(sameBytes((await client.get('files/big2.bin')).content, bytes), 'multipartUpload(name, path) stored other bytes');
  }],
  ['a stopped upload resumes from its checkpoint, and a changed file is refused', async () => {
    const bytes = patternBytes(PART * 4, 13);
    const path = `${tmp}/resume.bin`;
    await Deno.writeFile(path, bytes);
    let saved: MultipartCheckpoint | undefined;
    const stop = new AbortController();
    await rejects(client.multipartUploadFile('files/resume.bin', path, {
      partSize: PART, parallel: 1, signal: stop.signal,
      onCheckpoint: (cp) => {
        saved = structuredClone(cp);
        if (cp.doneParts.length >= 2) stop.abort();
      },
    }), (e) => e.name === 'AbortError', 'the first attempt stops');
    assert(saved && saved.doneParts.length >= 2, 'a checkpoint with done parts');
    const done = saved!.doneParts.length;
    let sent = 0;
    await client.multipartUploadFile('files/resume.bin', path, { partSize: PART, checkpoint: saved, onCheckpoint: (cp) => { sent = cp.doneParts.length; } });
    assert(sent === 4 && done >= 2, 'resumed to all four parts');
    assert(sameBytes((await client.get('files/resume.bin')).content, bytes), 'resumed object differs');
    // The same checkpoint against a file that changed since is refused.
    await Deno.writeFile(path, patternBytes(PART * 4 + 1, 14));
    await rejects(client.multipartUploadFile('files/resume.bin', path, { partSize: PART, checkpoint: saved }), (e) => /changed|checkpoint|size/i.test(e.message), 'a changed file is refused');
  }],
  ['a file written to during the upload fails with FileChangedError', async () => {
    const path = `${tmp}/grow.bin`;
    await Deno.writeFile(path, patternBytes(PART * 3, 15));
    await rejects(client.multipartUploadFile('files/grow.bin', path, {
      partSize: PART, parallel: 1,
      onCheckpoint: () => Deno.writeFileSync(path, patternBytes(PART, 16), { append: true }),
    }), (e) => e.code === 'FileChanged', 'FileChanged expected');
  }],
]);

for (const o of outcomes) console.log(o.ok ? `  ✓ ${o.name}` : `  ✗ ${o.name}\n      ${o.error}`);
console.log(`ADAPTER-REPORT ${JSON.stringify(outcomes)}`);
