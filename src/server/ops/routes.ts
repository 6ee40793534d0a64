// How operation modules declare what they answer: scope × method × sub-resource set.

import type { RequestContext } from '../context.js';

export type Scope = 'service' | 'bucket' | 'object';

export interface RouteDef {
  scope: Scope;
  method: string;
  /** The request's non-passive sub-resources, sorted and joined with `&` ('' for none). */
  sub: string;
  handle: (ctx: RequestContext) => Promise<Response>;
}

export const defineRoute = (scope: Scope, method: string, sub: string, handle: RouteDef['handle']): RouteDef => ({
  scope, method, sub, handle,
});
