import { rmSync } from 'node:fs';
import { generateCertificates, type Certificates } from './certs';
import { runCli, startGateway, type GatewayProcess } from './gateway-process';
import type { UrlParams } from './pg-url';
import { startPgBouncer, type PgBouncer } from './pgbouncer';
import { startTlsCluster, type TlsCluster } from './postgres-cluster';
import { makeServerTempDir } from './server-user';

export const ADMIN = { email: 'ops@example.com', password: 'topology-admin-password' };

export interface TopologyOptions {
  maxConnections?: number;
  superuserReservedConnections?: number;
  /** PgBouncer's server connections per database (the provider's "pool size"). */
  bouncerPoolSize?: number;
}

/**
 * The production topology in small: a TLS-only PostgreSQL (hostssl lines only, certificates from a CA of
 * the test's own) holding the primary and data databases, and PgBouncer in transaction mode in front of it.
 */
export interface Topology {
  certs: Certificates;
  cluster: TlsCluster;
  bouncer: PgBouncer;
  databases: { primary: string; data: string };
  /** Straight to the server, verify-full unless told otherwise. */
  direct(domain: 'primary' | 'data', params?: UrlParams): string;
  /** Through PgBouncer (which verifies the server itself). */
  pooled(domain: 'primary' | 'data', params?: UrlParams): string;
  /** The environment of a production gateway on this topology: pooled primary, direct listener, direct data. */
  gatewayEnv(extra?: Record<string, string>): Record<string, string>;
  startGateway(extra?: Record<string, string>): Promise<GatewayProcess>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const certDir = makeServerTempDir('topology-certs-');
  const gateways: GatewayProcess[] = [];
  let cluster: TlsCluster | undefined;
  let bouncer: PgBouncer | undefined;
  const stop = async () => {
    await Promise.allSettled(gateways.map((g) => g.kill()));
    await Promise.allSettled([bouncer?.stop(), cluster?.stop()]);
    rmSync(certDir, { recursive: true, force: true });
  };
  try {
    const certs = await generateCertificates(certDir);
    cluster = await startTlsCluster({
      certs,
      maxConnections: options.maxConnections ?? 60,
      superuserReservedConnections: options.superuserReservedConnections ?? 3,
    });
    counter += 1;
    const databases = { primary: `gw_primary_${counter}`, data: `gw_data_${counter}` };
    await cluster.createDatabase(databases.primary);
    await cluster.createDatabase(databases.data);
    bouncer = await startPgBouncer({ cluster, certs, defaultPoolSize: options.bouncerPoolSize ?? 5 });
    const c = cluster;
    const b = bouncer;
    const direct = (domain: 'primary' | 'data', params?: UrlParams) => c.urlFor(databases[domain], params);
    const pooled = (domain: 'primary' | 'data', params?: UrlParams) =>
      b.urlFor(databases[domain], { sslmode: 'disable', sslrootcert: null, ...params });
    const gatewayEnv = (extra: Record<string, string> = {}) => ({
      SPLIT_DB_MODE: 'true',
      PRIMARY_DATABASE_URL: pooled('primary'),
      PRIMARY_DIRECT_DATABASE_URL: direct('primary'),
      DATA_DATABASE_URL: direct('data'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...extra,
    });
    return {
      certs,
      cluster: c,
      bouncer: b,
      databases,
      direct,
      pooled,
      gatewayEnv,
      async startGateway(extra = {}) {
        const gateway = await startGateway({ env: gatewayEnv(extra) });
        gateways.push(gateway);
        return gateway;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `npm run db:migrate` for both domains, on the direct URLs. */
export async function migrate(t: Topology, env: Record<string, string> = {}): Promise<void> {
  const run = await runCli('migrate', [], {
    SPLIT_DB_MODE: 'true',
    PRIMARY_DATABASE_URL: t.direct('primary'),
    DATA_DATABASE_URL: t.direct('data'),
    ...env,
  });
  if (run.code !== 0) throw new Error(`migrate failed (${run.code}): ${run.stderr}${run.stdout}`);
}
