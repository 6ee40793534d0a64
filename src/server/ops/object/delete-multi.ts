// DeleteMultipleObjects: `POST /?delete` with an XML list of up to 1000 keys, guarded by a
// mandatory Content-MD5 of the body.

import { removeObject } from './versions.js';
import { readBodyBytes } from '../../../core/body-bytes.js';
import { encodeQueryComponent } from '../../../core/encoding.js';
import { Md5 } from '../../../core/md5.js';
import { fromBase64 } from '../../../core/crypto.js';
import { asArray, child, text } from '../../../core/xml.js';
import { ServerError, serverError } from '../../errors.js';
import type { RequestContext } from '../../context.js';
import { parseXmlBody } from '../../xml-body.js';
import { authorizeResource, emptyResponse, loadBucket, xmlResponse } from '../common.js';
import { checkKey } from './common.js';
import { defineRoute, type RouteDef } from '../routes.js';
import { checkRetention } from '../bucket/worm.js';

const MAX_KEYS = 1000;
/** 1000 keys of 1023 bytes, XML-escaped, fit well within this. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A malformed request, with the error-center code OSS gives that case. */
function malformed(ec: string, message: string): ServerError {
  return new ServerError('MalformedXML', message, {}, undefined, ec);
}

/** The body as text, read with a size bound and checked against its (mandatory) Content-MD5. */
async function readVerifiedBody(ctx: RequestContext): Promise<string> {
  const header = ctx.headers.get('content-md5');
  if (!header) throw new ServerError('InvalidRequest', 'Missing required header for this request: Content-MD5.', {}, undefined, '0016-00000606');
  const all = await readBodyBytes(ctx.request.body, MAX_BODY_BYTES, () =>
    serverError('InvalidArgument', {}, `The request body is larger than ${MAX_BODY_BYTES} bytes.`));
  let given: Uint8Array;
  try {
    given = fromBase64(header);
  } catch {
    given = new Uint8Array(0);
  }
  const actual = new Md5().update(all).digest();
  if (given.length !== actual.length || given.some((b, i) => b !== actual[i])) throw serverError('InvalidDigest');
  return new TextDecoder().decode(all);
}

function parseDeleteRequest(body: string): { quiet: boolean; objects: Array<{ key: string; versionId?: string }> } {
  // Strict: unclosed elements, DTDs or unknown entities refuse the whole list.
  const doc = parseXmlBody(body);
  const root = doc.Delete;
  if (root === undefined || typeof root !== 'object' || Array.isArray(root)) throw serverError('MalformedXML');
  const quietText = text(child(root, 'Quiet'))?.trim() ?? 'false';
  if (quietText !== 'true' && quietText !== 'false') throw malformed('0016-00000610', 'The Quiet element must be true or false.');
  const nodes = asArray(child(root, 'Object'));
  if (nodes.length === 0) throw malformed('0016-00000615', 'The Delete element must contain at least one Object.');
  if (nodes.length > MAX_KEYS) throw serverError('MalformedXML', {}, `At most ${MAX_KEYS} objects can be deleted in one request.`);
  const objects = nodes.map((node) => {
    const key = text(child(node, 'Key'));
    if (key === undefined) throw malformed('0016-00000613', 'Every Object element must have a Key.');
    const versionId = text(child(node, 'VersionId'));
    return { key: checkKey(key), ...(versionId ? { versionId } : {}) };
  });
  return { quiet: quietText === 'true', objects };
}

export async function deleteMultipleObjects(ctx: RequestContext): Promise<Response> {
  const bucket = await loadBucket(ctx);
  const encoding = ctx.query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw serverError('InvalidArgument', { ArgumentName: 'encoding-type', ArgumentValue: encoding }, 'The encoding-type must be url.');
  const { quiet, objects } = parseDeleteRequest(await readVerifiedBody(ctx));
  // Each key is a resource of its own (DeleteObject, or DeleteObjectVersion for a version). All
  // are checked before any is deleted: one refused key refuses the request and deletes nothing.
  for (const { key, versionId } of objects) {
    const action = versionId !== undefined ? 'oss:DeleteObjectVersion' : 'oss:DeleteObject';
    authorizeResource(ctx, { bucket, key, actions: [action], access: 'write' });
  }
  for (const { key, versionId } of objects) await checkRetention(ctx, bucket, key, versionId);
  const outcomes = [];
  for (const { key, versionId } of objects) outcomes.push({ key, versionId, outcome: await removeObject(ctx.state, bucket, key, versionId) });
  // Deleting is all-or-nothing here (a missing key counts as deleted), so quiet mode has nothing to report.
  if (quiet) return emptyResponse(200);
  const enc = encoding === 'url' ? encodeQueryComponent : (s: string) => s;
  return xmlResponse('DeleteResult', {
    EncodingType: encoding ?? undefined,
    Deleted: outcomes.map((o) => ({
      Key: enc(o.key),
      VersionId: o.versionId,
      DeleteMarker: o.outcome.deleteMarker || undefined,
      DeleteMarkerVersionId: o.outcome.deleteMarker ? o.outcome.versionId : undefined,
    })),
  });
}

export const deleteMultiRoutes: RouteDef[] = [defineRoute('bucket', 'POST', 'delete', deleteMultipleObjects)];
