import type { AppConfig } from '../platform/config';
import type { Databases } from '../platform/db/databases';
import { DOMAINS, type DomainName } from '../platform/domains';
import type { Logger } from '../platform/logger';

export interface ServerSlots {
  /** Same value for both domains when they live on one server (single mode, or two databases of one). */
  server: string;
  maxConnections: number;
  /** superuser_reserved_connections + reserved_connections (PostgreSQL 16+): not ours to use. */
  reserved: number;
  /** Connections open right now, by anyone (other instances, operators, this process's own). */
  inUse: number;
}

/** What one instance may open on a server: its pools and a listener on each (revocations, import changes). */
export function instanceNeeds(config: AppConfig, mode: Databases['mode']): Record<DomainName, number> {
  if (mode === 'single') return { primary: config.pool.primary + config.pool.data + 2, data: 0 };
  return { primary: config.pool.primary + 1, data: config.pool.data + 1 };
}

async function readSlots(dbs: Databases, domain: DomainName): Promise<ServerSlots> {
  const [row] = await dbs
    .fork(domain)
    .getConnection()
    .execute<
      Array<{ server: string; max: string; superuser: string; reserved: string | null; in_use: string }>
    >(
      `select concat_ws('/', inet_server_addr(), inet_server_port(), pg_postmaster_start_time()) as server,
              current_setting('max_connections') as max,
            current_setting('superuser_reserved_connections') as superuser,
            current_setting('reserved_connections', true) as reserved,
            (select count(*) from pg_stat_activity where backend_type = 'client backend') as in_use`,
    );
  return {
    server: row!.server,
    maxConnections: Number(row!.max),
    reserved: Number(row!.superuser) + Number(row!.reserved ?? 0),
    inUse: Number(row!.in_use),
  };
}

/**
 * At start, reads each server's connection slots and warns when this instance's pools and listener cannot
 * fit beside what is already open. A warning, not a refusal: the pools only open what they use, and a
 * query waits (DB_CONNECT_TIMEOUT_MS) for a pooled connection when the server is full. Behind PgBouncer
 * the figures are the server's, and the pooler's own pool size is what limits the server connections.
 */
export async function checkConnectionBudget(
  config: AppConfig,
  dbs: Databases,
  logger: Logger,
): Promise<void> {
  const perDomain = instanceNeeds(config, dbs.mode);
  // Split mode with both databases on one server: their needs add up on that server.
  const servers = new Map<string, { slots: ServerSlots; needs: number; domains: DomainName[] }>();
  for (const domain of DOMAINS) {
    if (!perDomain[domain]) continue;
    const slots = await readSlots(dbs, domain).catch(() => null);
    if (!slots) continue; // an unreachable database is reported by the health check and the first requests
    const server = servers.get(slots.server) ?? { slots, needs: 0, domains: [] };
    server.needs += perDomain[domain];
    server.domains.push(domain);
    servers.set(slots.server, server);
  }
  for (const { slots, needs, domains } of servers.values()) {
    const usable = slots.maxConnections - slots.reserved;
    const free = usable - slots.inUse;
    const { server: _server, ...counts } = slots;
    const figures = { databases: domains, needs, usable, ...counts };
    const names = domains.join(' and ');
    if (needs > free)
      logger.warn(
        figures,
        `connection budget: this instance may open ${needs} connections to the server of the ${names} ` +
          `database, which has ${free} of ${usable} usable slots free; size pools so that instances × ` +
          '(pools + listener) fits (docs/OPS_RUNBOOK.md). Queries wait for a pooled connection meanwhile.',
      );
    else logger.info(figures, 'connection budget');
  }
}
