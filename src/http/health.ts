import type { MikroORM } from '@mikro-orm/postgresql';
import type { DomainName } from '../platform/domains';
import type { Databases } from '../platform/db/databases';
import type { ListenerHealth } from '../primary/auth/listener-heartbeat';

export interface DatabaseHealth {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface CacheStats {
  hits: number;
  misses: number;
  keys: number;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  mode: 'single' | 'split';
  databases: Record<DomainName, DatabaseHealth>;
  sessionCache: CacheStats & { ttlSeconds: number };
  /** Whether sessions revoked on other instances are heard here (docs/OPS_RUNBOOK.md). */
  revocation: ListenerHealth;
  /** Import changes from every instance, for subscriptions: the LISTEN on the data database, sockets open here. */
  importChanges: ImportChangesHealth;
}

export interface ImportChangesHealth {
  listening: boolean;
  sockets: number;
  subscriptions: number;
}

export interface HealthSources {
  cache: () => CacheStats & { ttlSeconds: number };
  revocation: () => ListenerHealth;
  importChanges: () => ImportChangesHealth;
}

/** One `select 1` with a bounded wait, so a hung database cannot hang the health check. */
async function probe(orm: MikroORM, timeoutMs: number): Promise<DatabaseHealth> {
  const started = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      orm.em.getConnection().execute('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Report the kind of failure, not connection strings.
    return {
      ok: false,
      latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
      error: message.replace(/postgres(ql)?:\/\/\S+/g, '[url]'),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * 'down' when neither database answers, 'degraded' when one does not, when the import listener is
 * disconnected, or when revocations from other instances are not heard (sessions then live at most the short fallback TTL). The HTTP status (server.ts)
 * is 503 only for a database: a deaf listener is a configuration problem that every instance shares, and
 * answering 503 for it would take the whole fleet out of the load balancer.
 */
export async function checkHealth(
  dbs: Databases,
  sources: HealthSources,
  timeoutMs = 2000,
): Promise<HealthReport> {
  const [primary, data] = await Promise.all([
    probe(dbs.orms.primary, timeoutMs),
    probe(dbs.orms.data, timeoutMs),
  ]);
  const up = [primary.ok, data.ok].filter(Boolean).length;
  const revocation = sources.revocation();
  const importChanges = sources.importChanges();
  // Not listening: subscribers here see no change until the listener is back (it then re-reads for them).
  const allUp = revocation.status === 'ok' && importChanges.listening ? 'ok' : 'degraded';
  return {
    status: up === 2 ? allUp : up === 1 ? 'degraded' : 'down',
    mode: dbs.mode,
    databases: { primary, data },
    sessionCache: sources.cache(),
    revocation,
    importChanges,
  };
}
