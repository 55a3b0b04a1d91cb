import NodeCache from 'node-cache';
import { UnauthenticatedReason } from '../../platform/errors/errors';
import type { Viewer } from '../../shared/permissions/viewer';
import type { SessionRefusal } from './auth.errors';

export interface SessionCacheOptions {
  ttlSeconds: number;
  /** Unknown or expired tokens are remembered this long, so a flood of bad tokens cannot hammer the database. */
  negativeTtlSeconds?: number;
}

/** A session's principal, or why its token is refused: what the cache holds and answers. */
export type SessionLookup = Viewer | SessionRefusal;
const isRefusal = (entry: SessionLookup): entry is SessionRefusal => typeof entry === 'string';

/**
 * Validated sessions keyed by the token's SHA-256, never the raw token. A miss runs the loader once;
 * concurrent misses for the same key share that one promise, so a hot client costs the primary
 * database at most one query per session per TTL.
 */
export class SessionCache {
  private readonly cache: NodeCache;
  private readonly inFlight = new Map<string, Promise<SessionLookup>>();
  private readonly negativeTtl: number;
  private readonly ttl: number;
  /** Set while revocations from other instances may not arrive: entries live at most this long. */
  private ceiling: number | null = null;
  /** Bumped on every eviction: a load that started before it must not repopulate a revoked entry. */
  private generation = 0;
  hits = 0;
  misses = 0;

  constructor(options: SessionCacheOptions) {
    this.cache = new NodeCache({
      stdTTL: options.ttlSeconds,
      checkperiod: Math.max(1, Math.ceil(options.ttlSeconds / 2)),
      useClones: false,
    });
    this.ttl = options.ttlSeconds;
    this.negativeTtl = options.negativeTtlSeconds ?? Math.min(5, options.ttlSeconds);
  }

  /**
   * While the revocation listener cannot prove it hears other instances, a session revoked elsewhere would
   * live here for a whole TTL: new entries are cached for at most `seconds` (null lifts the cap). With
   * `dropCached`, what is cached now (for longer) goes too.
   */
  capTtl(seconds: number | null, { dropCached = false } = {}): void {
    this.ceiling = seconds;
    if (seconds !== null && dropCached) this.evictAll();
  }

  /** The TTL entries are cached with now (the configured one, or the cap while one is set). */
  get effectiveTtlSeconds(): number {
    return this.ceiling === null ? this.ttl : Math.min(this.ttl, this.ceiling);
  }

  /**
   * A refusal is cached with its reason (for the shorter negative TTL), so a token answered from memory is
   * refused exactly as the database would refuse it: an expired session stays SESSION_EXPIRED, never "no token".
   */
  async get(key: string, load: () => Promise<SessionLookup>): Promise<SessionLookup> {
    const cached = this.cache.get<SessionLookup>(key);
    if (cached !== undefined) {
      this.hits += 1;
      if (isRefusal(cached)) return cached;
      // A session can expire inside the cache TTL; it is not honoured past its own expiry.
      return cached.expiresAt > Date.now() ? cached : UnauthenticatedReason.SessionExpired;
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      this.hits += 1;
      return pending;
    }
    this.misses += 1;
    const generation = this.generation;
    const promise = load()
      .then((found) => {
        if (generation === this.generation) {
          const ttl = this.effectiveTtlSeconds;
          this.cache.set<SessionLookup>(key, found, isRefusal(found) ? Math.min(this.negativeTtl, ttl) : ttl);
        }
        return found;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Forget loads started before a revocation, so no request can join a load that read a revoked session. */
  private bump(): void {
    this.generation += 1;
    this.inFlight.clear();
  }

  evictSessions(keys: string[]): void {
    this.bump();
    this.cache.del(keys);
  }

  evictUser(userId: string): void {
    this.bump();
    const keys = this.cache.keys().filter((k) => {
      const entry = this.cache.get<SessionLookup>(k);
      return entry !== undefined && !isRefusal(entry) && entry.userId === userId;
    });
    this.cache.del(keys);
  }

  evictAll(): void {
    this.bump();
    this.cache.flushAll();
  }

  stats(): { hits: number; misses: number; keys: number } {
    return { hits: this.hits, misses: this.misses, keys: this.cache.keys().length };
  }

  close(): void {
    this.cache.close();
  }
}
