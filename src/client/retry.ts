// When a failed request may be sent again, and how long to wait first.

import { OSSError } from '../core/errors.js';
import { startTimer } from './timer.js';

export interface RetryInfo {
  /** The attempt that failed (1 = the first). */
  attempt: number;
  /** Milliseconds until the next attempt. */
  delay: number;
  error: OSSError;
  method: string;
  bucket: string | null;
  key: string | null;
}

export interface RetryPolicy {
  retries: number;
  baseDelay: number;
  maxDelay: number;
}

/**
 * Transient failures: the network, 5xx (but 501 Not Implemented), 429, OSS's own RequestTimeout, and a CRC mismatch of an
 * upload (the server stored other bytes than we sent). Never: client timeouts and aborts (the
 * caller's budget is spent), other 4xx.
 */
export function isTransient(error: OSSError): boolean {
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return false;
  if (error.code === 'RequestError' || error.code === 'CRC64Mismatch') return true;
  if ((error.status >= 500 && error.status !== 501) || error.status === 429) return true;
  return error.code === 'RequestTimeout';
}

/** The client's retry policy, from its options (defaults: 3 retries, 200 ms base, 5 s cap). */
export function retryPolicy(options: { retries?: number; retryDelay?: number; maxRetryDelay?: number }): RetryPolicy {
  return { retries: options.retries ?? 3, baseDelay: options.retryDelay ?? 200, maxDelay: options.maxRetryDelay ?? 5_000 };
}

/** Capped exponential backoff with full jitter: uniform in [0, min(cap, base·2^(attempt-1))]. */
export function backoff(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** Wait, but give up at once when the caller aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = startTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    const onAbort = () => {
      stop();
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
