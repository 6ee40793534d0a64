// The streaming multipart/form-data reader of PostObject, fed in chunks of every size so that
// boundaries split across chunks are exercised.
import { describe, expect, it } from 'vitest';
import { formBoundary, readPostForm } from '../../src/server/form-data.js';
import { ServerError } from '../../src/server/errors.js';
import { chunkedStream, readAll } from '../helpers/streams.js';

const LIMITS = { maxFieldBytes: 8 * 1024 * 1024, maxNameBytes: 8 * 1024 };

async function encode(form: FormData): Promise<{ bytes: Uint8Array; boundary: string }> {
  const request = new Request('http://x/', { method: 'POST', body: form });
  const boundary = formBoundary(request.headers.get('content-type') ?? undefined)!;
  return { bytes: new Uint8Array(await request.arrayBuffer()), boundary };
}



const text = (s: string) => new TextEncoder().encode(s);

describe('formBoundary', () => {
  it('reads plain and quoted boundaries, refuses other types', () => {
    expect(formBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(formBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(formBoundary('multipart/mixed; boundary=abc')).toBeUndefined();
    expect(formBoundary('multipart/form-data')).toBeUndefined();
    expect(formBoundary(undefined)).toBeUndefined();
  });
});

describe('readPostForm', () => {
  // File bytes that look like a boundary start, CRLFs and dashes.
  const file = text('line1\r\n--not-the-boundary\r\n\r\n----\r\n-\r');

  it('splits fields and file correctly at every chunk size', async () => {
    const form = new FormData();
    form.append('key', 'uploads/${filename}');
    form.append('X-OSS-Meta-Owner', 'ann 中文');
    form.append('empty', '');
    form.append('file', new Blob([file], { type: 'text/plain' }), 'a "quoted" name.txt');
    form.append('after', 'ignored');
    const { bytes, boundary } = await encode(form);
    for (let size = 1; size <= bytes.length; size += size < 80 ? 1 : 37) {
      const parsed = await readPostForm(chunkedStream(bytes, size), boundary, LIMITS);
      expect(Object.fromEntries(parsed.fields)).toEqual({ key: 'uploads/${filename}', 'x-oss-meta-owner': 'ann 中文', empty: '' });
      expect(parsed.file?.contentType).toBe('text/plain');
      expect(parsed.file?.filename).toBe('a %22quoted%22 name.txt');
      expect(await readAll(parsed.file!.body)).toEqual(file);
    }
  });

  it('streams a large file without losing or adding bytes', async () => {
    const big = new Uint8Array(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + (i >> 9)) & 255;
    const form = new FormData();
    form.append('key', 'k');
    form.append('file', new Blob([big]));
    const { bytes, boundary } = await encode(form);
    const parsed = await readPostForm(chunkedStream(bytes, 65_536 + 3), boundary, LIMITS);
    const got = await readAll(parsed.file!.body);
    expect(got.length).toBe(big.length);
    expect(Buffer.compare(got, big)).toBe(0);
  });

  it('returns no file when the form has none', async () => {
    const form = new FormData();
    form.append('key', 'k');
    const { bytes, boundary } = await encode(form);
    const parsed = await readPostForm(chunkedStream(bytes, 5), boundary, LIMITS);
    expect(parsed.file).toBeUndefined();
    expect(parsed.fields.get('key')).toBe('k');
  });

  it('refuses fields over the size limit and over-long names', async () => {
    const form = new FormData();
    form.append('key', 'x'.repeat(2000));
    form.append('file', new Blob(['f']));
    const { bytes, boundary } = await encode(form);
    await expect(readPostForm(chunkedStream(bytes, 100), boundary, { maxFieldBytes: 1000, maxNameBytes: 100 })).rejects.toMatchObject({ code: 'InvalidArgument' });
    const named = new FormData();
    named.append('n'.repeat(200), 'v');
    const enc = await encode(named);
    await expect(readPostForm(chunkedStream(enc.bytes, 100), enc.boundary, { maxFieldBytes: 1000, maxNameBytes: 100 })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('refuses bodies that are not multipart, and a file cut short', async () => {
    await expect(readPostForm(chunkedStream(text('hello world'), 4), 'xyz', LIMITS)).rejects.toMatchObject({ code: 'MalformedPOSTRequest' });
    const form = new FormData();
    form.append('key', 'k');
    form.append('file', new Blob(['0123456789']));
    const { bytes, boundary } = await encode(form);
    const truncated = bytes.slice(0, bytes.length - boundary.length - 10);
    const parsed = await readPostForm(chunkedStream(truncated, 7), boundary, LIMITS);
    const err = await readAll(parsed.file!.body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).code).toBe('MalformedPOSTRequest');
  });
});
