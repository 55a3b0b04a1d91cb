import 'reflect-metadata';
import { createApp } from '../src/app';
import type { DatabaseUrls } from '../src/platform/db/databases';
import type { SessionCache } from '../src/primary/auth/session-cache';
import { loadConfig } from '../src/platform/config';
import { createLogger } from '../src/platform/logger';
import { serveChild } from './support/child';

export interface GatewayChildOptions {
  urls: DatabaseUrls;
  /** 'off' swaps the session cache for a pass-through after start: the uncached path, no production flag. */
  sessionCache: 'on' | 'off';
  env?: Record<string, string>;
}

type CacheApi = Pick<SessionCache, 'get' | 'evictSessions' | 'evictUser' | 'evictAll' | 'stats' | 'close'>;

/**
 * Same interface as SessionCache, but every call runs the loader: each request pays the principal
 * query, exactly what a miss costs in the real cache (which is kept out of the way, not re-implemented).
 */
class PassThroughSessionCache implements CacheApi {
  private misses = 0;
  get: CacheApi['get'] = (_key, load) => ((this.misses += 1), load());
  evictSessions(): void {}
  evictUser(): void {}
  evictAll(): void {}
  stats() {
    return { hits: 0, misses: this.misses, keys: 0 };
  }
  close(): void {}
}

serveChild(async (options: GatewayChildOptions) => {
  // Production settings (no landing page, no introspection) on loopback; warn-level logs, since one
  // info line per request would measure the log sink rather than the gateway.
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATABASE_URL: options.urls.primary,
    ...options.env,
  });
  const app = await createApp(config, options.urls, createLogger(config.logLevel));
  if (options.sessionCache === 'off') {
    app.services.primary.sessionCache.close();
    app.services.primary.sessionCache = new PassThroughSessionCache() as unknown as SessionCache;
  }
  return {
    url: app.gateway.url,
    statements: () => app.dbs.counter.snapshot(),
    stop: () => app.close(),
  };
});
