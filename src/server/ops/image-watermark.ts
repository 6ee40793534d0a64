// The `watermark` image action: text (rendered by sharp's Pango text input) or an image object of
// the same bucket, placed on a 3×3 grid with margins, opacity, rotation, shadow and tiling.
// Parameters as OSS documents them (https://help.aliyun.com/en/oss/user-guide/add-watermarks,
// https://help.aliyun.com/en/oss/user-guide/basic-parameters); errors use the codes of OSS's IMG
// error table (https://www.alibabacloud.com/help/doc-detail/44706.htm): InvalidArgument for a value
// out of range, MissingArgument without text or image, BadRequest "Input is not base64 decoding."
// for an encoded value that is not base64url.

import { fromBase64Url } from '../../core/crypto.js';
import { escapeXml } from '../../core/xml.js';
import { ServerError, serverError } from '../errors.js';

type Sharp = typeof import('sharp');

export interface Watermark {
  text: string | undefined;
  /** The watermark image's object key, and its size as a percentage of the main image. */
  image: { key: string; percent: number | undefined } | undefined;
  font: string;
  color: string;
  size: number;
  shadow: number;
  rotate: number;
  fill: boolean;
  opacity: number;
  gravity: string;
  x: number;
  y: number;
  voffset: number;
}

/** Column and row of each `g` value (0 = left/top, 1 = centre, 2 = right/bottom). */
const GRID: Record<string, [number, number]> = {
  nw: [0, 0], north: [1, 0], ne: [2, 0],
  west: [0, 1], center: [1, 1], east: [2, 1],
  sw: [0, 2], south: [1, 2], se: [2, 2],
};

// The fonts OSS offers (`type`), by their decoded names; the local server draws them all with
// the system's sans-serif face, since it ships none of them.
const FONTS = new Set(['wqy-zenhei', 'wqy-microhei', 'fangzhengshusong', 'fangzhengkaiti', 'fangzhengheiti', 'fangzhengfangsong', 'droidsansfallback']);

const KNOWN = ['text', 'type', 'color', 'size', 'shadow', 'rotate', 'fill', 'image', 't', 'g', 'x', 'y', 'voffset'];

const invalid = (message: string) => serverError('InvalidArgument', {}, message);

function int(params: Map<string, string>, key: string, min: number, max: number, fallback: number): number {
  const raw = params.get(key);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw invalid(`Parameter ${key} of watermark must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return Number(raw);
}

/** URL-safe base64 (with or without `=` padding) of UTF-8 text. */
function decoded(params: Map<string, string>, key: string): string | undefined {
  const raw = params.get(key);
  if (raw === undefined) return undefined;
  try {
    if (!/^[A-Za-z0-9_-]*={0,2}$/.test(raw)) throw new Error('not base64url');
    return new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(raw.replace(/=+$/, '')));
  } catch {
    throw serverError('BadRequest', {}, 'Input is not base64 decoding.');
  }
}

/** `key` or `key?x-oss-process=image/resize,P_<1-100>`: the only preprocessing OSS documents for it. */
function imageParam(value: string | undefined): Watermark['image'] {
  if (value === undefined) return undefined;
  const [key = '', query] = value.split('?x-oss-process=');
  if (!key) throw invalid('Parameter image of watermark names no object.');
  if (query === undefined) return { key, percent: undefined };
  const m = /^image\/resize,P_(\d+)$/.exec(query);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 100) {
    throw invalid(`The watermark image's preprocessing must be image/resize,P_<1-100>, got "${query}".`);
  }
  return { key, percent: Number(m[1]) };
}

/** Check every parameter of one `watermark` action, before any pixel is touched. */
export function watermarkParams(params: Map<string, string>): Watermark {
  for (const k of params.keys()) if (!KNOWN.includes(k)) throw invalid(`Unknown parameter "${k}" for image action watermark.`);
  const rawText = params.get('text');
  if (rawText !== undefined && rawText.length > 64) throw invalid('Parameter text of watermark must be at most 64 characters once encoded.');
  const text = decoded(params, 'text');
  const image = imageParam(decoded(params, 'image'));
  // 400, as IMG's error table has it (OSS's own MissingArgument, for a missing Content-Length, is 411).
  if (!text && !image) throw new ServerError('MissingArgument', 'The watermark needs text_ or image_.', {}, 400);
  const font = decoded(params, 'type') ?? 'wqy-zenhei';
  if (!FONTS.has(font)) throw invalid(`Parameter type of watermark must be one of ${[...FONTS].join(', ')} (URL-safe base64), got "${font}".`);
  const color = params.get('color') ?? '000000';
  if (!/^[0-9a-fA-F]{6}$/.test(color)) throw invalid(`Parameter color of watermark must be RRGGBB, got "${color}".`);
  const gravity = params.get('g') ?? 'se';
  if (!GRID[gravity]) throw invalid(`Parameter g of watermark must be one of ${Object.keys(GRID).join(', ')}, got "${gravity}".`);
  return {
    text: text || undefined,
    image,
    font,
    color: `#${color}`,
    size: int(params, 'size', 1, 1000, 40),
    shadow: int(params, 'shadow', 0, 100, 0),
    rotate: int(params, 'rotate', 0, 360, 0),
    fill: int(params, 'fill', 0, 1, 0) === 1,
    opacity: int(params, 't', 0, 100, 100),
    gravity,
    x: int(params, 'x', 0, 4096, 10),
    y: int(params, 'y', 0, 4096, 10),
    voffset: int(params, 'voffset', -1000, 1000, 0),
  };
}

interface Layer {
  /** PNG, as sharp returns it (a Buffer: what its composite inputs are typed as). */
  bytes: Buffer;
  width: number;
  height: number;
}

async function layerOf(img: import('sharp').Sharp): Promise<Layer> {
  const { data, info } = await img.png().toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

/** The text in its colour, with a shadow below it when asked. */
async function textLayer(sharp: Sharp, w: Watermark, text: string): Promise<Layer> {
  const render = (color: string) => sharp({
    text: { text: `<span foreground="${color}">${escapeXml(text)}</span>`, font: `sans ${w.size}`, dpi: 72, rgba: true },
  });
  const glyphs = await layerOf(render(w.color));
  if (w.shadow === 0) return glyphs;
  const offset = Math.max(1, Math.round(w.size / 20));
  const shadow = await withOpacity(sharp, await layerOf(render('#000000')), w.shadow);
  return layerOf(sharp({ create: { width: glyphs.width + offset, height: glyphs.height + offset, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: shadow.bytes, left: offset, top: offset }, { input: glyphs.bytes, left: 0, top: 0 }]));
}

/** The layer with its alpha scaled to `percent`. */
async function withOpacity(sharp: Sharp, layer: Layer, percent: number): Promise<Layer> {
  if (percent === 100) return layer;
  const { data, info } = await sharp(layer.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round((data[i]! * percent) / 100);
  return layerOf(sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }));
}

/** Where the layer's top-left corner goes on a width×height image. */
function position(w: Watermark, layer: Layer, width: number, height: number): { left: number; top: number } {
  const [col, row] = GRID[w.gravity]!;
  const left = col === 0 ? w.x : col === 1 ? Math.round((width - layer.width) / 2) : width - layer.width - w.x;
  // voffset moves a middle-row watermark down from the centre line (negative: up).
  const top = row === 0 ? w.y : row === 1 ? Math.round((height - layer.height) / 2) + w.voffset : height - layer.height - w.y;
  return { left, top };
}

/** The part of the layer that falls inside the image, and where; undefined when none does. */
async function clipped(sharp: Sharp, layer: Layer, at: { left: number; top: number }, width: number, height: number) {
  const left = Math.max(0, at.left);
  const top = Math.max(0, at.top);
  const right = Math.min(width, at.left + layer.width);
  const bottom = Math.min(height, at.top + layer.height);
  if (right <= left || bottom <= top) return undefined;
  const bytes = await sharp(layer.bytes)
    .extract({ left: left - at.left, top: top - at.top, width: right - left, height: bottom - top })
    .png().toBuffer();
  return { input: bytes, left, top };
}

/**
 * Draw one watermark on the image. `loadImage` reads an object of the same bucket (the watermark
 * image), failing as the server does for a missing one.
 */
export async function applyWatermark(
  sharp: Sharp, image: { bytes: Uint8Array; width: number; height: number }, w: Watermark,
  loadImage: (key: string) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  let layer: Layer;
  if (w.image) {
    let source = sharp(await loadImage(w.image.key));
    if (w.image.percent !== undefined) {
      const box = (side: number) => Math.max(1, Math.round((side * w.image!.percent!) / 100));
      source = source.resize(box(image.width), box(image.height), { fit: 'inside' });
    }
    try {
      layer = await layerOf(source);
    } catch {
      throw new ServerError('WatermarkError', `The watermark object "${w.image.key}" is not an image.`, {}, 400);
    }
  } else {
    layer = await textLayer(sharp, w, w.text!);
  }
  if (w.rotate % 360 !== 0) layer = await layerOf(sharp(layer.bytes).rotate(w.rotate, { background: { r: 0, g: 0, b: 0, alpha: 0 } }));
  layer = await withOpacity(sharp, layer, w.opacity);
  const base = sharp(image.bytes);
  if (w.fill) {
    if (layer.width > image.width || layer.height > image.height) {
      layer = await layerOf(sharp(layer.bytes).resize(image.width, image.height, { fit: 'inside' }));
    }
    return new Uint8Array(await base.composite([{ input: layer.bytes, tile: true, left: 0, top: 0 }]).png().toBuffer());
  }
  const placed = await clipped(sharp, layer, position(w, layer, image.width, image.height), image.width, image.height);
  if (!placed) return image.bytes;
  return new Uint8Array(await base.composite([placed]).png().toBuffer());
}
