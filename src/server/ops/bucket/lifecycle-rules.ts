// Lifecycle rules: the LifecycleConfiguration XML checked the way OSS checks it (MalformedXML for
// a wrong shape, InvalidArgument for wrong values, duplicate IDs and overlapping prefixes), kept
// as typed rules, and written back for GetBucketLifecycle.

import { asArray, child, text, type XmlBuildValue, type XmlNode, type XmlValue } from '../../../core/xml.js';
import { serverError } from '../../errors.js';

export interface Tag {
  key: string;
  value: string;
}

/** When an action applies: so many days after the object's last change, or before a date. */
export interface LifecycleWhen {
  days?: number;
  /** `YYYY-MM-DDT00:00:00.000Z` */
  createdBeforeDate?: string;
}

export interface LifecycleRule {
  id: string;
  prefix: string;
  status: 'Enabled' | 'Disabled';
  tags: Tag[];
  filter?: { not?: { prefix: string; tag?: Tag }; objectSizeGreaterThan?: number; objectSizeLessThan?: number };
  expiration?: LifecycleWhen & { expiredObjectDeleteMarker?: boolean };
  transitions: Array<LifecycleWhen & { storageClass: string; isAccessTime?: boolean; returnToStdWhenVisit?: boolean }>;
  abortMultipartUpload?: LifecycleWhen;
  noncurrentVersionExpiration?: { noncurrentDays: number };
  noncurrentVersionTransitions: Array<{ noncurrentDays: number; storageClass: string }>;
}

const MAX_RULES = 1000;
const TRANSITION_CLASSES = new Set(['IA', 'Archive', 'ColdArchive', 'DeepColdArchive']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/;
const encoder = new TextEncoder();

const malformed = () => serverError('MalformedXML');
const invalid = (name: string, value: string, message: string) =>
  serverError('InvalidArgument', { ArgumentName: name, ArgumentValue: value }, message);

function positiveInt(value: string | undefined, name: string): number {
  if (value === undefined || !/^[1-9]\d{0,8}$/.test(value.trim())) {
    throw invalid(name, value ?? '', `${name} must be a positive integer.`);
  }
  return Number(value.trim());
}

function midnightDate(value: string, name: string): string {
  const v = value.trim();
  if (!DATE_RE.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString() !== v) {
    throw invalid(name, value, `${name} must be an ISO 8601 date at midnight UTC, like 2025-01-01T00:00:00.000Z.`);
  }
  return v;
}

function bool(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalid(name, value, `${name} must be true or false.`);
  return value === 'true';
}

/** Exactly one of Days and CreatedBeforeDate. */
function when(node: XmlValue | undefined, action: string): LifecycleWhen {
  const days = text(child(node, 'Days'));
  const date = text(child(node, 'CreatedBeforeDate'));
  if ((days === undefined) === (date === undefined)) throw malformed();
  return days !== undefined ? { days: positiveInt(days, `${action}.Days`) } : { createdBeforeDate: midnightDate(date!, `${action}.CreatedBeforeDate`) };
}

function tag(node: XmlValue): Tag {
  const key = text(child(node, 'Key'));
  if (!key) throw malformed();
  return { key, value: text(child(node, 'Value')) ?? '' };
}

function storageClass(node: XmlValue | undefined, action: string): string {
  const sc = text(child(node, 'StorageClass'));
  if (sc === undefined) throw malformed();
  if (!TRANSITION_CLASSES.has(sc)) throw invalid(`${action}.StorageClass`, sc, 'StorageClass must be IA, Archive, ColdArchive or DeepColdArchive.');
  return sc;
}

function parseRule(node: XmlValue, index: number): LifecycleRule {
  if (!node || typeof node !== 'object' || Array.isArray(node)) throw malformed();
  const id = text(child(node, 'ID')) || `rule-${index + 1}`;
  if (encoder.encode(id).length > 255) throw invalid('ID', id, 'A rule ID is at most 255 bytes.');
  const status = text(child(node, 'Status'));
  if (status !== 'Enabled' && status !== 'Disabled') throw malformed();
  const filterNode = child(node, 'Filter');
  const rule: LifecycleRule = {
    id,
    prefix: text(child(node, 'Prefix')) ?? '',
    status,
    tags: asArray(child(node, 'Tag')).map(tag),
    transitions: asArray(child(node, 'Transition')).map((t) => ({
      ...when(t, 'Transition'),
      storageClass: storageClass(t, 'Transition'),
      isAccessTime: bool(text(child(t, 'IsAccessTime')), 'IsAccessTime'),
      returnToStdWhenVisit: bool(text(child(t, 'ReturnToStdWhenVisit')), 'ReturnToStdWhenVisit'),
    })),
    noncurrentVersionTransitions: asArray(child(node, 'NoncurrentVersionTransition')).map((t) => ({
      noncurrentDays: positiveInt(text(child(t, 'NoncurrentDays')), 'NoncurrentVersionTransition.NoncurrentDays'),
      storageClass: storageClass(t, 'NoncurrentVersionTransition'),
    })),
  };
  if (filterNode !== undefined) rule.filter = parseFilter(filterNode);
  const expiration = child(node, 'Expiration');
  if (expiration !== undefined) {
    const marker = bool(text(child(expiration, 'ExpiredObjectDeleteMarker')), 'ExpiredObjectDeleteMarker');
    if (marker !== undefined) {
      if (child(expiration, 'Days') !== undefined || child(expiration, 'CreatedBeforeDate') !== undefined) {
        throw invalid('ExpiredObjectDeleteMarker', String(marker), 'ExpiredObjectDeleteMarker cannot be combined with Days or CreatedBeforeDate.');
      }
      rule.expiration = { expiredObjectDeleteMarker: marker };
    } else {
      rule.expiration = when(expiration, 'Expiration');
    }
  }
  const abort = child(node, 'AbortMultipartUpload');
  if (abort !== undefined) rule.abortMultipartUpload = when(abort, 'AbortMultipartUpload');
  const nve = child(node, 'NoncurrentVersionExpiration');
  if (nve !== undefined) {
    rule.noncurrentVersionExpiration = { noncurrentDays: positiveInt(text(child(nve, 'NoncurrentDays')), 'NoncurrentVersionExpiration.NoncurrentDays') };
  }
  checkActions(rule);
  return rule;
}

function parseFilter(node: XmlValue): NonNullable<LifecycleRule['filter']> {
  const filter: NonNullable<LifecycleRule['filter']> = {};
  const not = child(node, 'Not');
  if (not !== undefined) {
    const notTag = child(not, 'Tag');
    filter.not = { prefix: text(child(not, 'Prefix')) ?? '', ...(notTag !== undefined ? { tag: tag(notTag) } : {}) };
  }
  const gt = text(child(node, 'ObjectSizeGreaterThan'));
  const lt = text(child(node, 'ObjectSizeLessThan'));
  if (gt !== undefined) filter.objectSizeGreaterThan = positiveInt(gt, 'ObjectSizeGreaterThan');
  if (lt !== undefined) filter.objectSizeLessThan = positiveInt(lt, 'ObjectSizeLessThan');
  if (gt !== undefined && lt !== undefined && filter.objectSizeGreaterThan! >= filter.objectSizeLessThan!) {
    throw invalid('ObjectSizeLessThan', lt, 'ObjectSizeLessThan must be greater than ObjectSizeGreaterThan.');
  }
  return filter;
}

/** Rules must do something, and their actions must make sense together. */
function checkActions(rule: LifecycleRule): void {
  const any = rule.expiration || rule.transitions.length || rule.abortMultipartUpload || rule.noncurrentVersionExpiration || rule.noncurrentVersionTransitions.length;
  if (!any) throw malformed();
  if (rule.tags.length && rule.abortMultipartUpload) {
    throw invalid('Tag', rule.tags[0]!.key, 'A rule with tags cannot have an AbortMultipartUpload action.');
  }
  const expireDays = rule.expiration?.days;
  for (const t of rule.transitions) {
    if (expireDays !== undefined && t.days !== undefined && t.days >= expireDays) {
      throw invalid('Transition.Days', String(t.days), 'Days of a Transition must be less than Days of the Expiration.');
    }
  }
  const byClass = new Map<string, number>();
  for (const t of rule.transitions) {
    if (byClass.has(t.storageClass)) throw invalid('Transition.StorageClass', t.storageClass, 'A rule has one Transition per storage class.');
    byClass.set(t.storageClass, t.days ?? 0);
  }
  const ia = byClass.get('IA');
  const archive = byClass.get('Archive');
  if (ia && archive && archive <= ia) {
    throw invalid('Transition.Days', String(archive), 'Days of the Archive Transition must be greater than those of the IA Transition.');
  }
}

const ACTIONS: Array<[string, (r: LifecycleRule) => boolean]> = [
  ['Expiration', (r) => r.expiration !== undefined && !r.expiration.expiredObjectDeleteMarker],
  ['Transition', (r) => r.transitions.length > 0],
  ['AbortMultipartUpload', (r) => r.abortMultipartUpload !== undefined],
  ['NoncurrentVersionExpiration', (r) => r.noncurrentVersionExpiration !== undefined],
];

/**
 * Two rules without tags whose prefixes overlap must not share an action type (unless the
 * request says `x-oss-allow-same-action-overlap: true`).
 */
function checkOverlaps(rules: LifecycleRule[]): void {
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i]!;
      const b = rules[j]!;
      if (a.tags.length || b.tags.length) continue;
      if (!a.prefix.startsWith(b.prefix) && !b.prefix.startsWith(a.prefix)) continue;
      for (const [name, has] of ACTIONS) {
        if (has(a) && has(b)) {
          throw invalid('Prefix', b.prefix, `Found overlapping prefixes '${a.prefix}' and '${b.prefix}' for same action type '${name}'.`);
        }
      }
    }
  }
}

/** Parse a PutBucketLifecycle body into checked rules. */
export function parseLifecycle(doc: XmlNode, allowOverlap: boolean): LifecycleRule[] {
  const root = doc.LifecycleConfiguration;
  if (root === undefined || typeof root !== 'object' || Array.isArray(root)) throw malformed();
  const nodes = asArray(child(root, 'Rule'));
  if (nodes.length === 0) throw malformed();
  if (nodes.length > MAX_RULES) throw invalid('Rule', String(nodes.length), `A bucket has at most ${MAX_RULES} lifecycle rules.`);
  const rules = nodes.map(parseRule);
  const ids = new Set<string>();
  for (const r of rules) {
    if (ids.has(r.id)) throw invalid('ID', r.id, 'Rule ID must be unique. Found same ID for more than one rule.');
    ids.add(r.id);
  }
  if (!allowOverlap) checkOverlaps(rules);
  return rules;
}

const whenXml = (w: LifecycleWhen) => ({ Days: w.days, CreatedBeforeDate: w.createdBeforeDate });
const tagXml = (t: Tag) => ({ Key: t.key, Value: t.value });

/** The GetBucketLifecycle body of stored rules. */
export function lifecycleXml(rules: LifecycleRule[]): XmlBuildValue {
  return {
    Rule: rules.map((r) => ({
      ID: r.id,
      Prefix: r.prefix,
      Status: r.status,
      Filter: r.filter && {
        Not: r.filter.not && { Prefix: r.filter.not.prefix, Tag: r.filter.not.tag && tagXml(r.filter.not.tag) },
        ObjectSizeGreaterThan: r.filter.objectSizeGreaterThan,
        ObjectSizeLessThan: r.filter.objectSizeLessThan,
      },
      Tag: r.tags.map(tagXml),
      Expiration: r.expiration && { ...whenXml(r.expiration), ExpiredObjectDeleteMarker: r.expiration.expiredObjectDeleteMarker },
      Transition: r.transitions.map((t) => ({ ...whenXml(t), StorageClass: t.storageClass, IsAccessTime: t.isAccessTime, ReturnToStdWhenVisit: t.returnToStdWhenVisit })),
      AbortMultipartUpload: r.abortMultipartUpload && whenXml(r.abortMultipartUpload),
      NoncurrentVersionTransition: r.noncurrentVersionTransitions.map((t) => ({ NoncurrentDays: t.noncurrentDays, StorageClass: t.storageClass })),
      NoncurrentVersionExpiration: r.noncurrentVersionExpiration && { NoncurrentDays: r.noncurrentVersionExpiration.noncurrentDays },
    })),
  };
}
