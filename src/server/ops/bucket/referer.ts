// Hotlink protection: PutBucketReferer / GetBucketReferer. The check itself is ../../referer.ts.

import { asArray, child, text, type XmlNode } from '../../../core/xml.js';
import { serverError } from '../../errors.js';
import type { RefererConfig } from '../../referer.js';
import { readXmlBody, xmlResponse } from '../common.js';
import { configRoutes, rootOf } from './config-family.js';

function booleanField(node: XmlNode, name: string, dflt?: boolean): boolean {
  const value = text(child(node, name));
  if (value === undefined && dflt !== undefined) return dflt;
  if (value !== 'true' && value !== 'false') throw serverError('MalformedXML');
  return value === 'true';
}

function refererList(node: XmlNode, name: string): string[] {
  return asArray(child(child(node, name), 'Referer')).map((r) => text(r) ?? '').filter(Boolean);
}

export const refererRoutes = configRoutes({
  sub: 'referer',
  name: 'referer',
  async read(ctx) {
    const root = rootOf(await readXmlBody(ctx), 'RefererConfiguration');
    const config: RefererConfig = {
      allowEmpty: booleanField(root, 'AllowEmptyReferer'),
      allowTruncateQueryString: booleanField(root, 'AllowTruncateQueryString', true),
      truncatePath: booleanField(root, 'TruncatePath', false),
      whitelist: refererList(root, 'RefererList'),
      blacklist: refererList(root, 'RefererBlacklist'),
    };
    // allowEmpty with no lists is OSS's "no hotlink protection": nothing left to store.
    const off = config.allowEmpty && !config.whitelist.length && !config.blacklist.length;
    return off ? undefined : config;
  },
  show: (config) =>
    xmlResponse('RefererConfiguration', {
      AllowEmptyReferer: config?.allowEmpty ?? true,
      AllowTruncateQueryString: config?.allowTruncateQueryString ?? true,
      TruncatePath: config?.truncatePath ?? false,
      RefererList: { Referer: config?.whitelist ?? [] },
      RefererBlacklist: config?.blacklist.length ? { Referer: config.blacklist } : undefined,
    }),
});
