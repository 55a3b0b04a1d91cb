import type { MikroORM } from '@mikro-orm/postgresql';
import type { DomainName } from '../platform/domains';
import type { Databases } from '../platform/db/databases';

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
  sessionCache: CacheStats;
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

export async function checkHealth(
  dbs: Databases,
  cache: () => CacheStats,
  timeoutMs = 2000,
): Promise<HealthReport> {
  const [primary, data] = await Promise.all([
    probe(dbs.orms.primary, timeoutMs),
    probe(dbs.orms.data, timeoutMs),
  ]);
  const up = [primary.ok, data.ok].filter(Boolean).length;
  return {
    status: up === 2 ? 'ok' : up === 1 ? 'degraded' : 'down',
    mode: dbs.mode,
    databases: { primary, data },
    sessionCache: cache(),
  };
}
