// Letting go of a response whose body nobody will read: its timer stops and its connection is
// freed (an unread body would hold the socket until the timeout).

/** What release() needs of a RawResponse (its own shape, so that request-types.ts's users can import this module). */
export interface Releasable {
  response: Response;
  done(): void;
}

/** Stop the response's timer and cancel its body (a failed cancel is no news: the request is over). */
export async function release(raw: Releasable): Promise<void> {
  raw.done();
  await raw.response.body?.cancel().catch(() => {});
}
