// ListObjectsV2's continuation token: opaque to clients, here the base64url of the last key (or
// common prefix) a page returned, which is where the next page starts.

import { fromBase64Url, toBase64Url, utf8 } from '../../core/crypto.js';
import { serverError } from '../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeContinuationToken(lastKey: string): string {
  return toBase64Url(utf8(lastKey));
}

/** The key a token stands for; InvalidArgument for anything this server did not issue. */
export function decodeContinuationToken(token: string): string {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    return strictUtf8.decode(fromBase64Url(token));
  } catch {
    throw serverError('InvalidArgument', { ArgumentName: 'continuation-token', ArgumentValue: token }, 'The continuation token is not valid.');
  }
}
