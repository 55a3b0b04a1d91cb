import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Databases } from '../platform/db/databases';
import type { DomainName } from '../platform/domains';
import type { CacheStats } from './health';

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

function poolOf(dbs: Databases, domain: DomainName): TarnPool | null {
  const knex = dbs.orms[domain].em.getConnection().getKnex() as unknown as { client?: { pool?: TarnPool } };
  return knex.client?.pool ?? null;
}

/** The gateway's Prometheus metrics, one registry per app so tests and several apps don't collide. */
export function createMetrics(
  dbs: Databases,
  cacheStats: () => CacheStats,
  importLoad: () => { running: number; waiting: number },
) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request duration by operation name',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors by code',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const statements = new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent, per database',
    labelNames: ['database'] as const,
    registers: [registry],
  });
  const importRows = new Counter({
    name: 'import_rows_processed_total',
    help: 'CSV rows processed by imports',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  dbs.counter.onStatement((domain) => statements.inc({ database: domain }));

  new Gauge({
    name: 'session_cache',
    help: 'Session cache hits, misses (cumulative) and keys (current)',
    labelNames: ['stat'] as const,
    registers: [registry],
    collect() {
      const s = cacheStats();
      this.set({ stat: 'hits' }, s.hits);
      this.set({ stat: 'misses' }, s.misses);
      this.set({ stat: 'keys' }, s.keys);
    },
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Connection pool usage per database: used, free, pending acquires',
    labelNames: ['database', 'state'] as const,
    registers: [registry],
    collect() {
      for (const domain of ['primary', 'data'] as const) {
        const pool = poolOf(dbs, domain);
        if (!pool) continue;
        this.set({ database: domain, state: 'used' }, pool.numUsed());
        this.set({ database: domain, state: 'free' }, pool.numFree());
        this.set({ database: domain, state: 'pending' }, pool.numPendingAcquires());
      }
    },
  });
  new Gauge({
    name: 'imports',
    help: 'Imports being processed (running) and uploads waiting for a slot (waiting), per IMPORT_CONCURRENCY',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const load = importLoad();
      this.set({ state: 'running' }, load.running);
      this.set({ state: 'waiting' }, load.waiting);
    },
  });
  return { registry, requestDuration, errors, importRows };
}

export type Metrics = ReturnType<typeof createMetrics>;
