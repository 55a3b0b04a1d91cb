import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
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
    // `operation` only takes names from a bounded set (OperationLabels): a client cannot add series.
    help: 'GraphQL request duration by operation name (known names; other, anonymous)',
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

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * GET /metrics. With a token, only for `Authorization: Bearer <token>`: both sides are hashed and compared
 * with timingSafeEqual, so neither the token nor its length shows in the response time. 401 otherwise.
 */
export function metricsEndpoint(registry: Registry, token: string | null): RequestHandler {
  const expected = token === null ? null : digest(token);
  return async (req, res) => {
    if (expected) {
      const presented = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!timingSafeEqual(digest(presented), expected)) {
        const message = 'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>.';
        res.status(401).set('www-authenticate', 'Bearer realm="metrics"');
        res.json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}

/** /metrics on a listener of its own (METRICS_PORT), so the public port does not serve it at all. */
export async function listenForMetrics(
  handler: RequestHandler,
  { port, host }: { port: number; host: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', handler);
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`METRICS_PORT ${port} on ${host}: ${err.message}`)));
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${bound}/metrics`,
    // A scraper's keep-alive connection must not hold the shutdown.
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}
