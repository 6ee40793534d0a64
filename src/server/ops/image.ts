// Image processing (`?x-oss-process=image/…` and `style/<name>`), ProcessObject save-as, and the
// bucket style APIs. Pixels are handled by the optional peer `sharp`, imported on first use so
// that neither the client bundle nor a server without images ever loads it.

import { fromBase64Url, toHex } from '../../core/crypto.js';
import { child, text } from '../../core/xml.js';
import { ServerError, serverError } from '../errors.js';
import type { RequestContext } from '../context.js';
import type { BucketRecord, ObjectRecord } from '../storage/types.js';
import { authorize, authorizeResource, emptyResponse, httpDate, loadBucket, readTextBody, readXmlBody, xmlResponse } from './common.js';
import { updateBucket } from './bucket/config-store.js';
import { requireKey } from './object/common.js';
import { resolveSymlink } from './object/symlink.js';
import { defineRoute, type RouteDef } from './routes.js';
import { loadVersion, putVersioned, readVersion } from './object/versions.js';
import { applyWatermark, watermarkParams } from './image-watermark.js';
import { loadSharp, type Sharp } from '../image-engine.js';

type OutFormat = 'jpeg' | 'png' | 'webp';

const MAX_SOURCE_BYTES = 20 * 1024 * 1024;
const MAX_SIDE = 16384;

const badArg = (message: string) => serverError('InvalidArgument', {}, message);

// ---- parsing the process string --------------------------------------------------------------

interface Action {
  name: string;
  /** `w_200` → w: '200'; a bare value (`rotate,90`, `format,png`) is stored under ''. */
  params: Map<string, string>;
}

function parseActions(process: string): Action[] {
  if (!process.startsWith('image/')) throw badArg(`The process "${process}" is not supported; expected image/… or style/….`);
  const parts = process.slice('image/'.length).split('/').filter((p) => p !== '');
  if (parts.length === 0) throw badArg('The image process has no action.');
  return parts.map((part) => {
    const [name = '', ...rest] = part.split(',');
    const params = new Map<string, string>();
    for (const p of rest) {
      if (p === '') continue;
      const i = p.indexOf('_');
      if (i < 0) params.set('', p);
      else params.set(p.slice(0, i), p.slice(i + 1));
    }
    return { name, params };
  });
}

function intParam(a: Action, key: string, min: number, max: number): number | undefined {
  const raw = a.params.get(key);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw badArg(`Parameter ${key} of ${a.name} must be an integer, got "${raw}".`);
  const n = Number(raw);
  if (n < min || n > max) throw badArg(`Parameter ${key} of ${a.name} must be between ${min} and ${max}, got ${n}.`);
  return n;
}

function checkKnown(a: Action, known: string[]): void {
  for (const k of a.params.keys()) if (!known.includes(k)) throw badArg(`Unknown parameter "${k}" for image action ${a.name}.`);
}

// ---- the pipeline ----------------------------------------------------------------------------

interface Picture {
  bytes: Uint8Array;
  format: string;
  width: number;
  height: number;
}

interface Output {
  format: OutFormat | undefined;
  quality: number | undefined;
}

async function describe(sharp: Sharp, bytes: Uint8Array): Promise<Picture> {
  try {
    const m = await sharp(bytes).metadata();
    if (!m.width || !m.height || !m.format) throw new Error('no size');
    return { bytes, format: m.format, width: m.width, height: m.height };
  } catch {
    throw serverError('BadRequest', {}, 'The source image format is not supported (the object is not an image).');
  }
}

const FORMATS: Record<string, OutFormat> = { jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp' };

function encodeAs(format: string): OutFormat {
  return FORMATS[format] ?? 'png';
}

function hexColor(a: Action): string {
  const c = a.params.get('color') ?? 'FFFFFF';
  if (!/^[0-9a-fA-F]{6}$/.test(c)) throw badArg(`Parameter color of resize must be RRGGBB, got "${c}".`);
  return `#${c}`;
}

function resizeParams(a: Action) {
  checkKnown(a, ['w', 'h', 'l', 's', 'm', 'limit', 'p', 'color']);
  const mode = a.params.get('m') ?? 'lfit';
  if (!['lfit', 'mfit', 'fill', 'pad', 'fixed'].includes(mode)) throw badArg(`Parameter m of resize must be lfit, mfit, fill, pad or fixed, got "${mode}".`);
  const params = {
    mode,
    limit: intParam(a, 'limit', 0, 1) ?? 1,
    p: intParam(a, 'p', 1, 1000),
    w: intParam(a, 'w', 1, MAX_SIDE),
    h: intParam(a, 'h', 1, MAX_SIDE),
    l: intParam(a, 'l', 1, MAX_SIDE),
    s: intParam(a, 's', 1, MAX_SIDE),
    color: hexColor(a),
  };
  if ([params.w, params.h, params.l, params.s, params.p].every((v) => v === undefined)) throw badArg('resize needs w, h, l, s or p.');
  return params;
}

async function resize(sharp: Sharp, pic: Picture, a: Action): Promise<Uint8Array> {
  const params = resizeParams(a);
  const { mode, limit, p, l, s, color } = params;
  let { w, h } = params;
  if (w === undefined && h === undefined) {
    // Long/short edge become width/height according to the image's orientation.
    const landscape = pic.width >= pic.height;
    if (l !== undefined) landscape ? (w = l) : (h = l);
    if (s !== undefined) landscape ? (h = s) : (w = s);
  }
  if (w === undefined && h === undefined) {
    w = Math.max(1, Math.round((pic.width * p!) / 100));
    h = Math.max(1, Math.round((pic.height * p!) / 100));
    return sharp(pic.bytes).resize(w, h, { fit: 'fill' }).toBuffer();
  }
  const rw = w ?? Math.round((pic.width * h!) / pic.height);
  const rh = h ?? Math.round((pic.height * w!) / pic.width);
  if (mode !== 'fixed' && mode !== 'pad' && mode !== 'fill' && (w === undefined || h === undefined)) {
    // One side given: scale proportionally to it.
    if (limit === 1 && rw > pic.width) return pic.bytes;
    return sharp(pic.bytes).resize(Math.max(1, rw), Math.max(1, rh), { fit: 'fill' }).toBuffer();
  }
  const fit = { lfit: 'inside', mfit: 'outside', fill: 'cover', pad: 'contain', fixed: 'fill' } as const;
  const target = sharp(pic.bytes).resize(rw, rh, {
    fit: fit[mode as keyof typeof fit],
    withoutEnlargement: limit === 1 && mode !== 'pad' && mode !== 'fill' && mode !== 'fixed',
    background: mode === 'pad' ? color : undefined,
  });
  return target.toBuffer();
}

const GRAVITY: Record<string, { x: number; y: number }> = {
  nw: { x: 0, y: 0 }, north: { x: 0.5, y: 0 }, ne: { x: 1, y: 0 },
  west: { x: 0, y: 0.5 }, center: { x: 0.5, y: 0.5 }, east: { x: 1, y: 0.5 },
  sw: { x: 0, y: 1 }, south: { x: 0.5, y: 1 }, se: { x: 1, y: 1 },
};

function cropParams(a: Action) {
  checkKnown(a, ['w', 'h', 'x', 'y', 'g']);
  const g = a.params.get('g') ?? 'nw';
  const anchor = GRAVITY[g];
  if (!anchor) throw badArg(`Parameter g of crop must be one of ${Object.keys(GRAVITY).join(', ')}, got "${g}".`);
  return {
    anchor,
    x: intParam(a, 'x', 0, MAX_SIDE) ?? 0,
    y: intParam(a, 'y', 0, MAX_SIDE) ?? 0,
    w: intParam(a, 'w', 1, MAX_SIDE),
    h: intParam(a, 'h', 1, MAX_SIDE),
  };
}

async function crop(sharp: Sharp, pic: Picture, a: Action): Promise<Uint8Array> {
  const { anchor, x, y, w, h } = cropParams(a);
  const w0 = w ?? pic.width;
  const h0 = h ?? pic.height;
  // The gravity anchors a w×h box in the image; x/y shift it right/down.
  const left = Math.round((pic.width - Math.min(w0, pic.width)) * anchor.x) + x;
  const top = Math.round((pic.height - Math.min(h0, pic.height)) * anchor.y) + y;
  if (left >= pic.width || top >= pic.height) throw badArg('The crop origin lies outside the image.');
  const width = Math.min(w0, pic.width - left);
  const height = Math.min(h0, pic.height - top);
  return sharp(pic.bytes).extract({ left, top, width, height }).toBuffer();
}

function rotateAngle(a: Action): number {
  checkKnown(a, ['']);
  const angle = intParam(a, '', 0, 360);
  if (angle === undefined) throw badArg('rotate needs an angle, e.g. rotate,90.');
  return angle;
}

function formatParam(a: Action): OutFormat {
  checkKnown(a, ['']);
  const f = a.params.get('') ?? '';
  if (!FORMATS[f]) throw badArg(`Parameter of format must be jpg, png or webp, got "${f}".`);
  return FORMATS[f];
}

function qualityParam(a: Action): number {
  checkKnown(a, ['q', 'Q']);
  const q = intParam(a, 'Q', 1, 100) ?? intParam(a, 'q', 1, 100);
  if (q === undefined) throw badArg('quality needs q_<1-100> or Q_<1-100>.');
  return q;
}

const CHECKS: Record<string, (a: Action) => unknown> = {
  resize: resizeParams, crop: cropParams, rotate: rotateAngle, format: formatParam, quality: qualityParam,
  info: (a) => checkKnown(a, []),
  watermark: (a) => watermarkParams(a.params),
};

/** Parse a process string and check every parameter, before any pixel is touched. */
function checkedActions(process: string): Action[] {
  const actions = parseActions(process);
  for (const a of actions) {
    const check = CHECKS[a.name];
    if (!check) throw badArg(`The image action "${a.name}" is not supported by the local server.`);
    check(a);
  }
  return actions;
}

async function rotate(sharp: Sharp, pic: Picture, a: Action): Promise<Uint8Array> {
  const angle = rotateAngle(a);
  return sharp(pic.bytes).rotate(angle, { background: '#FFFFFF' }).toBuffer();
}

/** EXIF tags sharp reports directly, as OSS's info names them. */
function infoJson(pic: Picture, meta: import('sharp').Metadata): string {
  const fields: Record<string, { value: string }> = {
    FileSize: { value: String(pic.bytes.byteLength) },
    Format: { value: pic.format === 'jpeg' ? 'jpg' : pic.format },
    FrameCount: { value: String(meta.pages ?? 1) },
    ImageHeight: { value: String(pic.height) },
    ImageWidth: { value: String(pic.width) },
  };
  if (meta.orientation !== undefined) fields.Orientation = { value: String(meta.orientation) };
  if (meta.exif && meta.density !== undefined) {
    fields.XResolution = { value: `${meta.density}/1` };
    fields.YResolution = { value: `${meta.density}/1` };
    fields.ResolutionUnit = { value: meta.resolutionUnit === 'cm' ? '3' : '2' };
  }
  return JSON.stringify(fields);
}

/** Reads an object of the source's bucket, for actions that take one (a watermark image). */
type ObjectLoader = (key: string) => Promise<Uint8Array>;

/** Run the actions on the bytes; the result is an image, or the info JSON. */
async function runActions(
  ctx: RequestContext, source: Uint8Array, process: string, loadObject: ObjectLoader,
): Promise<{ body: Uint8Array | string; contentType: string }> {
  const actions = checkedActions(process);
  const sharp = await loadSharp(ctx.state.imageEngine);
  let pic = await describe(sharp, source);
  const sourceFormat = pic.format;
  const out: Output = { format: undefined, quality: undefined };
  let changed = false;
  for (const a of actions) {
    let next: Uint8Array | undefined;
    switch (a.name) {
      case 'resize': next = await resize(sharp, pic, a); break;
      case 'crop': next = await crop(sharp, pic, a); break;
      case 'rotate': next = await rotate(sharp, pic, a); break;
      case 'watermark': next = await applyWatermark(sharp, pic, watermarkParams(a.params), loadObject); break;
      case 'format':
        out.format = formatParam(a);
        changed = true;
        break;
      case 'quality':
        out.quality = qualityParam(a);
        changed = true;
        break;
      case 'info': {
        const meta = await sharp(pic.bytes).metadata();
        return { body: infoJson(pic, meta), contentType: 'application/json' };
      }
    }
    if (next !== undefined && next !== pic.bytes) {
      // Between steps the pixels travel as lossless PNG; the output format is decided at the end.
      pic = await describe(sharp, new Uint8Array(await sharp(next).png().toBuffer()));
      changed = true;
    }
  }
  if (!changed) return { body: pic.bytes, contentType: `image/${sourceFormat}` };
  const format = out.format ?? encodeAs(sourceFormat);
  const bytes = await sharp(pic.bytes).toFormat(format, out.quality !== undefined ? { quality: out.quality } : {}).toBuffer();
  return { body: new Uint8Array(bytes), contentType: `image/${format}` };
}

// ---- requests ---------------------------------------------------------------------------------

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    const c = r.value;
    total += c.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw badArg(`The source image is larger than ${limit} bytes.`);
    }
    chunks.push(c);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

const noSuchStyle = (name: string) => new ServerError('NoSuchStyle', `The style "${name}" does not exist.`, {}, 404);

interface StoredStyle {
  content: string;
  category: string;
  created: number;
  modified: number;
}

function styles(bucket: BucketRecord): Record<string, StoredStyle> {
  return (bucket.config.imageStyles as Record<string, StoredStyle> | undefined) ?? {};
}

/** `style/<name>` becomes the style's content; `image/…` stays. */
function resolveProcess(bucket: BucketRecord, process: string): string {
  if (!process.startsWith('style/')) return process;
  const name = process.slice('style/'.length);
  const style = styles(bucket)[name];
  if (!style) throw noSuchStyle(name);
  return style.content;
}

async function processRecord(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord, process: string) {
  const content = resolveProcess(bucket, process);
  if (record.size > MAX_SOURCE_BYTES) throw badArg(`The source image is larger than ${MAX_SOURCE_BYTES} bytes.`);
  const source = await readAll(await readVersion(ctx, bucket, record), MAX_SOURCE_BYTES);
  return runActions(ctx, source, content, async (key) => {
    // Watermark images are objects of the same bucket (OSS's Add watermarks, "Limits"), read
    // by this request: the caller must be allowed to read them as well as the source.
    const mark = await ctx.state.storage.getObject(bucket.name, key);
    authorizeResource(ctx, { bucket, key, actions: ['oss:GetObject'], access: 'read', ...(mark ? { object: mark } : {}) });
    if (!mark) throw new ServerError('WatermarkError', `The watermark object "${key}" does not exist.`, {}, 400);
    if (mark.size > MAX_SOURCE_BYTES) throw badArg(`The watermark image is larger than ${MAX_SOURCE_BYTES} bytes.`);
    return readAll(await readVersion(ctx, bucket, mark), MAX_SOURCE_BYTES);
  });
}

/** GetObject with `x-oss-process`: the processed image (or info JSON) instead of the bytes. */
export async function processImage(ctx: RequestContext, bucket: BucketRecord, record: ObjectRecord): Promise<Response> {
  const { body, contentType } = await processRecord(ctx, bucket, record, ctx.query.get('x-oss-process') ?? '');
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body.slice();
  return new Response(bytes, {
    status: 200,
    headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength), 'last-modified': httpDate(record.lastModified) },
  });
}

// Fatal: bytes that are not UTF-8 must not become U+FFFD, which would alias other names.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const fromUrlSafeBase64 = (s: string): string => strictUtf8.decode(fromBase64Url(s));

/**
 * ProcessObject: `POST /<key>?x-oss-process` with `x-oss-process=<process>|sys/saveas,o_<b64>[,b_<b64>]`.
 * Two resources: the source (PostProcessTask, the request's own action) and the target (PutObject).
 */
async function processObjectSave(ctx: RequestContext): Promise<Response> {
  if (!ctx.query.has('x-oss-process')) throw serverError('NotImplemented', {}, 'The local server does not implement POST on this object.');
  const bucket = await loadBucket(ctx);
  const record = await resolveSymlink(ctx, bucket, await loadVersion(ctx, bucket, requireKey(ctx), 'read'));
  const form = (await readTextBody(ctx, 64 * 1024)).trim();
  const value = form.startsWith('x-oss-process=') ? decodeURIComponent(form.slice('x-oss-process='.length)) : '';
  const [process = '', saveAs] = value.split('|sys/saveas,');
  if (!process || saveAs === undefined) throw badArg('The body must be x-oss-process=<process>|sys/saveas,o_<target>.');
  const target = new Map(saveAs.split(',').map((p) => [p.slice(0, p.indexOf('_')), p.slice(p.indexOf('_') + 1)] as const));
  let targetKey: string;
  let targetBucketName: string;
  try {
    targetKey = fromUrlSafeBase64(target.get('o') ?? '');
    targetBucketName = target.has('b') ? fromUrlSafeBase64(target.get('b')!) : bucket.name;
  } catch {
    throw badArg('The saveas target is not URL-safe base64 of UTF-8 text.');
  }
  if (!targetKey) throw badArg('The saveas target object (o_) is missing.');
  const targetBucket = targetBucketName === bucket.name ? bucket : await ctx.state.storage.getBucket(targetBucketName);
  if (!targetBucket) throw serverError('NoSuchBucket', { BucketName: targetBucketName });
  authorizeResource(ctx, { bucket: targetBucket, key: targetKey, actions: ['oss:PutObject'], access: 'write' });
  const { body, contentType } = await processRecord(ctx, bucket, record, process);
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const now = ctx.state.now();
  const saved = await putVersioned(ctx, targetBucket, targetKey, bytes, (digest) => ({
    key: targetKey, size: digest.size, etag: `"${toHex(digest.md5).toUpperCase()}"`, lastModified: now, crc64: digest.crc64,
    contentType, headers: {}, meta: {}, objectType: 'Normal', storageClass: targetBucket.storageClass, acl: 'default', tags: {},
  }));
  const json = JSON.stringify({ bucket: targetBucket.name, fileSize: saved.size, object: targetKey, status: 'OK' });
  return new Response(json, { status: 200, headers: { 'content-type': 'application/json' } });
}

// ---- styles -----------------------------------------------------------------------------------

const STYLE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function styleName(ctx: RequestContext): string {
  const name = ctx.query.get('styleName') ?? '';
  if (!STYLE_NAME.test(name)) throw badArg('styleName must be 1-64 letters, digits, "-", "_" or ".".');
  return name;
}

const styleXml = (name: string, s: StoredStyle) => ({
  Name: name, Content: s.content, Category: s.category, CreateTime: httpDate(s.created), LastModifyTime: httpDate(s.modified),
});

async function putStyle(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'owner');
  const name = styleName(ctx);
  const content = (text(child(child(await readXmlBody(ctx), 'Style'), 'Content')) ?? '').trim();
  if (!content) throw serverError('MalformedXML');
  // Refuse what could never run, as OSS validates the content.
  checkedActions(content);
  const now = ctx.state.now();
  await updateBucket(ctx.state.storage, bucket.name, (b) => {
    const all = { ...styles(b) };
    all[name] = { content, category: ctx.query.get('category') || 'image', created: all[name]?.created ?? now, modified: now };
    b.config.imageStyles = all;
  });
  return emptyResponse(200);
}

async function getStyles(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'owner');
  if (!ctx.query.has('styleName')) {
    const list = Object.entries(styles(bucket)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, s]) => styleXml(n, s));
    return xmlResponse('StyleList', { Style: list });
  }
  const name = styleName(ctx);
  const style = styles(bucket)[name];
  if (!style) throw noSuchStyle(name);
  return xmlResponse('Style', styleXml(name, style));
}

async function deleteStyle(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  authorize(ctx, bucket, 'owner');
  const name = styleName(ctx);
  await updateBucket(ctx.state.storage, bucket.name, (b) => {
    const all = { ...styles(b) };
    delete all[name];
    b.config.imageStyles = Object.keys(all).length ? all : undefined;
  });
  return emptyResponse(204);
}

export const imageRoutes: RouteDef[] = [
  defineRoute('object', 'POST', '', processObjectSave),
  defineRoute('bucket', 'PUT', 'style', putStyle),
  defineRoute('bucket', 'GET', 'style', getStyles),
  defineRoute('bucket', 'DELETE', 'style', deleteStyle),
];
