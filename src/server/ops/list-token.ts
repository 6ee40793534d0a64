// ListObjectsV2's continuation token: opaque to clients, here the base64url of the last key (or
// common prefix) a page returned, which is where the next page starts.

import { fromBase64, toBase64, utf8 } from '../../core/crypto.js';
import { serverError } from '../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeContinuationToken(lastKey: string): string {
  return toBase64(utf8(lastKey)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The key a token stands for; InvalidArgument for anything this server did not issue. */
export function decodeContinuationToken(token: string): string {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    const b64 = token.replace(/-/g, '+').replace(/_/g, '/');
    return strictUtf8.decode(fromBase64(b64 + '='.repeat((4 - (b64.length % 4)) % 4)));
  } catch {
    throw serverError('InvalidArgument', { ArgumentName: 'continuation-token', ArgumentValue: token }, 'The continuation token is not valid.');
  }
}
