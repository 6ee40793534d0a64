// Fault injection for tests: make the next requests fail, hang, reset, arrive truncated or
// corrupted, or skew the server clock. Driven by the `faults` server option and by the admin
// endpoint `/-/faults` (JSON), which exists only when the server is created with `admin: true`.

import { ServerError } from './errors.js';

export type FaultKind = 'status' | 'reset' | 'stall' | 'truncate' | 'corrupt';

export interface FaultRule {
  kind: FaultKind;
  /** How many matching requests it affects (default 1). */
  count?: number;
  /** `status`: the HTTP status to answer with (500, 503, 429…; default 503). */
  status?: number;
  /** `reset`/`truncate`/`corrupt`/`stall`: after this many response body bytes (default 0). */
  afterBytes?: number;
  /**
   * `reset`/`corrupt`: act on the request body instead, after this many bytes (cut the
   * connection, or flip the byte at this offset so the server stores other bytes).
   */
  requestBytes?: number;
  /** `stall`: pause this long (ms; default: until the client gives up). */
  ms?: number;
  /** Only requests with this method / whose key starts with this prefix. */
  method?: string;
  keyPrefix?: string;
}

export interface FaultStats {
  injected: number;
  byKind: Record<string, number>;
}

/** Thrown (or raised inside a body stream) to make the listener drop the connection. */
export class ConnectionReset extends Error {
  constructor() {
    super('connection reset by fault injection');
    this.name = 'ConnectionReset';
  }
}

const KINDS = new Set<FaultKind>(['status', 'reset', 'stall', 'truncate', 'corrupt']);

/** The server's fault injector: rules consumed by matching requests, counters, and a clock skew. */
export class Faults {
  #rules: Array<FaultRule & { left: number }> = [];
  /** Milliseconds added to the server clock. */
  clockSkew = 0;
  readonly stats: FaultStats = { injected: 0, byKind: {} };

  /** Queue a fault rule (validated). */
  add(rule: FaultRule): void {
    if (!rule || !KINDS.has(rule.kind)) throw new TypeError(`unknown fault kind ${JSON.stringify(rule?.kind)}`);
    const count = rule.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError('fault count must be a positive integer');
    this.#rules.push({ ...rule, left: count });
  }

  /** Drop every pending fault and the clock skew. */
  clear(): void {
    this.#rules = [];
    this.clockSkew = 0;
  }

  /** Rules not yet used up, with their remaining counts. */
  pending(): FaultRule[] {
    return this.#rules.map(({ left, ...r }) => ({ ...r, count: left }));
  }

  /** The fault for this request, if any (consumes one count). */
  take(method: string, key: string | null): FaultRule | undefined {
    const i = this.#rules.findIndex(
      (r) => (!r.method || r.method === method) && (!r.keyPrefix || (key ?? '').startsWith(r.keyPrefix)),
    );
    if (i === -1) return undefined;
    const rule = this.#rules[i]!;
    if (--rule.left === 0) this.#rules.splice(i, 1);
    this.stats.injected += 1;
    this.stats.byKind[rule.kind] = (this.stats.byKind[rule.kind] ?? 0) + 1;
    return rule;
  }
}

/** The error a `status` fault answers with instead of running the request at all. */
export function injectedError(rule: FaultRule): ServerError {
  const status = rule.status ?? 503;
  const code = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'InternalError';
  return new ServerError(code, 'Injected fault.', {}, status);
}

/**
 * `answer` under an injected fault (none: as it is): a stall before it runs, a request body cut
 * or corrupted on its way in, or a response stalled, cut, corrupted or reset on its way out.
 * (A `status` fault never gets here: see injectedError.)
 */
export async function underFault(
  rule: FaultRule | undefined,
  request: Request,
  answer: (request: Request) => Promise<Response>,
): Promise<Response> {
  if (!rule) return answer(request);
  if (rule.kind === 'stall' && !rule.afterBytes) await delay(rule.ms ?? 3_600_000, request.signal);
  if (rule.requestBytes !== undefined) return answer(requestFault(request, rule));
  return faultResponse(await answer(request), rule, request.signal);
}

/** The request with a body that resets the connection, or carries one flipped byte, at `requestBytes`. */
export function requestFault(request: Request, rule: FaultRule): Request {
  if (!request.body || rule.requestBytes === undefined) return request;
  const at = rule.requestBytes;
  let seen = 0;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const start = seen;
        seen += chunk.byteLength;
        if (seen <= at) return controller.enqueue(chunk);
        if (rule.kind === 'reset') throw new ConnectionReset();
        if (start > at) return controller.enqueue(chunk);
        const copy = chunk.slice();
        copy[at - start] = copy[at - start]! ^ 0xff;
        controller.enqueue(copy);
      },
    }),
  );
  return new Request(request, { body, duplex: 'half' } as RequestInit);
}

/** Apply a response-side fault to a response the server produced. */
export function faultResponse(response: Response, rule: FaultRule, signal?: AbortSignal): Response {
  const after = rule.afterBytes ?? 0;
  if (rule.kind === 'stall' && after === 0) return response; // handled before the op runs
  // A reset before any byte drops the connection before the status line: nothing arrives.
  if (rule.kind === 'reset' && (after === 0 || !response.body)) throw new ConnectionReset();
  if (!response.body) return response;
  let seen = 0;
  let stalled = false; // a stall pauses the body once, at `afterBytes`
  const transform = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      const start = seen;
      seen += chunk.byteLength;
      if (seen <= after) return controller.enqueue(chunk);
      const cut = Math.max(0, after - start);
      switch (rule.kind) {
        case 'corrupt': {
          const copy = chunk.slice();
          if (start <= after) copy[cut] = copy[cut]! ^ 0xff;
          return controller.enqueue(copy);
        }
        case 'stall':
          if (stalled) return controller.enqueue(chunk);
          stalled = true;
          if (cut > 0) controller.enqueue(chunk.subarray(0, cut));
          await delay(rule.ms ?? 3_600_000, signal);
          return controller.enqueue(chunk.subarray(cut));
        case 'truncate':
          if (start <= after) {
            if (cut > 0) controller.enqueue(chunk.subarray(0, cut));
            controller.terminate();
          }
          return;
        default: // reset
          if (cut > 0) controller.enqueue(chunk.subarray(0, cut));
          throw new ConnectionReset();
      }
    },
  });
  return new Response(response.body.pipeThrough(transform), { status: response.status, headers: response.headers });
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
