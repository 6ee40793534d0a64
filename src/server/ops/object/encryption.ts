// Server-side encryption of objects: the `x-oss-server-side-encryption*` headers (the bucket's
// default rule, PUT/GET/DELETE /?encryption, is ../bucket/encryption.ts). Nothing is encrypted at rest here; the
// server keeps the values and echoes them as OSS does (PutObject, InitiateMultipartUpload,
// UploadPart, CompleteMultipartUpload, CopyObject, GET, HEAD).

import { serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import type { BucketRecord } from '../../storage/types.js';
import { getConfig, type EncryptionRule } from '../bucket/config-store.js';

const ALGORITHMS = new Set(['AES256', 'KMS', 'SM4']);
export const SSE_HEADER = 'x-oss-server-side-encryption';
export const SSE_KEY_HEADER = 'x-oss-server-side-encryption-key-id';
export const SSE_DATA_HEADER = 'x-oss-server-side-data-encryption';
const SSE_HEADERS = [SSE_HEADER, SSE_KEY_HEADER, SSE_DATA_HEADER];

function badAlgorithm(value: string) {
  return serverError('InvalidEncryptionAlgorithmError', { ArgumentName: SSE_HEADER, ArgumentValue: value },
    'The Encryption request you specified is not valid. Supported value: AES256/KMS/SM4');
}

/**
 * A rule as OSS keeps it: the key id and SM4 data encryption only with KMS (sent with another
 * algorithm they are dropped, as OSS drops them); KMS without a key gets a service-managed one.
 */
export function encryptionRule(algorithm: string, keyId: string | undefined, dataEncryption: string | undefined, managedKey: boolean): EncryptionRule {
  if (!ALGORITHMS.has(algorithm)) throw badAlgorithm(algorithm);
  if (algorithm !== 'KMS') return { algorithm };
  if (dataEncryption !== undefined && dataEncryption !== '' && dataEncryption !== 'SM4') {
    throw serverError('InvalidArgument', { ArgumentName: SSE_DATA_HEADER, ArgumentValue: dataEncryption }, 'The server side data encryption you specified is not valid. Supported value: SM4');
  }
  const rule: EncryptionRule = { algorithm };
  if (keyId) rule.keyId = keyId;
  else if (managedKey) rule.keyId = crypto.randomUUID();
  if (dataEncryption) rule.dataEncryption = dataEncryption;
  return rule;
}

/**
 * The encryption a write asks for in its headers, else the bucket's default rule, else none.
 * (`x-oss-server-side-data-encryption` alone names no algorithm: ignored, as OSS ignores it.)
 */
export function requestedEncryption(ctx: RequestContext, bucket: BucketRecord): EncryptionRule | undefined {
  const algorithm = ctx.headers.get(SSE_HEADER);
  if (algorithm === undefined) {
    const dflt = getConfig(bucket, 'encryption');
    return dflt && encryptionRule(dflt.algorithm, dflt.keyId, dflt.dataEncryption, true);
  }
  return encryptionRule(algorithm, ctx.headers.get(SSE_KEY_HEADER), ctx.headers.get(SSE_DATA_HEADER), true);
}

/** UploadPart and CompleteMultipartUpload take the upload's encryption; naming one is an error. */
export function refuseEncryptionHeaders(ctx: RequestContext): void {
  for (const name of SSE_HEADERS) {
    const value = ctx.headers.get(name);
    if (value !== undefined) throw serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, `${name} is not allowed on this request; the upload's encryption applies.`);
  }
}

/** The headers an object stores (and so GET/HEAD return) for its encryption. */
export function encryptionHeaders(rule: EncryptionRule | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!rule) return out;
  out[SSE_HEADER] = rule.algorithm;
  if (rule.keyId) out[SSE_KEY_HEADER] = rule.keyId;
  if (rule.dataEncryption) out[SSE_DATA_HEADER] = rule.dataEncryption;
  return out;
}

/** Stored headers without the encryption ones (a copy decides its own encryption). */
export function withoutEncryption(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  for (const name of SSE_HEADERS) delete out[name];
  return out;
}

/** The encryption headers among stored ones, to echo on a write's response. */
export function storedEncryption(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of SSE_HEADERS) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}
