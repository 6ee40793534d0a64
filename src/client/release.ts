// Letting go of a response whose body nobody will read: its timer stops and its connection is
// freed (an unread body would hold the socket until the timeout).

import type { RawResponse } from './request-types.js';

/** Stop the response's timer and cancel its body (a failed cancel is no news: the request is over). */
export async function release(raw: Pick<RawResponse, 'response' | 'done'>): Promise<void> {
  raw.done();
  await raw.response.body?.cancel().catch(() => {});
}
