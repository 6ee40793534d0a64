// What resume accepts as a checkpoint, and when it refuses one: a malformed checkpoint is an
// OSSArgumentError naming the field before anything is sent; one made for another object, body or
// part size is refused with the reason; one that matches is accepted whatever the caller left out.
// And the listing that decides which parts the server still holds fails loudly on errors other
// than a gone upload, against the checkpoint's own bucket.
import { describe, expect, it } from 'vitest';
import { assertCheckpoint, checkResumable, partsOnServer, type MultipartCheckpoint, type ResumeTarget } from '../../src/client/multipart/checkpoint.js';
import { OSSArgumentError, OSSClient } from '../../src/index.js';
import { thrownBy } from '../helpers/errors.js';

const KB = 1024;
const good: MultipartCheckpoint = {
  uploadId: 'u1', name: 'k.bin', bucket: 'cp-bucket', partSize: 100 * KB, fileSize: 300 * KB,
  fileName: 'k.bin', fileLastModified: 1000,
  doneParts: [{ number: 1, etag: '"ABC"', size: 100 * KB, crc64: '1' }],
};
const target: ResumeTarget = { name: 'k.bin', bucket: 'cp-bucket', size: 300 * KB, partSize: undefined, file: { name: 'k.bin', lastModified: 1000 } };

/** The argument an OSSArgumentError names, or the error itself when it is something else. */
function refusedArgument(run: () => void): string {
  const err = thrownBy(run);
  expect(err).toBeInstanceOf(OSSArgumentError);
  return (err as OSSArgumentError).argument;
}

describe('assertCheckpoint', () => {
  it('accepts a well-formed checkpoint, with fileSize null (a stream) or without CRC-64s', () => {
    expect(() => assertCheckpoint(good)).not.toThrow();
    expect(() => assertCheckpoint({ ...good, fileSize: null })).not.toThrow();
    expect(() => assertCheckpoint({ ...good, doneParts: [{ number: 1, etag: '"ABC"', size: 0 }] })).not.toThrow();
  });

  it('refuses what is not a checkpoint object', () => {
    for (const value of [null, undefined, 0, 'cp', true, [], [good]]) {
      expect(refusedArgument(() => assertCheckpoint(value)), String(value)).toBe('options.checkpoint');
    }
    expect(String(thrownBy(() => assertCheckpoint([])))).toContain('expected a checkpoint object, got');
  });

  it('names the field that is missing or wrong', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ uploadId: '' }, 'options.checkpoint.uploadId'],
      [{ uploadId: 7 }, 'options.checkpoint.uploadId'],
      [{ name: undefined }, 'options.checkpoint.name'],
      [{ bucket: '' }, 'options.checkpoint.bucket'],
      [{ partSize: 100 * KB - 1 }, 'options.checkpoint.partSize'],
      [{ partSize: '102400' }, 'options.checkpoint.partSize'],
      [{ fileSize: -1 }, 'options.checkpoint.fileSize'],
      [{ fileSize: undefined }, 'options.checkpoint.fileSize'],
      [{ doneParts: undefined }, 'options.checkpoint.doneParts'],
      [{ doneParts: {} }, 'options.checkpoint.doneParts'],
      [{ doneParts: [null] }, 'options.checkpoint.doneParts[0]'],
      [{ doneParts: ['part'] }, 'options.checkpoint.doneParts[0]'],
      [{ doneParts: [good.doneParts[0], { etag: '"A"', size: 1 }] }, 'options.checkpoint.doneParts[1].number'],
      [{ doneParts: [{ number: 0, etag: '"A"', size: 1 }] }, 'options.checkpoint.doneParts[0].number'],
      [{ doneParts: [{ number: 1, etag: '"A"', size: -1 }] }, 'options.checkpoint.doneParts[0].size'],
      [{ doneParts: [{ number: 1, etag: '', size: 1 }] }, 'options.checkpoint.doneParts[0].etag'],
      [{ doneParts: [{ number: 1, etag: 5, size: 1 }] }, 'options.checkpoint.doneParts[0].etag'],
    ];
    for (const [change, argument] of cases) {
      expect(refusedArgument(() => assertCheckpoint({ ...good, ...change })), JSON.stringify(change)).toBe(argument);
    }
    expect(String(thrownBy(() => assertCheckpoint({ ...good, name: '' })))).toContain('expected a non-empty string');
    expect(String(thrownBy(() => assertCheckpoint({ ...good, doneParts: [null] })))).toContain('expected { number, etag, size, crc64 }');
    expect(String(thrownBy(() => assertCheckpoint({ ...good, doneParts: {} })))).toContain('expected an array');
    expect(String(thrownBy(() => assertCheckpoint({ ...good, doneParts: [{ number: 1, etag: '', size: 1 }] })))).toContain('expected a string');
  });
});

describe('checkResumable', () => {
  const why = (cp: MultipartCheckpoint, t: ResumeTarget) => String(thrownBy(() => checkResumable(cp, t)));

  it('accepts the body it was made for, whatever the caller leaves out', () => {
    expect(() => checkResumable(good, target)).not.toThrow();
    expect(() => checkResumable(good, { ...target, partSize: good.partSize })).not.toThrow();
    // A stream's size is not known up front; a stream's checkpoint has none.
    expect(() => checkResumable(good, { ...target, size: undefined })).not.toThrow();
    expect(() => checkResumable({ ...good, fileSize: null }, target)).not.toThrow();
    // Bytes in memory, or a checkpoint that recorded no file.
    expect(() => checkResumable(good, { ...target, file: undefined })).not.toThrow();
    const { fileName: _n, fileLastModified: _m, ...noFile } = good;
    expect(() => checkResumable(noFile, target)).not.toThrow();
  });

  it('refuses another object, bucket, part size, body size, file or file version, saying which', () => {
    expect(why(good, { ...target, name: 'other.bin' })).toContain('it is for object "k.bin", not "other.bin"; start a new upload without it');
    expect(why(good, { ...target, bucket: 'b2' })).toContain('it is for bucket "cp-bucket", not "b2"');
    expect(why(good, { ...target, partSize: 200 * KB })).toContain(`it was made with partSize ${100 * KB}, not ${200 * KB}`);
    expect(why(good, { ...target, size: 300 * KB + 1 })).toContain(`it is for a body of ${300 * KB} bytes; this one has ${300 * KB + 1}`);
    expect(why(good, { ...target, file: { name: 'other.bin', lastModified: 1000 } })).toContain('it is for file "k.bin", not "other.bin"');
    expect(why(good, { ...target, file: { name: 'k.bin', lastModified: 2000 } })).toContain('file "k.bin" changed since the checkpoint was made');
    // A copy's checkpoint (multipartUploadCopy) resumes only a copy, which checks its source itself.
    const copied = { ...good, copySource: { bucket: 'cp-bucket', key: 'src.bin', startOffset: 0 } };
    expect(why(copied, target)).toContain('it is for a copy, not an upload');
    expect(() => checkResumable(copied, { ...target, copy: true })).not.toThrow();
    for (const t of [{ ...target, name: 'x' }, { ...target, file: { name: 'k.bin', lastModified: 1 } }]) {
      expect(thrownBy(() => checkResumable(good, t))).toMatchObject({ name: 'OSSArgumentError', argument: 'options.checkpoint' });
    }
  });
});

describe('partsOnServer', () => {
  /** A client whose every request is answered by `answer`; the URLs it asked for are kept. */
  function clientAnswering(answer: (url: URL) => Response) {
    const asked: URL[] = [];
    const client = new OSSClient({
      accessKeyId: 'id', accessKeySecret: 'secret', endpoint: 'http://127.0.0.1:1', region: 'cn-hangzhou', bucket: 'default-bucket', retries: 0,
      fetch: async (input) => {
        const url = new URL(String(input));
        asked.push(url);
        return answer(url);
      },
    });
    return { client, asked };
  }
  const ossError = (status: number, code: string) => new Response(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message><RequestId>r</RequestId></Error>`,
    { status, headers: { 'content-type': 'application/xml', 'x-oss-request-id': 'r' } },
  );

  it('is null when the upload is gone, and fails on any other error instead of starting afresh', async () => {
    expect(await partsOnServer(clientAnswering(() => ossError(404, 'NoSuchUpload')).client, good, undefined)).toBeNull();
    await expect(partsOnServer(clientAnswering(() => ossError(403, 'AccessDenied')).client, good, undefined)).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(partsOnServer(clientAnswering(() => ossError(404, 'NoSuchBucket')).client, good, undefined)).rejects.toMatchObject({ code: 'NoSuchBucket' });
  });

  it('lists the parts of the checkpoint\'s bucket and upload, not the client\'s default bucket', async () => {
    const { client, asked } = clientAnswering(() => ossError(404, 'NoSuchUpload'));
    await partsOnServer(client, good, undefined);
    expect(asked).toHaveLength(1);
    expect(`${asked[0]!.host}${asked[0]!.pathname}`).toMatch(/(^cp-bucket\.|\/cp-bucket\/)/);
    expect(asked[0]!.searchParams.get('uploadId')).toBe('u1');
  });
});
