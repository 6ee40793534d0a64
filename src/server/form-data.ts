// A streaming multipart/form-data reader for PostObject. The fields before the file are
// buffered (they are small and bounded); the file part is handed over as a stream that ends at
// the next boundary, so an upload of gigabytes never sits in memory. Anything after the file
// part is ignored, as OSS requires the file to be the last field.

import { serverError } from './errors.js';

export interface PostFile {
  /** The `filename` of the part's Content-Disposition ('' when absent). */
  filename: string;
  contentType?: string;
  body: ReadableStream<Uint8Array>;
}

export interface PostForm {
  /** Fields before the file; names lower-cased (OSS treats them case-insensitively). */
  fields: Map<string, string>;
  file?: PostFile;
}

export interface FormLimits {
  /** Total bytes of the fields before the file. */
  maxFieldBytes: number;
  /** Length of one field name. */
  maxNameBytes: number;
}

const MAX_PART_HEADER_BYTES = 16 * 1024;
const CRLF = new Uint8Array([13, 10]);
const HEADER_END = new Uint8Array([13, 10, 13, 10]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const malformed = (why: string) =>
  serverError('MalformedPOSTRequest', {}, `The body of your POST request is not well-formed multipart/form-data: ${why}.`);

/** The boundary of a multipart/form-data Content-Type, or undefined for anything else. */
export function formBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Read the fields up to the `file` part and return that part's body as a stream. */
export async function readPostForm(body: ReadableStream<Uint8Array>, boundary: string, limits: FormLimits): Promise<PostForm> {
  const input = new ByteReader(body);
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  // The first boundary has no CRLF before it (a preamble may precede it).
  if (!(await input.skipPast(delimiter.subarray(2), 1024 * 1024))) throw malformed('no opening boundary');
  const fields = new Map<string, string>();
  let fieldBytes = 0;
  for (;;) {
    if (!(await input.startPart())) {
      await input.drain();
      return { fields };
    }
    const headers = await input.takeUntil(HEADER_END, MAX_PART_HEADER_BYTES);
    if (headers === undefined) throw malformed('a part has no header end');
    const part = partHeaders(decoder.decode(headers));
    if (encoder.encode(part.name).length > limits.maxNameBytes) {
      throw serverError('InvalidArgument', {}, `A form field name is longer than ${limits.maxNameBytes} bytes.`);
    }
    if (part.name.toLowerCase() === 'file') {
      return { fields, file: { filename: part.filename ?? '', contentType: part.contentType, body: input.streamUntil(delimiter) } };
    }
    const value = await input.takeUntil(delimiter, limits.maxFieldBytes - fieldBytes);
    if (value === undefined) {
      throw serverError('InvalidArgument', {}, `The form fields before the file are larger than ${limits.maxFieldBytes} bytes.`);
    }
    fieldBytes += value.byteLength + part.name.length;
    fields.set(part.name.toLowerCase(), decoder.decode(value));
  }
}

interface PartHeaders {
  name: string;
  filename?: string;
  contentType?: string;
}

function partHeaders(block: string): PartHeaders {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) throw malformed('a part has no form-data Content-Disposition');
  const params = new Map<string, string>();
  for (const m of disposition.matchAll(/;\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    params.set(m[1]!.toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim());
  }
  const name = params.get('name');
  if (name === undefined) throw malformed('a part has no field name');
  return { name, filename: params.get('filename'), contentType };
}

/** Pull-based access to a byte stream with pattern search across chunk borders. */
class ByteReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buf: Uint8Array = new Uint8Array(0);
  #ended = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  async #more(): Promise<boolean> {
    if (this.#ended) return false;
    const { done, value } = await this.#reader.read();
    if (done) {
      this.#ended = true;
      return false;
    }
    if (this.#buf.byteLength === 0) {
      this.#buf = value;
      return true;
    }
    const joined = new Uint8Array(this.#buf.byteLength + value.byteLength);
    joined.set(this.#buf);
    joined.set(value, this.#buf.byteLength);
    this.#buf = joined;
    return true;
  }

  /** Bytes before `pattern` (consumed with it), or undefined past `max` bytes or at the end. */
  async takeUntil(pattern: Uint8Array, max: number): Promise<Uint8Array | undefined> {
    let from = 0;
    for (;;) {
      const at = indexOf(this.#buf, pattern, from);
      if (at >= 0) {
        if (at > max) return undefined;
        const taken = this.#buf.slice(0, at);
        this.#buf = this.#buf.subarray(at + pattern.byteLength);
        return taken;
      }
      if (this.#buf.byteLength > max + pattern.byteLength) return undefined;
      from = Math.max(0, this.#buf.byteLength - pattern.byteLength + 1);
      if (!(await this.#more())) return undefined;
    }
  }

  async skipPast(pattern: Uint8Array, max: number): Promise<boolean> {
    return (await this.takeUntil(pattern, max)) !== undefined;
  }

  /** After a boundary: `--` ends the form, CRLF starts a part. */
  async startPart(): Promise<boolean> {
    while (this.#buf.byteLength < 2) if (!(await this.#more())) throw malformed('the body ends inside a boundary');
    if (this.#buf[0] === 45 && this.#buf[1] === 45) return false;
    const end = await this.takeUntil(CRLF, 256);
    if (end === undefined || !/^[ \t]*$/.test(decoder.decode(end))) throw malformed('a boundary is followed by garbage');
    return true;
  }

  /** The bytes up to `pattern` as a stream; it errors if the body ends first. */
  streamUntil(pattern: Uint8Array): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          const at = indexOf(this.#buf, pattern, 0);
          if (at >= 0) {
            if (at > 0) controller.enqueue(this.#buf.subarray(0, at));
            this.#buf = new Uint8Array(0);
            controller.close();
            void this.drain();
            return;
          }
          // Keep a tail that could be the start of the delimiter.
          const safe = this.#buf.byteLength - pattern.byteLength + 1;
          if (safe > 0) {
            controller.enqueue(this.#buf.subarray(0, safe));
            this.#buf = this.#buf.subarray(safe);
            return;
          }
          if (!(await this.#more())) throw malformed('the file part has no closing boundary');
        }
      },
      cancel: () => this.cancel(),
    });
  }

  /**
   * Read what follows the form (the closing boundary, an epilogue) so the connection stays
   * usable for the response; cancelling the body of a Node request would close its socket.
   * Only an oversized epilogue is cut off.
   */
  async drain(max = 64 * 1024): Promise<void> {
    let seen = 0;
    try {
      while (!this.#ended && seen <= max) {
        const { done, value } = await this.#reader.read();
        if (done) this.#ended = true;
        else seen += value.byteLength;
      }
      if (!this.#ended) await this.cancel();
    } catch {
      // The client went away: nothing left to read.
    }
  }

  async cancel(): Promise<void> {
    this.#ended = true;
    await this.#reader.cancel().catch(() => {});
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let i = haystack.indexOf(first, from); i >= 0 && i <= haystack.byteLength - needle.byteLength; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.byteLength && haystack[i + j] === needle[j]) j++;
    if (j === needle.byteLength) return i;
  }
  return -1;
}
