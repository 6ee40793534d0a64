// OSS encoding rules, request-part normalization shared by the V1 and V4 signers, and the
// date formats both use. Encoders work on UTF-8 bytes with fixed tables, so results never
// depend on encodeURIComponent (which throws on lone surrogates) or on locale.

import { utf8 } from './crypto.js';
import { OSSArgumentError } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Percent-encoding

const HEX = '0123456789ABCDEF';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// One entry per byte value: the byte itself when it may stay raw, else `%XX` (upper-case hex).
function byteTable(raw: string): readonly string[] {
  const table = Array.from({ length: 256 }, (_, b) => `%${HEX[b >> 4]}${HEX[b & 15]}`);
  for (const ch of raw) table[ch.charCodeAt(0)] = ch;
  return table;
}

const RFC3986_TABLE = byteTable(`${ALNUM}-_.~`);
const PATH_TABLE = byteTable(`${ALNUM}-_.!~*()/`);
const QUERY_TABLE = byteTable(`${ALNUM}-_.!~*'()`);

// ASCII-only strings (the common case) skip the TextEncoder round trip.
const NON_ASCII = /[^\x00-\x7f]/;

function encodeWith(table: readonly string[], str: string): string {
  let out = '';
  if (!NON_ASCII.test(str)) {
    for (let i = 0; i < str.length; i++) out += table[str.charCodeAt(i)];
    return out;
  }
  for (const b of utf8(str)) out += table[b];
  return out;
}

/** RFC 3986: only `A-Z a-z 0-9 - _ . ~` stay raw (the V4 canonical URI and query). */
export function encodeRfc3986(str: string): string {
  return encodeWith(RFC3986_TABLE, str);
}

/**
 * An object key as a URL path: `/` and `A-Z a-z 0-9 - _ . ! ~ * ( )` stay raw, everything else
 * (including `'` and `+`) is percent-encoded, as ali-oss puts keys on the wire.
 */
export function encodeUriPath(key: string): string {
  return encodeWith(PATH_TABLE, key);
}

/** Like encodeURIComponent (`A-Z a-z 0-9 - _ . ! ~ * ' ( )` raw), without its URIError. */
export function encodeQueryComponent(str: string): string {
  return encodeWith(QUERY_TABLE, str);
}

export interface DecodeOptions {
  /** Treat `+` as a space (form encoding); off by default, OSS itself writes `%20`. */
  plusAsSpace?: boolean;
}

/**
 * Percent-decodes as decodeURIComponent does, but never throws: a `%` not followed by two hex
 * digits stays literal and invalid UTF-8 becomes U+FFFD, so hostile input cannot crash a caller.
 */
export function decodeUriComponentSafe(str: string, options: DecodeOptions = {}): string {
  const input = options.plusAsSpace ? str.replace(/\+/g, ' ') : str;
  if (!input.includes('%')) return input;
  try {
    return decodeURIComponent(input);
  } catch {
    return lenientDecode(input);
  }
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const lenientDecoder = new TextDecoder('utf-8');

function lenientDecode(input: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const pair = input.slice(i + 1, i + 3);
    if (input[i] === '%' && HEX_PAIR.test(pair)) {
      bytes.push(parseInt(pair, 16));
      i += 2;
      continue;
    }
    // Copy one code point (a surrogate pair stays together) as its UTF-8 bytes.
    const cp = input.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    i += ch.length - 1;
    for (const b of utf8(ch)) bytes.push(b);
  }
  return lenientDecoder.decode(new Uint8Array(bytes));
}

// ---------------------------------------------------------------------------------------------
// Query parameters

/**
 * Query parameters: a record (insertion order is URL order; `null` = a name without value,
 * `undefined` = absent), URLSearchParams, or a list of pairs (repeated names allowed).
 */
export type QueryInput =
  | Readonly<Record<string, string | null | undefined>>
  | URLSearchParams
  | ReadonlyArray<readonly [string, string | null | undefined]>;

export type QueryEntry = readonly [name: string, value: string | null];

/** The parameters in order, absent (`undefined`) ones dropped. */
export function queryEntries(query: QueryInput | null | undefined): QueryEntry[] {
  if (!query) return [];
  const source: Iterable<readonly [string, string | null | undefined]> =
    query instanceof URLSearchParams || Array.isArray(query)
      ? (query as Iterable<readonly [string, string | null | undefined]>)
      : Object.entries(query);
  const out: QueryEntry[] = [];
  for (const [name, value] of source) if (value !== undefined) out.push([name, value]);
  return out;
}

/**
 * `name=value&…` (no leading `?`) in the given order, names and values encoded like
 * encodeURIComponent. A `null` value is written `name=`: that is what ali-oss puts on the wire
 * (`?acl=`, `?uploads=`) and what the vectors' request URLs show; OSS reads it as "no value",
 * exactly like a bare `?acl`, in both signature versions.
 */
export function buildQueryString(query: QueryInput | null | undefined): string {
  return queryEntries(query)
    .map(([name, value]) => `${encodeQueryComponent(name)}=${value === null ? '' : encodeQueryComponent(value)}`)
    .join('&');
}

// Ordinal comparison. Callers sort ASCII strings (encoded names) or short parameter names,
// for which UTF-16 code-unit order equals byte order; never localeCompare.
export function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Request headers: a plain record (values are text) or a Fetch `Headers` (values are bytes). */
export type HeadersInput = Readonly<Record<string, string | number | null | undefined>> | Headers;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Fetch `Headers` carry byte strings (one char per byte): a value sent as UTF-8 arrives on the
 * server as its bytes. Decode it back to text so it signs as the same UTF-8 bytes the client
 * signed; a value that is not valid UTF-8 is kept as is.
 */
export function decodeHeaderByteString(value: string): string {
  if (!NON_ASCII.test(value)) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return value; // not a byte string: already text
    bytes[i] = c;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return value;
  }
}

/**
 * Text → byte string of its UTF-8 bytes, the form `Headers`/fetch accept for a non-ASCII value
 * (e.g. user metadata) so that it goes on the wire as raw UTF-8.
 */
export function encodeHeaderByteString(value: string): string {
  if (!NON_ASCII.test(value)) return value;
  let out = '';
  for (const b of utf8(value)) out += String.fromCharCode(b);
  return out;
}

/**
 * Lower-cased name → trimmed value. Of two names that differ only in case the later wins (it
 * is the one a client sends). Inner whitespace is kept.
 */
export function normalizeHeaders(headers: HeadersInput | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!headers) return out;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    headers.forEach((value, name) => out.set(name.toLowerCase(), decodeHeaderByteString(value).trim()));
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    const lower = name.toLowerCase();
    out.delete(lower); // keep insertion order of the winning spelling
    out.set(lower, String(value).trim());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// URLs

export interface ResourceUrlInput {
  /** Scheme and host (and port) of the region endpoint or custom domain; `https://` if omitted. */
  endpoint: string;
  bucket?: string | null;
  key?: string | null;
  /** The endpoint is a custom domain bound to the bucket: no bucket in host or path. */
  cname?: boolean;
  /** Bucket in the path instead of the host. Forced for IP-literal endpoints. */
  pathStyle?: boolean;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * `<scheme>://<bucket>.<host>/<key>` (virtual-hosted), `<scheme>://<host>/<bucket>/<key>`
 * (path style) or `<scheme>://<host>/<key>` (CNAME), without a query. The key is encoded
 * with encodeUriPath. An IP endpoint has no DNS for `<bucket>.<ip>`, so it gets path style.
 */
export function resourceUrl(input: ResourceUrlInput): string {
  const endpoint = /^[a-z][a-z0-9+.-]*:\/\//i.test(input.endpoint) ? input.endpoint : `https://${input.endpoint}`;
  const url = new URL(endpoint);
  const origin = `${url.protocol}//`;
  const key = input.key ? encodeUriPath(input.key) : '';
  const bucket = input.bucket || '';
  if (!bucket || input.cname) return `${origin}${url.host}/${key}`;
  const isIp = IPV4.test(url.hostname) || url.hostname.startsWith('[');
  if (input.pathStyle || isIp) return `${origin}${url.host}/${bucket}/${key}`;
  return `${origin}${bucket}.${url.host}/${key}`;
}

// ---------------------------------------------------------------------------------------------
// Dates

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

// Both formats have a four-digit year; refuse what they cannot express rather than emit junk.
function checkedYear(date: Date): number {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year)) throw new OSSArgumentError('date', 'Invalid Date');
  if (year < 0 || year > 9999) throw new OSSArgumentError('date', `Year ${year} is outside 0000-9999`);
  return year;
}

/** `Tue, 02 Jan 2024 03:04:05 GMT` (the V1 Date / x-oss-date form). */
export function formatRfc1123(date: Date): string {
  const year = checkedYear(date);
  return (
    `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${pad(year, 4)} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} GMT`
  );
}

/** `20240102T030405Z` (the V4 x-oss-date form). */
export function formatIso8601Basic(date: Date): string {
  const year = checkedYear(date);
  return (
    `${pad(year, 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`
  );
}

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Strict parse of `yyyymmddTHHMMSSZ`; undefined for anything else (including 30 February). */
export function parseIso8601Basic(s: string): Date | undefined {
  const m = ISO_BASIC.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (h > 23 || mi > 59 || se > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 19xx.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, se, 0);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date;
}
