// The image engine (the optional package sharp) as the server was given it (ServerOptions.
// imageEngine): the Node entry's loader imports it, the Web entry has none. Image processing and
// the imageInfo.* variables of upload callbacks both get it here.

import { ServerError } from './errors.js';

export type Sharp = typeof import('sharp');

/** The engine each loader gave, loaded once. */
const engines = new WeakMap<() => Promise<unknown>, Promise<Sharp>>();

/**
 * sharp, from the loader the server was given (the Node entry's imports the optional package;
 * this module never names it, so the Web entry bundles without it), or a clear 501.
 */
export async function loadSharp(load: (() => Promise<unknown>) | undefined): Promise<Sharp> {
  if (!load) throw new ServerError('NotImplemented', 'Image processing needs the optional package "sharp", which only the Node server loads.', {}, 501);
  let engine = engines.get(load);
  if (!engine) engines.set(load, (engine = load().then((m) => (m as { default?: Sharp }).default ?? (m as Sharp))));
  try {
    return await engine;
  } catch {
    engines.delete(load);
    throw new ServerError('NotImplemented', 'Image processing needs the optional package "sharp": run `npm install sharp` next to oss-fetch.', {}, 501);
  }
}

/** OSS's names of the formats image info reports (sharp says jpeg, heif). */
const FORMATS: Record<string, string> = { jpeg: 'jpg', heif: 'heic' };

/**
 * Height, width and format of an image (`imageInfo.*` of upload callbacks, format as OSS writes
 * it: jpg, png, gif, webp, tiff, heic), or undefined when it is no image the engine can read or
 * the server has no engine: OSS then leaves the variables empty.
 */
export async function imageFacts(load: (() => Promise<unknown>) | undefined, bytes: Uint8Array): Promise<{ height: number; width: number; format: string } | undefined> {
  try {
    const { height, width, format } = await (await loadSharp(load))(bytes).metadata();
    if (!height || !width || !format) return undefined;
    return { height, width, format: FORMATS[format] ?? format };
  } catch {
    return undefined;
  }
}
