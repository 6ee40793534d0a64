// Progress events with one shape everywhere: monotonic byte counts, 100% only once the server
// confirmed. multipartUpload reports per part with this alone; byte-level progress within a
// request needs the uploadProgress feature (upload-progress.ts), which feeds the same emitter.

import { OSSArgumentError } from '../core/errors.js';

export interface UploadProgress {
  /** Bytes sent so far; never goes backwards. */
  loaded: number;
  /** Bytes in all, or undefined while a stream's length is unknown. */
  total: number | undefined;
  /** 0-100, at most 99 until the server has confirmed the upload; undefined while `total` is. */
  percent: number | undefined;
  /** Multipart: the part whose bytes moved. */
  partNumber?: number;
}

export type OnUploadProgress = (progress: UploadProgress) => void;

export function assertProgressCallback(value: unknown, argument: string): asserts value is OnUploadProgress | undefined {
  if (value !== undefined && typeof value !== 'function') throw new OSSArgumentError(argument, 'expected a function');
}

/**
 * Call a caller's callback like an event listener: an exception in it is reported (reportError
 * where it exists, else console.error) and does not disturb the upload.
 */
export function notify(callback: () => void): void {
  try {
    callback();
  } catch (err) {
    const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
    if (report) report(err);
    else console.error(err);
  }
}

export interface ProgressEmitter {
  /** Report bytes sent; ignored unless they move forward (or make the total known). */
  update(loaded: number, total: number | undefined, partNumber?: number): void;
  /** The server confirmed: the one 100% event (`total` defaults to the bytes counted). */
  finish(total?: number, partNumber?: number): void;
}

/** Turns byte counts into UploadProgress events: monotonic, and 100% only after finish(). */
export function progressEmitter(onProgress: OnUploadProgress): ProgressEmitter {
  let lastLoaded = -1;
  let lastTotal: number | undefined;
  let finished = false;
  return {
    update(loaded, total, partNumber) {
      if (finished || loaded < lastLoaded || (loaded === lastLoaded && total === lastTotal)) return;
      lastLoaded = loaded;
      lastTotal = total;
      const percent = total === undefined ? undefined : total === 0 ? 0 : Math.min(99, (loaded / total) * 100);
      notify(() => onProgress(partNumber === undefined ? { loaded, total, percent } : { loaded, total, percent, partNumber }));
    },
    finish(size, partNumber) {
      if (finished) return;
      finished = true;
      const total = size ?? Math.max(lastLoaded, 0);
      notify(() => onProgress(partNumber === undefined ? { loaded: total, total, percent: 100 } : { loaded: total, total, percent: 100, partNumber }));
    },
  };
}
