// watchHead: the next page's marker read from the head of a listing reply as it arrives. It is a
// hint checked later against the parsed page, so what matters here is that it hints the value the
// page's parse gives, and that it stops looking early.
import { describe, expect, it } from 'vitest';
import { watchHead } from '../../src/client/listing-head.js';
import { readXml } from '../../src/core/xml-read.js';
import { child, text } from '../../src/core/xml.js';

const head = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><Prefix></Prefix>${inner}`;
const entries = '<Contents><Key>a</Key><Size>1</Size></Contents><Contents><Key>b</Key></Contents></ListBucketResult>';

/** Feeds `body` in chunks of `size` characters; what was found, and after how many characters it stopped looking. */
function feed(field: string, body: string, size: number) {
  const found: string[] = [];
  const watch = watchHead(field, (v) => found.push(v));
  for (let end = size; ; end += size) {
    const done = end >= body.length;
    if (watch(body.slice(0, Math.min(end, body.length)), done)) return { found, stoppedAt: Math.min(end, body.length) };
    if (done) return { found, stoppedAt: -1 };
  }
}

describe('watchHead', () => {
  const truncated = head('<MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated><NextMarker>photos/2024/b.jpg</NextMarker>') + entries;

  it('finds the marker of a truncated page in its head, in chunks of any size', () => {
    for (const size of [1, 3, 7, 16, 64, truncated.length]) {
      const { found, stoppedAt } = feed('NextMarker', truncated, size);
      expect(found, `chunks of ${size}`).toEqual(['photos/2024/b.jpg']);
      // It stopped at the first entry, not at the end of the body.
      expect(stoppedAt, `chunks of ${size}`).toBeLessThan(truncated.indexOf('<Key>a</Key>') + size + 1);
    }
  });

  it('the V2 token, and a url-encoded marker decoded', () => {
    const v2 = head('<IsTruncated>true</IsTruncated><NextContinuationToken>CgJiYw--</NextContinuationToken>') + entries;
    expect(feed('NextContinuationToken', v2, 5).found).toEqual(['CgJiYw--']);
    const url = head('<EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextMarker>a%20b%2Fc%E4%BD%A0</NextMarker>') + entries;
    expect(feed('NextMarker', url, 4).found).toEqual(['a b/c你']);
  });

  it('no hint for a page that is not truncated, one with no marker, or a head that is not well-formed', () => {
    const cases = [
      head('<IsTruncated>false</IsTruncated><NextMarker>x</NextMarker>') + entries,
      head('<IsTruncated>true</IsTruncated>') + entries,
      head('<IsTruncated>true</IsTruncated><NextMarker></NextMarker>') + entries,
      head('<IsTruncated>true</IsTruncated><NextMarker/>') + entries,
      head('<IsTruncated>true</IsTruncated><NextMarker>a<b</NextMarker>') + entries, // not XML
      // The marker after the first entry is not in the head.
      head('<IsTruncated>true</IsTruncated>') + '<Contents><Key>a</Key></Contents><NextMarker>a</NextMarker></ListBucketResult>',
    ];
    for (const body of cases) expect(feed('NextMarker', body, 3).found, body).toEqual([]);
  });

  it('reads the marker as the whole page is read: entities, CDATA, a repeated element', () => {
    const cases: Array<[string, string]> = [
      [head('<IsTruncated>true</IsTruncated><NextMarker>a&amp;b&#x4F60;</NextMarker>') + entries, 'a&b你'],
      [head('<IsTruncated>true</IsTruncated><NextMarker><![CDATA[x<y]]></NextMarker>') + entries, 'x<y'],
      [head('<IsTruncated>true</IsTruncated><NextMarker>x</NextMarker><NextMarker>y</NextMarker>') + entries, 'x'],
    ];
    for (const [body, marker] of cases) {
      expect(feed('NextMarker', body, 3).found, body).toEqual([marker]);
      // The page's parse gives the same marker.
      const page = readXml(body).ListBucketResult;
      expect(text(child(page, 'NextMarker'))).toBe(marker);
    }
  });

  it('a body with no entries is read to its end; a head past 64 KiB gives up', () => {
    const empty = head('<IsTruncated>true</IsTruncated><NextMarker>m</NextMarker></ListBucketResult>');
    expect(feed('NextMarker', empty, 8)).toEqual({ found: ['m'], stoppedAt: empty.length });
    const long = head(`<Junk>${'x'.repeat(70_000)}</Junk><IsTruncated>true</IsTruncated><NextMarker>m</NextMarker>`) + entries;
    const { found, stoppedAt } = feed('NextMarker', long, 4096);
    expect(found).toEqual([]);
    expect(stoppedAt).toBeGreaterThan(64 * 1024);
    expect(stoppedAt).toBeLessThan(64 * 1024 + 8192);
  });

  it('a common prefix ends the head as a Contents does', () => {
    const body = head('<IsTruncated>true</IsTruncated><CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes><NextMarker>late</NextMarker>') + entries;
    expect(feed('NextMarker', body, 2).found).toEqual([]);
  });
});
