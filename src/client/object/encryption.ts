// Server-side encryption options of writes (put, multipartUpload, initMultipartUpload, copy):
// OSS's three x-oss-server-side-* headers under the names the Go SDK v2 gives them (ali-oss
// has no option for them; there they go through `headers`).

import { OSSArgumentError } from '../../core/errors.js';

export type ServerSideEncryption = 'AES256' | 'KMS' | 'SM4';

/** The encryption options a write accepts. Without them the bucket's default rule applies. */
export interface ServerSideEncryptionOptions {
  /** `x-oss-server-side-encryption`: encrypt the stored object with AES256, KMS or SM4. */
  serverSideEncryption?: ServerSideEncryption;
  /** `x-oss-server-side-encryption-key-id`: the KMS key (KMS only; OSS picks a managed key otherwise). */
  serverSideEncryptionKeyId?: string;
  /** `x-oss-server-side-data-encryption`: `SM4` to encrypt the data with SM4 under KMS (KMS only). */
  serverSideDataEncryption?: 'SM4';
}

const ALGORITHMS: readonly string[] = ['AES256', 'KMS', 'SM4'];

/** The headers for the options, checked; `{}` when none is given. */
export function encryptionRequestHeaders(options: ServerSideEncryptionOptions, argument = 'options'): Record<string, string> {
  const { serverSideEncryption: algorithm, serverSideEncryptionKeyId: keyId, serverSideDataEncryption: data } = options;
  const out: Record<string, string> = {};
  if (algorithm !== undefined) {
    if (!ALGORITHMS.includes(algorithm)) throw new OSSArgumentError(`${argument}.serverSideEncryption`, `expected one of ${ALGORITHMS.join(', ')}`);
    out['x-oss-server-side-encryption'] = algorithm;
  }
  if (keyId !== undefined) {
    if (typeof keyId !== 'string' || !keyId || /[\r\n]/.test(keyId)) throw new OSSArgumentError(`${argument}.serverSideEncryptionKeyId`, 'expected a non-empty key id');
    if (algorithm !== 'KMS') throw new OSSArgumentError(`${argument}.serverSideEncryptionKeyId`, 'a key id goes only with serverSideEncryption: "KMS"');
    out['x-oss-server-side-encryption-key-id'] = keyId;
  }
  if (data !== undefined) {
    if (data !== 'SM4') throw new OSSArgumentError(`${argument}.serverSideDataEncryption`, 'expected "SM4"');
    if (algorithm !== 'KMS') throw new OSSArgumentError(`${argument}.serverSideDataEncryption`, 'data encryption goes only with serverSideEncryption: "KMS"');
    out['x-oss-server-side-data-encryption'] = data;
  }
  return out;
}
