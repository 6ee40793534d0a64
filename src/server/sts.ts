// The local server's STS: AssumeRole over Alibaba Cloud's RPC API (signature 1.0, HMAC-SHA1),
// answered in JSON or XML like sts.aliyuncs.com. It issues temporary keys (`STS.…` id, secret,
// security token, expiry), which the OSS side then accepts with their token until they expire,
// limited by the session policy given to AssumeRole.
//
// Addressing: a Host starting with `sts.` (as `sts.aliyuncs.com`), or the path `/sts` on the
// OSS port; either way the request must carry `Action` in the query or be a form-encoded POST,
// so a bucket named "sts" stays reachable.

import { signatureRpc, stringToSignRpc } from '../core/rpc-sign.js';
import { readBodyBytes } from '../core/body-bytes.js';
import { constantTimeEqual, toBase64 } from '../core/crypto.js';
import { buildXml, type XmlBuildValue } from '../core/xml.js';
import type { AccessKey } from './auth.js';
import type { ServerState } from './context.js';
import { parseSessionPolicy } from './session-policy.js';

const API_VERSION = '2015-04-01';
const MIN_DURATION = 900;
const MAX_DURATION = 3600;
/** Timestamps and nonces are honoured for this long, as Alibaba Cloud's RPC gateway does. */
const REPLAY_WINDOW_MS = 15 * 60_000;
/** Expired keys are kept a while, so their use says SecurityTokenExpired rather than "unknown key". */
const EXPIRED_KEY_GRACE_MS = 60 * 60_000;
const MAX_BODY = 64 * 1024;

interface Sessions {
  keys: Map<string, AccessKey>;
  nonces: Map<string, number>;
}

const byState = new WeakMap<ServerState, Sessions>();

function sessions(state: ServerState): Sessions {
  let s = byState.get(state);
  if (!s) byState.set(state, (s = { keys: new Map(), nonces: new Map() }));
  return s;
}

/** A temporary key issued by AssumeRole (expired ones included for a grace period). */
export function temporaryKey(state: ServerState, accessKeyId: string): AccessKey | undefined {
  return byState.get(state)?.keys.get(accessKeyId);
}

export function isStsRequest(request: Request, url: URL): boolean {
  const host = (request.headers.get('host') ?? url.host).toLowerCase();
  if (!host.startsWith('sts.') && url.pathname !== '/sts' && url.pathname !== '/sts/') return false;
  const form = request.method === 'POST' && (request.headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
  return form || url.searchParams.has('Action');
}

class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const missing = (name: string) => new StsError(`Missing${name}`, `${name} is mandatory for this action.`);

/** Answer one STS RPC request. */
export async function stsRequest(request: Request, url: URL, state: ServerState): Promise<Response> {
  const requestId = crypto.randomUUID().toUpperCase();
  const host = (request.headers.get('host') ?? url.host).replace(/:\d+$/, '');
  let json = false;
  try {
    const params = await readParams(request, url);
    json = params.get('Format')?.toUpperCase() === 'JSON';
    const caller = await verify(request.method, params, state);
    if (params.get('Action') !== 'AssumeRole') {
      throw new StsError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404);
    }
    return reply(json, 'AssumeRoleResponse', { RequestId: requestId, ...assumeRole(params, caller, state) }, 200);
  } catch (err) {
    if (!(err instanceof StsError)) throw err;
    return reply(json, 'Error', { RequestId: requestId, HostId: host, Code: err.code, Message: err.message }, err.status);
  }
}

async function readParams(request: Request, url: URL): Promise<Map<string, string>> {
  const entries = [...url.searchParams];
  if (request.method === 'POST' && request.body) {
    const body = await readLimited(request.body, MAX_BODY);
    entries.push(...new URLSearchParams(body));
  }
  const params = new Map<string, string>();
  for (const [name, value] of entries) {
    if (params.has(name)) throw new StsError('InvalidParameter', `The parameter ${name} is given more than once.`);
    params.set(name, value);
  }
  return params;
}

async function verify(method: string, params: Map<string, string>, state: ServerState): Promise<AccessKey> {
  for (const name of ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureNonce', 'Timestamp', 'Version', 'Action']) {
    if (!params.get(name)) throw missing(name);
  }
  if (params.get('Version') !== API_VERSION) throw new StsError('InvalidVersion', 'Specified parameter Version is not valid.');
  if (params.get('SignatureMethod') !== 'HMAC-SHA1') throw new StsError('InvalidSignatureMethod', 'Specified signature method is not valid.');
  if ((params.get('SignatureVersion') ?? '1.0') !== '1.0') {
    throw new StsError('InvalidSignatureVersion', 'Specified signature version is not valid.');
  }
  const now = state.now();
  const timestamp = Date.parse(params.get('Timestamp')!);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(params.get('Timestamp')!) || !Number.isFinite(timestamp)) {
    throw new StsError('InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
  }
  if (Math.abs(now - timestamp) > REPLAY_WINDOW_MS) {
    throw new StsError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  }
  const id = params.get('AccessKeyId')!;
  const key = state.keys.get(id);
  if (!key) {
    if (temporaryKey(state, id)) throw new StsError('NoPermission', 'Temporary keys may not assume roles on the local server.', 403);
    throw new StsError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404);
  }
  const stringToSign = stringToSignRpc(method, params);
  const expected = await signatureRpc(key.accessKeySecret, stringToSign);
  if (!constantTimeEqual(expected, params.get('Signature')!)) {
    throw new StsError('SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`);
  }
  // Only a correctly signed request spends its nonce.
  const { nonces } = sessions(state);
  for (const [n, at] of nonces) if (now - at > REPLAY_WINDOW_MS) nonces.delete(n);
  const nonce = `${id}\n${params.get('SignatureNonce')}`;
  if (nonces.has(nonce)) throw new StsError('SignatureNonceUsed', 'Specified signature nonce was used already.');
  nonces.set(nonce, now);
  return key;
}

function assumeRole(params: Map<string, string>, caller: AccessKey, state: ServerState): Record<string, XmlBuildValue> {
  const arn = params.get('RoleArn');
  if (!arn) throw missing('RoleArn');
  const role = /^acs:ram::([^:]+):role\/([\w.-]{1,64})$/i.exec(arn);
  if (!role) throw new StsError('InvalidParameter.RoleArn', 'The parameter RoleArn is wrongly formed.');
  // Every role of the caller's account exists on the local server, with full rights.
  if (role[1] !== caller.ownerId) throw new StsError('EntityNotExist.Role', `The role not exists: ${arn}.`, 404);
  const sessionName = params.get('RoleSessionName');
  if (!sessionName) throw missing('RoleSessionName');
  if (!/^[\w.@-]{2,64}$/.test(sessionName)) {
    throw new StsError('InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
  }
  const durationText = params.get('DurationSeconds') ?? String(MAX_DURATION);
  const duration = /^\d+$/.test(durationText) ? Number(durationText) : NaN;
  if (!(duration >= MIN_DURATION && duration <= MAX_DURATION)) {
    throw new StsError('InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/1hr.');
  }
  const policyText = params.get('Policy');
  const sessionPolicy = policyText ? parseSessionPolicy(policyText) : undefined;
  if (policyText && !sessionPolicy) throw new StsError('InvalidParameter.PolicyGrammar', 'The parameter Policy has not passed grammar check.');

  const now = state.now();
  const { keys } = sessions(state);
  for (const [id, k] of keys) if (now - (k.expiresAt ?? 0) > EXPIRED_KEY_GRACE_MS) keys.delete(id);
  const issued: AccessKey = {
    accessKeyId: `STS.${randomText(25)}`,
    accessKeySecret: randomText(44),
    securityToken: `CAIS${toBase64(crypto.getRandomValues(new Uint8Array(96)))}`,
    expiresAt: now + duration * 1000,
    ownerId: caller.ownerId,
    displayName: `${role[2]}/${sessionName}`,
    sessionPolicy,
  };
  keys.set(issued.accessKeyId, issued);
  return {
    AssumedRoleUser: {
      Arn: `acs:ram::${role[1]}:role/${role[2]}/${sessionName}`,
      AssumedRoleId: `${roleId(`${role[1]}:${role[2]}`)}:${sessionName}`,
    },
    Credentials: {
      SecurityToken: issued.securityToken,
      AccessKeyId: issued.accessKeyId,
      AccessKeySecret: issued.accessKeySecret,
      Expiration: new Date(issued.expiresAt!).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
  };
}

function reply(json: boolean, root: string, body: Record<string, XmlBuildValue>, status: number): Response {
  return json
    ? new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json;charset=utf-8' } })
    : new Response(buildXml(root, body), { status, headers: { 'content-type': 'text/xml;charset=utf-8' } });
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  let out = '';
  // 248 = 4 × 62: drop higher bytes so every character is equally likely.
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length))) if (b < 248 && out.length < length) out += ALNUM[b % 62];
  }
  return out;
}

/** A stable 18-digit id for a role (RAM's role ids look like this). */
function roleId(name: string): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of name) h = ((h ^ BigInt(ch.codePointAt(0)!)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return `3${(h % 10n ** 17n).toString().padStart(17, '0')}`;
}

async function readLimited(body: ReadableStream<Uint8Array>, max: number): Promise<string> {
  const bytes = await readBodyBytes(body, max, () => new StsError('InvalidParameter', `The request body is larger than ${max} bytes.`));
  return new TextDecoder().decode(bytes);
}
