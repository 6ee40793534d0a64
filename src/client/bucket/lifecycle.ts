import { OSSArgumentError } from '../../core/errors.js';
import { assertPlainObject } from '../../core/validate.js';
import { asArray, buildXml, child, text, type XmlValue } from '../../core/xml.js';
import type { OSSCore, ResponseInfo } from '../core.js';
import { bucketCall, bucketXml, checkBucketCall, type BucketCallOptions } from './common.js';
import { assertOneOf } from '../one-of.js';

export interface LifecycleTag {
  key: string;
  value: string;
}

/** When an action applies: days after the object's last change, or objects older than a date. */
export interface LifecycleWhen {
  days?: number;
  /** Midnight UTC: `2025-01-01T00:00:00.000Z`. */
  createdBeforeDate?: string;
}

export interface LifecycleTransition extends LifecycleWhen {
  storageClass: 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive';
  isAccessTime?: boolean;
  returnToStdWhenVisit?: boolean;
}

export interface LifecycleRule {
  id?: string;
  /** Objects under this prefix ('' for all). */
  prefix: string;
  status: 'Enabled' | 'Disabled';
  expiration?: LifecycleWhen & { expiredObjectDeleteMarker?: boolean };
  transition?: LifecycleTransition | LifecycleTransition[];
  abortMultipartUpload?: LifecycleWhen;
  noncurrentVersionExpiration?: { noncurrentDays: number };
  noncurrentVersionTransition?: { noncurrentDays: number; storageClass: LifecycleTransition['storageClass'] } | Array<{ noncurrentDays: number; storageClass: LifecycleTransition['storageClass'] }>;
  /** Only objects with all these tags. */
  tag?: LifecycleTag | LifecycleTag[];
  filter?: { not?: { prefix: string; tag?: LifecycleTag }; objectSizeGreaterThan?: number; objectSizeLessThan?: number };
  /** The 2015 shape: expire after so many days (same as `expiration: { days }`). */
  days?: number;
  /** The 2015 shape: expire objects older than this date (same as `expiration: { createdBeforeDate }`). */
  date?: string;
}

/** A rule as getBucketLifecycle returns it: lists are always arrays. */
export interface LifecycleRuleResult extends Omit<LifecycleRule, 'transition' | 'noncurrentVersionTransition' | 'tag' | 'days' | 'date'> {
  id: string;
  transition: LifecycleTransition[];
  noncurrentVersionTransition: Array<{ noncurrentDays: number; storageClass: LifecycleTransition['storageClass'] }>;
  tag: LifecycleTag[];
}

export interface PutBucketLifecycleOptions extends BucketCallOptions {
  /** Let rules with overlapping prefixes share an action (`x-oss-allow-same-action-overlap`). */
  allowSameActionOverlap?: boolean;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/;
const TRANSITION_CLASSES = ['IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function positive(value: unknown, argument: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new OSSArgumentError(argument, 'expected a positive integer number of days');
  return n;
}

function when(w: unknown, argument: string): { Days?: number; CreatedBeforeDate?: string } {
  assertPlainObject(w, argument);
  const { days, createdBeforeDate } = (w ?? {}) as LifecycleWhen;
  if ((days === undefined) === (createdBeforeDate === undefined)) throw new OSSArgumentError(argument, 'needs exactly one of days and createdBeforeDate');
  if (createdBeforeDate !== undefined && (typeof createdBeforeDate !== 'string' || !DATE_RE.test(createdBeforeDate))) {
    throw new OSSArgumentError(`${argument}.createdBeforeDate`, 'expected midnight UTC like "2025-01-01T00:00:00.000Z"');
  }
  return days !== undefined ? { Days: positive(days, `${argument}.days`) } : { CreatedBeforeDate: createdBeforeDate };
}

function storageClass(value: unknown, argument: string): string {
  assertOneOf(value, TRANSITION_CLASSES, argument);
  return value;
}

function tagXml(t: LifecycleTag, argument: string) {
  if (!t || typeof t.key !== 'string' || !t.key || typeof t.value !== 'string') throw new OSSArgumentError(argument, 'expected { key, value } strings');
  return { Key: t.key, Value: t.value };
}

/** One rule, checked, as the XML `<Rule>` it becomes. */
function ruleXml(rule: LifecycleRule, i: number) {
  const at = `rules[${i}]`;
  assertPlainObject(rule, at);
  if (typeof rule.prefix !== 'string') throw new OSSArgumentError(`${at}.prefix`, 'expected a string (\'\' for the whole bucket)');
  assertOneOf(rule.status, ['Enabled', 'Disabled'], `${at}.status`);
  if (rule.id !== undefined && (typeof rule.id !== 'string' || new TextEncoder().encode(rule.id).length > 255)) {
    throw new OSSArgumentError(`${at}.id`, 'expected a string of at most 255 bytes');
  }
  // The 2015 API's `days` / `date` are an expiration.
  const expiration = rule.expiration ?? (rule.days !== undefined ? { days: rule.days } : rule.date !== undefined ? { createdBeforeDate: rule.date } : undefined);
  const transitions = list(rule.transition);
  const ncTransitions = list(rule.noncurrentVersionTransition);
  const tags = list(rule.tag);
  if (!expiration && !transitions.length && !rule.abortMultipartUpload && !rule.noncurrentVersionExpiration && !ncTransitions.length) {
    throw new OSSArgumentError(at, 'a rule needs an action: expiration, transition, abortMultipartUpload or a noncurrent-version action');
  }
  if (tags.length && rule.abortMultipartUpload) throw new OSSArgumentError(`${at}.tag`, 'a rule with tags cannot abort multipart uploads');
  let expirationXml;
  if (expiration) {
    assertPlainObject(expiration, `${at}.expiration`);
    if (expiration.expiredObjectDeleteMarker !== undefined) {
      if (expiration.days !== undefined || expiration.createdBeforeDate !== undefined) {
        throw new OSSArgumentError(`${at}.expiration`, 'expiredObjectDeleteMarker cannot go with days or createdBeforeDate');
      }
      expirationXml = { ExpiredObjectDeleteMarker: Boolean(expiration.expiredObjectDeleteMarker) };
    } else {
      expirationXml = when(expiration, `${at}.expiration`);
    }
  }
  const f = rule.filter;
  if (f !== undefined) assertPlainObject(f, `${at}.filter`);
  return {
    ID: rule.id,
    Prefix: rule.prefix,
    Status: rule.status,
    Filter: f && {
      Not: f.not && { Prefix: f.not.prefix, Tag: f.not.tag && tagXml(f.not.tag, `${at}.filter.not.tag`) },
      ObjectSizeGreaterThan: f.objectSizeGreaterThan,
      ObjectSizeLessThan: f.objectSizeLessThan,
    },
    Tag: tags.map((t, j) => tagXml(t, `${at}.tag[${j}]`)),
    Expiration: expirationXml,
    Transition: transitions.map((t, j) => ({
      ...when(t, `${at}.transition[${j}]`),
      StorageClass: storageClass(t.storageClass, `${at}.transition[${j}].storageClass`),
      IsAccessTime: t.isAccessTime,
      ReturnToStdWhenVisit: t.returnToStdWhenVisit,
    })),
    AbortMultipartUpload: rule.abortMultipartUpload && when(rule.abortMultipartUpload, `${at}.abortMultipartUpload`),
    NoncurrentVersionTransition: ncTransitions.map((t, j) => ({
      NoncurrentDays: positive(t.noncurrentDays, `${at}.noncurrentVersionTransition[${j}].noncurrentDays`),
      StorageClass: storageClass(t.storageClass, `${at}.noncurrentVersionTransition[${j}].storageClass`),
    })),
    NoncurrentVersionExpiration: rule.noncurrentVersionExpiration && {
      NoncurrentDays: positive(rule.noncurrentVersionExpiration.noncurrentDays, `${at}.noncurrentVersionExpiration.noncurrentDays`),
    },
  };
}

/**
 * Replace the bucket's lifecycle rules: expire objects, move them to colder storage classes,
 * abort forgotten multipart uploads, drop old versions. OSSClient also takes the 2015 form
 * `putBucketLifecycle(name, region, rules, options)` with 2015 rules `{ id, prefix, status, days | date }`.
 * @example await putBucketLifecycle(core, 'my-bucket', [{ id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: 30 } }])
 */
export async function putBucketLifecycle(core: OSSCore, name: string, rules: LifecycleRule[], options: PutBucketLifecycleOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options, 'allowSameActionOverlap');
  if (!Array.isArray(rules) || rules.length === 0) throw new OSSArgumentError('rules', 'expected a non-empty array of rules');
  if (rules.length > 1000) throw new OSSArgumentError('rules', 'at most 1000 rules');
  const body = buildXml('LifecycleConfiguration', { Rule: rules.map(ruleXml) });
  const headers = { 'x-oss-allow-same-action-overlap': options.allowSameActionOverlap ? 'true' : undefined };
  return { res: await bucketCall(core, name, { method: 'PUT', sub: 'lifecycle', body, headers }, options) };
}

const num = (v: XmlValue | undefined) => (text(v) === undefined ? undefined : Number(text(v)));
const bool = (v: XmlValue | undefined) => (text(v) === undefined ? undefined : text(v) === 'true');
/** The fields the XML had: results carry no keys set to undefined. */
const present = <T extends object>(fields: T): T => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
const whenOf = (node: XmlValue | undefined): LifecycleWhen =>
  present({ days: num(child(node, 'Days')), createdBeforeDate: text(child(node, 'CreatedBeforeDate')) || undefined });
const tagOf = (node: XmlValue): LifecycleTag => ({ key: text(child(node, 'Key')) ?? '', value: text(child(node, 'Value')) ?? '' });

function ruleOf(node: XmlValue): LifecycleRuleResult {
  const expiration = child(node, 'Expiration');
  const abort = child(node, 'AbortMultipartUpload');
  const nve = child(node, 'NoncurrentVersionExpiration');
  const filter = child(node, 'Filter');
  const not = child(filter, 'Not');
  const notTag = child(not, 'Tag');
  const deleteMarker = bool(child(expiration, 'ExpiredObjectDeleteMarker'));
  return present({
    id: text(child(node, 'ID')) ?? '',
    prefix: text(child(node, 'Prefix')) ?? '',
    status: text(child(node, 'Status')) as LifecycleRule['status'],
    tag: asArray(child(node, 'Tag')).map(tagOf),
    transition: asArray(child(node, 'Transition')).map((t) => present({
      ...whenOf(t),
      storageClass: text(child(t, 'StorageClass')) as LifecycleTransition['storageClass'],
      isAccessTime: bool(child(t, 'IsAccessTime')),
      returnToStdWhenVisit: bool(child(t, 'ReturnToStdWhenVisit')),
    })),
    noncurrentVersionTransition: asArray(child(node, 'NoncurrentVersionTransition')).map((t) => ({
      noncurrentDays: num(child(t, 'NoncurrentDays')) ?? 0,
      storageClass: text(child(t, 'StorageClass')) as LifecycleTransition['storageClass'],
    })),
    expiration: expiration === undefined ? undefined : deleteMarker !== undefined ? { expiredObjectDeleteMarker: deleteMarker } : whenOf(expiration),
    abortMultipartUpload: abort === undefined ? undefined : whenOf(abort),
    noncurrentVersionExpiration: nve === undefined ? undefined : { noncurrentDays: num(child(nve, 'NoncurrentDays')) ?? 0 },
    filter: filter === undefined ? undefined : present({
      not: not === undefined ? undefined : present({ prefix: text(child(not, 'Prefix')) ?? '', tag: notTag === undefined ? undefined : tagOf(notTag) }),
      objectSizeGreaterThan: num(child(filter, 'ObjectSizeGreaterThan')),
      objectSizeLessThan: num(child(filter, 'ObjectSizeLessThan')),
    }),
  });
}

/**
 * The bucket's lifecycle rules (`NoSuchLifecycleError` when there are none).
 * @example const { rules } = await getBucketLifecycle(core, 'my-bucket'); rules[0].expiration // { days: 30 }
 */
export async function getBucketLifecycle(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ rules: LifecycleRuleResult[]; res: ResponseInfo }> {
  checkBucketCall(name, options);
  const { doc, res } = await bucketXml(core, name, 'lifecycle', options);
  return { rules: asArray(child(doc.LifecycleConfiguration, 'Rule')).map(ruleOf), res };
}

/**
 * Remove all lifecycle rules.
 * @example await deleteBucketLifecycle(core, 'my-bucket')
 */
export async function deleteBucketLifecycle(core: OSSCore, name: string, options: BucketCallOptions = {}): Promise<{ res: ResponseInfo }> {
  checkBucketCall(name, options);
  return { res: await bucketCall(core, name, { method: 'DELETE', sub: 'lifecycle' }, options) };
}
