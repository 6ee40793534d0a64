// The demo page in Chromium, end to end: files picked with <input type=file> go to the local OSS
// server with STS keys from the demo back end; progress reaches 100%; an upload is cancelled and
// resumed, another survives a page reload; the bytes on the server are the files' bytes; the
// listing downloads and deletes.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSSClient } from '../src/index.js';
import { startDemo, type RunningDemo } from '../demo/backend.js';
import { launchChromium, type Browser } from './chromium.js';

const MB = 1024 * 1024;

/** Deterministic, incompressible bytes (xorshift), so every part has its own ETag. */
function pseudoRandom(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer, 0, size);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('demo page in Chromium', () => {
  let demo: RunningDemo;
  let browser: Browser;
  let page: Page;
  let owner: OSSClient;
  let dir: string;
  const files: Record<string, string> = {};

  const item = (name: string) => page.locator(`li.upload[data-name="uploads/${name}"]`);
  const percentOf = async (name: string) => Number(await item(name).getAttribute('data-percent'));
  const waitState = (name: string, state: string, timeout = 120_000) =>
    page.waitForFunction(`document.querySelector('li.upload[data-name="uploads/${name}"]')?.dataset.state === ${JSON.stringify(state)}`, null, { timeout });
  const waitPercent = (name: string, atLeast: number) =>
    page.waitForFunction(`Number(document.querySelector('li.upload[data-name="uploads/${name}"]')?.dataset.percent) >= ${atLeast}`, null, { timeout: 60_000 });
  /** Every data-percent value an upload row showed, in order (recorded by the page itself). */
  const progressLog = (name: string): Promise<number[]> => page.evaluate(`(window.__progress || {})[${JSON.stringify(`uploads/${name}`)}] || []`);
  const checkpointOf = (name: string) =>
    page.evaluate(`(() => { for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); if (k.startsWith('oss-demo:checkpoint:${name}|')) return JSON.parse(localStorage.getItem(k)).checkpoint; } return null; })()`) as Promise<{ uploadId: string; doneParts: unknown[] } | null>;

  /** Slow uploads down (Chromium's network emulation), so cancelling and reloading land midway. */
  async function throttleUploads(bytesPerSecond: number) {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  }

  async function expectStored(name: string) {
    const { content } = await owner.get(`uploads/${name}`);
    const source = readFileSync(files[name]!);
    expect(content.byteLength).toBe(source.byteLength);
    expect(sha256(content)).toBe(sha256(source));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oss-fetch-e2e-files-'));
    const make = (name: string, bytes: Buffer) => {
      files[name] = join(dir, name);
      writeFileSync(files[name]!, bytes);
    };
    make('notes.txt', Buffer.from('a few words from the e2e test\n'.repeat(400)));
    make('big-60mb.bin', pseudoRandom(60 * MB, 1));
    make('cancel-me.bin', pseudoRandom(24 * MB + 123, 2));
    make('reload-me.bin', pseudoRandom(30 * MB + 7, 3));
    demo = await startDemo({ ossPort: 0, demoPort: 0 });
    owner = new OSSClient({ ...demo.oss.clientOptions, bucket: 'demo' });
    browser = await launchChromium();
  });

  // Each test starts from the same place, whatever ran before it: an empty bucket with no
  // pending uploads, a fresh unthrottled page with no saved checkpoints.
  beforeEach(async () => {
    for (const { name } of (await owner.list({ 'max-keys': 1000 })).objects) await owner.delete(name);
    for (const { name, uploadId } of (await owner.listUploads({})).uploads) await owner.abortMultipartUpload(name, uploadId);
    await page?.close();
    page = await browser.context.newPage();
    // Record each upload row's progress as the page renders it, across reloads.
    await page.addInitScript(`
      window.__progress = {};
      new MutationObserver((records) => {
        for (const r of records) {
          const li = r.target;
          if (!(li instanceof HTMLElement) || !li.matches('li.upload')) continue;
          (window.__progress[li.dataset.name] ||= []).push(Number(li.dataset.percent));
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-percent'] });
    `);
    await page.goto(demo.demoUrl);
    await page.evaluate('localStorage.clear()');
    await page.reload();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets STS keys from the demo back end (the page never sees the long-term key)', async () => {
    await page.waitForFunction(`document.getElementById('session-text').textContent.startsWith('STS key STS.')`, null, { timeout: 20_000 });
    const html = await page.content();
    expect(html).not.toContain(demo.oss.clientOptions.accessKeySecret);
    expect(html).not.toContain(demo.oss.clientOptions.accessKeyId);
  });

  it('uploads picked files, a 60 MB one in parts, with progress reaching 100%', async () => {
    await page.setInputFiles('#files', [files['notes.txt']!, files['big-60mb.bin']!]);
    await waitState('notes.txt', 'done');
    await waitState('big-60mb.bin', 'done');
    const log = await progressLog('big-60mb.bin');
    // Real progress: many distinct steps, never backwards, 100 only at the end.
    expect(new Set(log).size).toBeGreaterThan(10);
    expect(log.every((p, i) => i === 0 || p >= log[i - 1]!)).toBe(true);
    const full = log.indexOf(100);
    expect(full).toBeGreaterThan(10);
    expect(log.slice(full).every((p) => p === 100)).toBe(true);
    expect(await page.locator('li.upload[data-name="uploads/big-60mb.bin"] [role=progressbar]').getAttribute('aria-valuenow')).toBe('100');
    await expectStored('notes.txt');
    await expectStored('big-60mb.bin');
    const head = await owner.head('uploads/big-60mb.bin');
    expect(head.res.headers['x-oss-object-type']).toBe('Multipart');
  });

  it('cancels an upload midway and resumes it from its checkpoint', async () => {
    await throttleUploads(6 * MB);
    await page.setInputFiles('#files', files['cancel-me.bin']!);
    await waitPercent('cancel-me.bin', 15);
    await item('cancel-me.bin').locator('button[data-act=cancel]').click();
    await waitState('cancel-me.bin', 'paused');
    const paused = await percentOf('cancel-me.bin');
    const checkpoint = await checkpointOf('cancel-me.bin');
    expect(checkpoint?.doneParts.length).toBeGreaterThan(0);
    // The bar shows what a resume keeps: the checkpoint's parts.
    expect(paused).toBe(Math.floor((checkpoint!.doneParts.length * MB * 100) / (24 * MB + 123)));
    const pending = await owner.listUploads({ prefix: 'uploads/cancel-me.bin' });
    expect(pending.uploads.map((u) => u.uploadId)).toEqual([checkpoint!.uploadId]);
    await expect(owner.head('uploads/cancel-me.bin')).rejects.toMatchObject({ status: 404 });

    const before = (await progressLog('cancel-me.bin')).length;
    const sent: string[] = [];
    const watch = (request: { method(): string; url(): string }) => {
      if (request.url().includes('/cancel-me.bin') && request.method() !== 'OPTIONS') sent.push(`${request.method()} ${new URL(request.url()).search}`);
    };
    page.on('request', watch);
    await item('cancel-me.bin').locator('button[data-act=resume]').click();
    await waitState('cancel-me.bin', 'done');
    page.off('request', watch);
    // Resumed, not restarted: the same upload, only the missing parts sent, the bar never back at 0.
    const parts = Math.ceil((24 * MB + 123) / MB);
    expect(sent.filter((r) => r.startsWith('POST') && r.includes('uploads'))).toEqual([]);
    const partPuts = sent.filter((r) => r.startsWith('PUT') && r.includes(`uploadId=${encodeURIComponent(checkpoint!.uploadId)}`));
    expect(partPuts.length).toBeGreaterThan(0);
    expect(partPuts.length).toBeLessThanOrEqual(parts - checkpoint!.doneParts.length);
    const after = (await progressLog('cancel-me.bin')).slice(before);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(paused);
    expect((await owner.listUploads({ prefix: 'uploads/cancel-me.bin' })).uploads).toEqual([]);
    expect(await checkpointOf('cancel-me.bin')).toBeNull();
    await expectStored('cancel-me.bin');
  });

  it('resumes after a page reload when the same file is picked again', async () => {
    await throttleUploads(6 * MB);
    await page.setInputFiles('#files', files['reload-me.bin']!);
    await waitPercent('reload-me.bin', 20);
    const checkpoint = await checkpointOf('reload-me.bin');
    expect(checkpoint).not.toBeNull();
    await page.reload();
    await page.waitForSelector('#interrupted:not([hidden]) li[data-name="uploads/reload-me.bin"]');
    const saved = await checkpointOf('reload-me.bin');
    expect(saved?.uploadId).toBe(checkpoint!.uploadId);
    await page.setInputFiles('#files', files['reload-me.bin']!);
    // The row starts from the checkpoint's bytes, not from zero.
    const first = (await progressLog('reload-me.bin'))[0] ?? (await percentOf('reload-me.bin'));
    expect(first).toBeGreaterThan(0);
    await waitState('reload-me.bin', 'done');
    expect(await page.locator('#interrupted').isHidden()).toBe(true);
    // The upload begun before the reload was completed; no other was started.
    expect((await owner.listUploads({ prefix: 'uploads/reload-me.bin' })).uploads).toEqual([]);
    await expectStored('reload-me.bin');
  });

  it('lists the bucket, downloads and deletes', async () => {
    const names = ['notes.txt', 'big-60mb.bin', 'cancel-me.bin', 'reload-me.bin'].map((n) => `uploads/${n}`);
    // Its own objects (only notes.txt is downloaded, so the others can be small stand-ins).
    for (const name of names) await owner.put(name, name.endsWith('/notes.txt') ? readFileSync(files['notes.txt']!) : `stand-in for ${name}`);
    await page.click('#refresh');
    for (const name of names) await page.waitForSelector(`#objects tr[data-name="${name}"]`);
    expect(await page.locator('#objects tr').count()).toBe(names.length);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#objects tr[data-name="uploads/notes.txt"] button[data-act=download]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('notes.txt');
    const path = await download.path();
    expect(sha256(readFileSync(path))).toBe(sha256(readFileSync(files['notes.txt']!)));

    await page.locator('#objects tr[data-name="uploads/big-60mb.bin"] button[data-act=delete]').click();
    await page.waitForSelector('#objects tr[data-name="uploads/big-60mb.bin"]', { state: 'detached' });
    await expect(owner.head('uploads/big-60mb.bin')).rejects.toMatchObject({ status: 404 });
    expect(await page.locator('#objects tr').count()).toBe(names.length - 1);
  });
});
