// Where request credentials come from: fixed keys, or short-lived STS keys that a callback
// refreshes. Refreshes are single-flight, so parallel requests share one and none signs with a
// token that is about to expire.

import { OSSArgumentError } from '../core/errors.js';

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface RefreshedCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  stsToken?: string;
  securityToken?: string;
  /** When the keys stop working (ISO string, epoch ms or Date). */
  expiration?: string | number | Date;
}

export type RefreshCredentials = () => Promise<RefreshedCredentials>;

/** Refresh this long before the stated expiry, so a request in flight never carries a dead token. */
const EARLY_REFRESH_MS = 5 * 60_000;

export class CredentialsProvider {
  #current: Credentials | undefined;
  #expiresAt = Infinity;
  #refreshedAt = 0;
  #inFlight: Promise<Credentials> | undefined;
  #generation = 0;
  readonly #refresh: RefreshCredentials | undefined;
  readonly #interval: number;

  constructor(initial: Credentials | undefined, refresh?: RefreshCredentials, refreshInterval = Infinity, expiration?: RefreshedCredentials['expiration']) {
    this.#current = initial;
    this.#expiresAt = expiryOf(expiration);
    this.#refresh = refresh;
    this.#interval = refreshInterval;
    this.#refreshedAt = Date.now();
  }

  /** Whether a refresh callback exists (an expired-token error is then worth one retry). */
  get refreshable(): boolean {
    return this.#refresh !== undefined;
  }

  /** Counts key changes, so a caller can tell whether the keys it signed with are still current. */
  get generation(): number {
    return this.#generation;
  }

  /** Anonymous when no keys were given and no refresh callback exists. */
  get anonymous(): boolean {
    return !this.#current && !this.#refresh;
  }

  /** Current keys, refreshed first when they are missing, near expiry, or older than the interval. */
  async get(now = Date.now()): Promise<Credentials | undefined> {
    if (!this.#refresh) return this.#current;
    const stale = !this.#current || now >= this.#expiresAt - EARLY_REFRESH_MS || now - this.#refreshedAt >= this.#interval;
    return stale ? this.refresh() : this.#current;
  }

  /** Force a refresh (after an expired-token error); concurrent callers share one. */
  refresh(): Promise<Credentials> {
    const refresh = this.#refresh;
    if (!refresh) return Promise.reject(new OSSArgumentError('refreshSTSToken', 'no refresh callback was configured'));
    this.#inFlight ??= (async () => {
      try {
        const fresh = await refresh();
        const creds = toCredentials(fresh);
        this.#current = creds;
        this.#generation++;
        this.#refreshedAt = Date.now();
        this.#expiresAt = expiryOf(fresh.expiration);
        return creds;
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }

  /**
   * After the server refused keys of `generation` as expired: refresh, unless they were replaced
   * since (a parallel request already refreshed), so N refused requests cause one refresh.
   */
  async renew(generation: number): Promise<void> {
    if (this.#generation === generation || this.#inFlight) await this.refresh();
  }

  /** Replace the keys (ali-oss's `client.options.stsToken = …` pattern, done explicitly). */
  set(creds: Credentials): void {
    this.#current = creds;
    this.#generation++;
    this.#refreshedAt = Date.now();
    this.#expiresAt = Infinity;
  }

  toJSON(): string {
    return '[credentials]';
  }
}

/** Epoch ms of an expiry as callbacks state it; Infinity when absent or unreadable. */
function expiryOf(expiration: RefreshedCredentials['expiration']): number {
  const at = expiration === undefined ? Infinity : new Date(expiration).getTime();
  return Number.isNaN(at) ? Infinity : at;
}

function toCredentials(r: RefreshedCredentials): Credentials {
  if (!r || typeof r.accessKeyId !== 'string' || typeof r.accessKeySecret !== 'string') {
    throw new OSSArgumentError('refreshSTSToken', 'the callback must resolve to { accessKeyId, accessKeySecret, stsToken, expiration }');
  }
  const token = r.stsToken ?? r.securityToken;
  return { accessKeyId: r.accessKeyId, accessKeySecret: r.accessKeySecret, ...(token ? { securityToken: token } : {}) };
}
