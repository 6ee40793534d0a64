// ImageClient: ali-oss's ImageClient, the Image Service API, on today's OSS image processing. Channel-style names
// (`demo.jpg@200w_200h`, `demo.jpg@!thumb`, `demo.jpg@infoexif`) become `x-oss-process` queries;
// styles are the bucket's `?style` sub-resource. Only query strings are built here: the pixels
// are the server's business.

import { OSSArgumentError } from '../core/errors.js';
import { assertObjectKey } from '../core/validate.js';
import { asArray, child, text, type XmlValue } from '../core/xml.js';
import { OSSCore, type OSSOptions, type ResponseInfo } from './core.js';
import { bucketCall, bucketRequest, type BucketCallOptions } from './bucket/common.js';
import { get, getStream, type GetIntoResult, type GetOptions, type GetResult, type GetStreamResult } from './object/get.js';
import { signatureUrl, type SignatureUrlOptions } from './object/presign.js';
import { readXml } from './read.js';
import { escapeXml } from '../core/xml.js';
import { checkOptions } from './call-options.js';

export interface ImageClientOptions extends OSSOptions {
  /** The host (or URL) that serves images, e.g. a custom domain; used instead of `endpoint`. */
  imageHost?: string;
}

/** Options of the image reads: those of `get` without `process`, which the name carries. */
export type ImageGetOptions = Omit<GetOptions, 'process'>;

/** A saved style as GetStyle / ListStyle return it. */
export interface ImageStyle {
  Name: string;
  /** The processing, e.g. `image/resize,w_200`. */
  Content: string;
  Category: string;
  CreateTime: string;
  LastModifyTime: string;
}

const FORMAT_SUFFIX = /\.(jpg|jpeg|png|webp)$/i;

/**
 * Translate an Image Service name into an object key and an `x-oss-process` value.
 *
 * | Image Service name | x-oss-process |
 * |---|---|
 * | `a.jpg@200w_200h` | `image/resize,w_200,h_200` |
 * | `a.jpg@100w_1e` / `@100w_100h_1e_1c` | `image/resize,m_mfit,w_100` / `m_fill` |
 * | `a.jpg@100w_1l` / `0l` | `limit_1` / `limit_0` |
 * | `a.jpg@50p` | `image/resize,p_50` |
 * | `a.jpg@100w_2x` | `image/resize,w_200` |
 * | `a.jpg@100w_90Q.png` | `image/resize,w_100/quality,Q_90/format,png` |
 * | `a.jpg@!thumb` | `style/thumb` |
 * | `a.jpg@infoexif`, `a.jpg@exif` | `image/info` |
 *
 * A name without `@` has no processing. Unknown parameters throw OSSArgumentError.
 * @example translateImageName('demo.jpg@200w_200h') // { key: 'demo.jpg', process: 'image/resize,w_200,h_200' }
 */
export function translateImageName(name: string): { key: string; process: string | undefined } {
  assertObjectKey(name, 'name');
  const at = name.lastIndexOf('@');
  if (at < 0) return { key: name, process: undefined };
  const key = name.slice(0, at);
  const spec = name.slice(at + 1);
  assertObjectKey(key, 'name');
  if (spec.startsWith('!')) {
    if (spec.length === 1) throw new OSSArgumentError('name', 'a style name is missing after "@!"');
    return { key, process: `style/${spec.slice(1)}` };
  }
  if (spec === 'infoexif' || spec === 'exif') return { key, process: 'image/info' };
  return { key, process: translateParams(spec) };
}

function translateParams(spec: string): string {
  const suffix = FORMAT_SUFFIX.exec(spec);
  const params = suffix ? spec.slice(0, suffix.index) : spec;
  const values = new Map<string, number>();
  for (const part of params ? params.split('_') : []) {
    const m = /^(\d+)([a-zA-Z])$/.exec(part);
    if (!m) throw new OSSArgumentError('name', `"${part}" is not an image parameter (expected <number><letter>, e.g. 200w)`);
    if (!'whelpcxQq'.includes(m[2]!)) throw new OSSArgumentError('name', `unknown image parameter "${m[2]}" in "${part}"`);
    values.set(m[2]!, Number(m[1]));
  }
  const actions: string[] = [];
  const scale = values.get('x') ?? 1;
  const resize: string[] = [];
  const e = values.get('e');
  if (e === 1) resize.push(values.get('c') === 1 ? 'm_fill' : 'm_mfit');
  else if (e !== undefined && e !== 0) throw new OSSArgumentError('name', `edge priority must be 0e or 1e, got ${e}e`);
  if (values.has('w')) resize.push(`w_${values.get('w')! * scale}`);
  if (values.has('h')) resize.push(`h_${values.get('h')! * scale}`);
  if (values.has('p')) resize.push(`p_${values.get('p')}`);
  if (values.has('l')) resize.push(`limit_${values.get('l') === 1 ? 1 : 0}`);
  if (resize.some((r) => /^[whp]_/.test(r))) actions.push(`resize,${resize.join(',')}`);
  else if (resize.length) throw new OSSArgumentError('name', 'e, c and l need a size (w, h or p)');
  if (values.has('Q')) actions.push(`quality,Q_${values.get('Q')}`);
  else if (values.has('q')) actions.push(`quality,q_${values.get('q')}`);
  if (suffix) actions.push(`format,${suffix[1]!.toLowerCase() === 'jpeg' ? 'jpg' : suffix[1]!.toLowerCase()}`);
  if (!actions.length) throw new OSSArgumentError('name', `"${spec}" asks for no image processing`);
  return `image/${actions.join('/')}`;
}

function withProcess(name: string, options: ImageGetOptions | undefined): { key: string; options: GetOptions } {
  checkOptions(options, 'bucket headers response versionId writable');
  if (options && 'process' in options) throw new OSSArgumentError('options.process', 'the processing goes in the name (name@200w) with ImageClient');
  const { key, process } = translateImageName(name);
  return { key, options: process === undefined ? { ...options } : { ...options, process } };
}

/** `{ FileSize: { value: '123' } }` → `{ FileSize: '123' }`. */
function flattenInfo(json: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!json || typeof json !== 'object') return out;
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    const value = v && typeof v === 'object' ? (v as { value?: unknown }).value : v;
    if (value !== undefined) out[k] = String(value);
  }
  return out;
}

const NOT_EXIF = new Set(['FileSize', 'Format', 'FrameCount', 'ImageHeight', 'ImageWidth']);

function styleFrom(node: XmlValue | undefined): ImageStyle {
  const field = (name: string) => text(child(node, name)) ?? '';
  return {
    Name: field('Name'), Content: field('Content'), Category: field('Category'),
    CreateTime: field('CreateTime'), LastModifyTime: field('LastModifyTime'),
  };
}

function checkStyleName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
    throw new OSSArgumentError('name', 'a style name is 1-64 letters, digits, "-", "_" or "."');
  }
}

/**
 * ali-oss's ImageClient (the Image Service API), mapped onto OSS image processing of one bucket.
 * @example
 * const images = new ImageClient({ region: 'oss-cn-hangzhou', bucket: 'photos', accessKeyId, accessKeySecret })
 * const { content } = await images.get('cat.jpg@200w_200h')
 */
export class ImageClient extends OSSCore {
  constructor(options: ImageClientOptions = {}) {
    const { imageHost, ...rest } = options;
    if (imageHost !== undefined && (typeof imageHost !== 'string' || !imageHost)) throw new OSSArgumentError('imageHost', 'expected a host name or URL');
    if (typeof rest.bucket !== 'string') throw new OSSArgumentError('bucket', 'ImageClient needs a bucket');
    super(imageHost === undefined ? rest : { ...rest, endpoint: imageHost });
  }

  /**
   * A processed image (`name@200w_200h`, `name@!style`) into memory, or into a WritableStream.
   * @example const { content } = await images.get('cat.jpg@100w_100h_90Q.webp')
   * @example await images.get('cat.jpg@!thumb', await fileHandle.createWritable())
   */
  get(name: string, writable: WritableStream<Uint8Array>, options?: ImageGetOptions): Promise<GetIntoResult>;
  get(name: string, options?: ImageGetOptions & { writable?: undefined }): Promise<GetResult>;
  get(name: string, options: ImageGetOptions & { writable: WritableStream<Uint8Array> }): Promise<GetIntoResult>;
  async get(name: string, target?: WritableStream<Uint8Array> | (ImageGetOptions & { writable?: WritableStream<Uint8Array> }), options?: ImageGetOptions): Promise<GetResult | GetIntoResult> {
    if (typeof WritableStream !== 'undefined' && target instanceof WritableStream) {
      const req = withProcess(name, options);
      return get(this, req.key, { ...req.options, writable: target });
    }
    const { writable, ...rest } = (target ?? {}) as ImageGetOptions & { writable?: WritableStream<Uint8Array> };
    const req = withProcess(name, rest);
    return writable === undefined ? get(this, req.key, req.options) : get(this, req.key, { ...req.options, writable });
  }

  /**
   * A processed image as a stream.
   * @example const { stream } = await images.getStream('cat.jpg@200w'); await stream.pipeTo(sink)
   */
  async getStream(name: string, options?: ImageGetOptions): Promise<GetStreamResult> {
    const req = withProcess(name, options);
    return getStream(this, req.key, req.options);
  }

  /**
   * The image's facts (size, format, dimensions and EXIF fields) as strings, from `image/info`.
   * @example const { data } = await images.getInfo('cat.jpg'); data.ImageWidth // '1600'
   */
  async getInfo(name: string, options?: ImageGetOptions): Promise<{ data: Record<string, string>; res: ResponseInfo }> {
    checkOptions(options, 'bucket headers response versionId');
    const key = translateImageName(name).key;
    const { content, res } = await get(this, key, { ...options, process: 'image/info' });
    return { data: flattenInfo(JSON.parse(new TextDecoder().decode(content))), res };
  }

  /**
   * Only the EXIF fields of `getInfo` (Orientation, resolution, …); `{}` for an image without EXIF.
   * @example const { data } = await images.getExif('photo.jpg'); data.Orientation // '6'
   */
  async getExif(name: string, options?: ImageGetOptions): Promise<{ data: Record<string, string>; res: ResponseInfo }> {
    const { data, res } = await this.getInfo(name, options);
    return { data: Object.fromEntries(Object.entries(data).filter(([k]) => !NOT_EXIF.has(k))), res };
  }

  /**
   * Save a style (`image/resize,w_200`, or an Image Service spec like `200w_200h`) under a name.
   * @example await images.putStyle('thumb', 'image/resize,m_fill,w_100,h_100')
   */
  async putStyle(name: string, style: string | { content: string }, options?: BucketCallOptions): Promise<{ res: ResponseInfo }> {
    checkOptions(options, '');
    checkStyleName(name);
    const raw = typeof style === 'object' && style !== null ? style.content : style;
    if (typeof raw !== 'string' || !raw) throw new OSSArgumentError('style', 'expected the processing, e.g. image/resize,w_200');
    const content = raw.startsWith('image/') ? raw : translateParams(raw);
    const body = `<?xml version="1.0" encoding="UTF-8"?><Style><Content>${escapeXml(content)}</Content></Style>`;
    const res = await bucketCall(this, this.requireBucket(), { method: 'PUT', sub: 'style', body, query: { styleName: name } }, options);
    return { res };
  }

  /**
   * One saved style.
   * @example const { data } = await images.getStyle('thumb'); data.Content
   */
  async getStyle(name: string, options?: BucketCallOptions): Promise<{ data: ImageStyle; res: ResponseInfo }> {
    checkOptions(options, '');
    checkStyleName(name);
    const { doc, res } = await readXml(await bucketRequest(this, this.requireBucket(), { method: 'GET', sub: 'style', query: { styleName: name } }, options));
    return { data: styleFrom(child(doc, 'Style')), res };
  }

  /**
   * Every saved style of the bucket.
   * @example const { data } = await images.listStyle(); data.map((s) => s.Name)
   */
  async listStyle(options?: BucketCallOptions): Promise<{ data: ImageStyle[]; res: ResponseInfo }> {
    checkOptions(options, '');
    const { doc, res } = await readXml(await bucketRequest(this, this.requireBucket(), { method: 'GET', sub: 'style' }, options));
    return { data: asArray(child(child(doc, 'StyleList'), 'Style') as XmlValue[] | XmlValue | undefined).map(styleFrom), res };
  }

  /**
   * Remove a saved style.
   * @example await images.deleteStyle('thumb')
   */
  async deleteStyle(name: string, options?: BucketCallOptions): Promise<{ res: ResponseInfo }> {
    checkOptions(options, '');
    checkStyleName(name);
    const res = await bucketCall(this, this.requireBucket(), { method: 'DELETE', sub: 'style', query: { styleName: name } }, options);
    return { res };
  }

  /**
   * A presigned URL of a processed image (`name@200w`); resolves to the URL string.
   * @example const url = await images.signatureUrl('cat.jpg@!thumb', { expires: 600 })
   */
  async signatureUrl(name: string, options: Omit<SignatureUrlOptions, 'process'> = {}): Promise<string> {
    checkOptions(options, 'bucket expires method Content-Type Content-MD5 response trafficLimit subResource headers callback');
    const { key, process } = translateImageName(name);
    return signatureUrl(this, key, process === undefined ? options : { ...options, process });
  }
}
