// The bucket's default encryption rule: PutBucketEncryption / GetBucketEncryption /
// DeleteBucketEncryption. Objects whose write names no encryption take it (../object/encryption.ts).

import { child, text, type XmlNode } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import { readXmlBody, xmlResponse } from '../common.js';
import { encryptionRule } from '../object/encryption.js';
import { configRoutes, rootOf } from './config-family.js';
import type { EncryptionRule } from './config-store.js';

function parseRule(doc: XmlNode): EncryptionRule {
  const dflt = child(rootOf(doc, 'ServerSideEncryptionRule'), 'ApplyServerSideEncryptionByDefault');
  if (dflt === undefined) throw serverError('MalformedXML');
  const algorithm = text(child(dflt, 'SSEAlgorithm'));
  if (!algorithm) throw serverError('MalformedXML');
  return encryptionRule(algorithm, text(child(dflt, 'KMSMasterKeyID')), text(child(dflt, 'KMSDataEncryption')), false);
}

/** The bucket's rule as GetBucketEncryption and GetBucketInfo show it. */
export function ruleXml(rule: EncryptionRule) {
  return { SSEAlgorithm: rule.algorithm, KMSMasterKeyID: rule.keyId, KMSDataEncryption: rule.dataEncryption };
}

export const encryptionRoutes = configRoutes({
  sub: 'encryption',
  name: 'encryption',
  read: async (ctx) => parseRule(await readXmlBody(ctx)),
  missing: { code: 'NoSuchServerSideEncryptionRule', message: 'The server side encryption configuration was not found' },
  show: (rule) => xmlResponse('ServerSideEncryptionRule', { ApplyServerSideEncryptionByDefault: ruleXml(rule) }),
  remove: true,
});
