// The test admin API under `/-/` (a path no bucket can have), served only with `admin: true`:
//   GET /-/faults            pending faults, counters and clock skew
//   POST /-/faults           add one FaultRule or an array of them (JSON)
//   DELETE /-/faults         clear faults and clock skew
//   POST /-/clock            {"skewMs": n}: move the server clock

import type { FaultRule } from './faults.js';
import type { ServerState } from './context.js';

export function isAdminPath(url: URL): boolean {
  return url.pathname.startsWith('/-/');
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

export async function adminRequest(request: Request, url: URL, state: ServerState): Promise<Response> {
  const { faults } = state;
  try {
    switch (`${request.method} ${url.pathname}`) {
      case 'GET /-/faults':
        return json({ pending: faults.pending(), stats: faults.stats, clockSkew: faults.clockSkew });
      case 'POST /-/faults': {
        const body = (await request.json()) as FaultRule | FaultRule[];
        for (const rule of Array.isArray(body) ? body : [body]) faults.add(rule);
        return new Response(null, { status: 204 });
      }
      case 'DELETE /-/faults':
        faults.clear();
        return new Response(null, { status: 204 });
      case 'POST /-/clock': {
        const { skewMs } = (await request.json()) as { skewMs: number };
        if (typeof skewMs !== 'number' || !Number.isFinite(skewMs)) return json({ error: 'skewMs must be a number' }, 400);
        faults.clockSkew = skewMs;
        return new Response(null, { status: 204 });
      }
      default:
        return json({ error: `no admin endpoint ${request.method} ${url.pathname}` }, 404);
    }
  } catch (err) {
    return json({ error: err instanceof Error ? err.message : String(err) }, 400);
  }
}
