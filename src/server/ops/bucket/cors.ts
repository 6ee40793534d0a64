// Bucket CORS: PutBucketCors / GetBucketCors / DeleteBucketCors. Answering preflights and
// adding the headers is ../../cors.ts.

import { asArray, child, text, type XmlNode } from '../../../core/xml.js';
import type { CorsConfig, CorsRule } from '../../cors.js';
import { serverError } from '../../errors.js';
import { readXmlBody, xmlResponse } from '../common.js';
import { configRoutes, rootOf } from './config-family.js';

const CORS_METHODS = new Set(['GET', 'PUT', 'DELETE', 'POST', 'HEAD']);
const MAX_CORS_RULES = 10;

const invalid = (name: string, value: string, message: string) =>
  serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

function oneWildcard(values: string[], name: string): void {
  for (const v of values) if (v.split('*').length > 2) throw invalid(name, v, `${name} can contain at most one "*".`);
}

function parseCorsRule(node: XmlNode): CorsRule {
  const list = (name: string) => asArray(child(node, name)).map((v) => (text(v) ?? '').trim()).filter(Boolean);
  const allowedOrigins = list('AllowedOrigin');
  const allowedMethods = list('AllowedMethod');
  if (!allowedOrigins.length || !allowedMethods.length) throw serverError('MalformedXML');
  for (const m of allowedMethods) if (!CORS_METHODS.has(m)) throw invalid('AllowedMethod', m, 'AllowedMethod must be GET, PUT, DELETE, POST or HEAD.');
  oneWildcard(allowedOrigins, 'AllowedOrigin');
  const allowedHeaders = list('AllowedHeader');
  oneWildcard(allowedHeaders, 'AllowedHeader');
  const exposeHeaders = list('ExposeHeader');
  for (const h of exposeHeaders) if (h.includes('*')) throw invalid('ExposeHeader', h, 'ExposeHeader cannot contain "*".');
  const rule: CorsRule = { allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders };
  const maxAge = text(child(node, 'MaxAgeSeconds'));
  if (maxAge !== undefined) {
    if (!/^\d{1,9}$/.test(maxAge.trim())) throw invalid('MaxAgeSeconds', maxAge, 'MaxAgeSeconds must be a non-negative integer.');
    rule.maxAgeSeconds = Number(maxAge.trim());
  }
  return rule;
}

export function parseCors(doc: XmlNode): CorsConfig {
  const root = rootOf(doc, 'CORSConfiguration');
  const rules = asArray(child(root, 'CORSRule')).map((r) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) throw serverError('MalformedXML');
    return parseCorsRule(r);
  });
  if (!rules.length) throw serverError('MalformedXML');
  if (rules.length > MAX_CORS_RULES) throw invalid('CORSRule', String(rules.length), `A bucket has at most ${MAX_CORS_RULES} CORS rules.`);
  const vary = text(child(root, 'ResponseVary'));
  if (vary !== undefined && vary !== 'true' && vary !== 'false') throw invalid('ResponseVary', vary, 'ResponseVary must be true or false.');
  return { rules, responseVary: vary === 'true' };
}

export const corsRoutes = configRoutes({
  sub: 'cors',
  name: 'cors',
  read: async (ctx) => parseCors(await readXmlBody(ctx)),
  missing: { code: 'NoSuchCORSConfiguration', message: 'The CORS Configuration does not exist.' },
  show: (config) =>
    xmlResponse('CORSConfiguration', {
      CORSRule: config.rules.map((r) => ({
        AllowedOrigin: r.allowedOrigins,
        AllowedMethod: r.allowedMethods,
        AllowedHeader: r.allowedHeaders,
        ExposeHeader: r.exposeHeaders,
        MaxAgeSeconds: r.maxAgeSeconds,
      })),
      ResponseVary: config.responseVary,
    }),
  remove: true,
});
