// Credentials never leave the client inside an error. OSS echoes request data when it refuses a
// request: StringToSign and CanonicalRequest (which hold the STS token), the same as hex bytes in
// StringToSignBytes, and for HEAD (no body) the whole error XML base64-encoded in the x-oss-err
// header. So every string an error carries has each secret replaced by [redacted], in whichever
// encoding it travels: plain, URL-encoded, hex (either case, bytes spaced or not), base64 and
// base64url; and a value that is itself an encoding of text (base64, spaced hex bytes) is decoded,
// redacted and encoded again, so a secret inside it is found at any offset.

import type { OSSError } from '../core/errors.js';
import { fromBase64, toBase64, toHex, utf8 } from '../core/crypto.js';

const REDACTED = '[redacted]';
/** Shorter "secrets" would redact ordinary text; real keys and tokens are far longer. */
const MIN_SECRET_LENGTH = 8;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SPACED_HEX = /^[0-9A-Fa-f]{2}(?: [0-9A-Fa-f]{2})+$/;

/**
 * Remove every copy of `secrets` (the AccessKeySecret, the STS token) from an error's message,
 * stack, details and headers, and from the errors it was caused by. Returns the same error.
 */
export function redactSecrets<E extends OSSError>(err: E, secrets: ReadonlyArray<string | undefined>): E {
  const forms = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH).flatMap(encodings);
  if (!forms.length) return err;
  const scrub = (value: string) => redactText(value, forms);
  for (const record of [err.details, err.headers]) {
    if (record) for (const [k, v] of Object.entries(record)) record[k] = scrub(v);
  }
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    try {
      e.message = scrub(e.message);
      if (typeof e.stack === 'string') e.stack = scrub(e.stack);
    } catch {
      // a frozen error from elsewhere: nothing of ours to clean
    }
  }
  return err;
}

/** The ways a secret is written in what OSS sends back. */
function encodings(secret: string): string[] {
  const hex = toHex(utf8(secret));
  const spaced = hex.replace(/(..)(?!$)/g, '$1 ');
  const base64 = toBase64(utf8(secret));
  const url = encodeURIComponent(secret);
  const forms = [secret, url, url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), hex, hex.toUpperCase(), spaced, spaced.toUpperCase(), base64];
  forms.push(base64.replace(/=+$/, ''), base64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  // Longest first, so a form containing another is replaced whole.
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function redactText(value: string, forms: readonly string[]): string {
  let out = value;
  if (BASE64.test(out) && out.length >= 8) out = reencoded(out, fromBase64, toBase64, forms);
  else if (SPACED_HEX.test(out)) {
    const upper = out === out.toUpperCase();
    out = reencoded(out, (s) => fromHex(s.replace(/ /g, '')), (b) => {
      const hex = toHex(b).replace(/(..)(?!$)/g, '$1 ');
      return upper ? hex.toUpperCase() : hex;
    }, forms);
  }
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/** `value` decoded to UTF-8 text, redacted, encoded again; unchanged when it is not such text. */
function reencoded(value: string, decode: (s: string) => Uint8Array, encode: (b: Uint8Array) => string, forms: readonly string[]): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(decode(value));
  } catch {
    return value;
  }
  const clean = redactText(text, forms);
  return clean === text ? value : encode(utf8(clean));
}

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
