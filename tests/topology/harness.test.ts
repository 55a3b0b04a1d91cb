import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Client, type ClientConfig } from 'pg';
import { generateCertificates, type Certificates } from './support/certs';
import { runCli, startGateway } from './support/gateway-process';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer';
import { startTlsCluster, type TlsCluster } from './support/postgres-cluster';
import { makeServerTempDir } from './support/server-user';

/** Connects, runs fn, and always closes the client. */
async function withClient<T>(config: ClientConfig, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const SSL_OF_BACKEND = 'select ssl from pg_stat_ssl where pid = pg_backend_pid()';

describe('the topology harness', () => {
  let certDir: string | undefined;
  let certs: Certificates;
  let cluster: TlsCluster | undefined;
  let bouncer: PgBouncer | undefined;
  let ca: string;
  const direct = (over: Partial<ClientConfig> = {}): ClientConfig => ({
    host: '127.0.0.1',
    port: cluster!.port,
    user: cluster!.user,
    password: cluster!.password,
    database: 'postgres',
    ssl: { ca },
    ...over,
  });

  beforeAll(async () => {
    certDir = makeServerTempDir('topology-certs-');
    certs = await generateCertificates(certDir);
    ca = readFileSync(certs.caCert, 'utf8');
    cluster = await startTlsCluster({ certs, maxConnections: 40, superuserReservedConnections: 3 });
    await cluster.createDatabase('harness');
    bouncer = await startPgBouncer({ cluster, certs, defaultPoolSize: 2 });
  });

  // Runs even when beforeAll or a test failed; every stop() is idempotent.
  afterAll(async () => {
    await Promise.allSettled([bouncer?.stop(), cluster?.stop()]);
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('connects with verified TLS (CA + hostname), by config and by URL', async () => {
    expect(await withClient(direct(), async (c) => (await c.query(SSL_OF_BACKEND)).rows)).toEqual([
      { ssl: true },
    ]);
    const url = cluster!.urlFor('harness'); // sslmode=verify-full&sslrootcert=<ca>
    const viaUrl = await withClient(
      { connectionString: url },
      async (c) => (await c.query(SSL_OF_BACKEND)).rows,
    );
    expect(viaUrl).toEqual([{ ssl: true }]);
    expect(await cluster!.query('select current_user as u')).toEqual([{ u: 'postgres' }]);
  });

  it('refuses a plain TCP connection, and a client that trusts another CA refuses the server', async () => {
    const plain = withClient(direct({ ssl: false }), async () => undefined);
    await expect(plain).rejects.toMatchObject({
      code: '28000',
      message: expect.stringMatching(/no encryption/),
    });
    const wrongCa = withClient(
      direct({ ssl: { ca: readFileSync(certs.otherCaCert, 'utf8') } }),
      async () => 0,
    );
    await expect(wrongCa).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  });

  it('queries and runs transactions through PgBouncer, which reaches the server over TLS', async () => {
    const url = bouncer!.urlFor('harness'); // client side: sslmode=disable (the default)
    await withClient({ connectionString: url }, async (c) => {
      expect((await c.query(SSL_OF_BACKEND)).rows).toEqual([{ ssl: true }]); // the server-side hop
      await c.query('create table t (n int)');
      await c.query('begin');
      await c.query('insert into t values (1), (2)');
      expect((await c.query('select count(*)::int as n from t')).rows).toEqual([{ n: 2 }]);
      await c.query('commit');
      await c.query('begin');
      await c.query('insert into t values (3)');
      await c.query('rollback');
      expect((await c.query('select sum(n)::int as s from t')).rows).toEqual([{ s: 3 }]);
    });
  });

  it('queues more clients than default_pool_size onto that many server connections', async () => {
    const pids = await Promise.all(
      Array.from({ length: 6 }, () =>
        withClient({ connectionString: bouncer!.urlFor('harness') }, async (c) => {
          const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid, pg_sleep(0.2)');
          return rows[0].pid;
        }),
      ),
    );
    expect(new Set(pids).size).toBeLessThanOrEqual(2);
  });

  // Through the pooler on purpose: this proves runCli/startGateway, not the app's own TLS settings.
  it('migrates and starts the gateway process through PgBouncer', async () => {
    await cluster!.createDatabase('gateway');
    const env = { DATABASE_URL: bouncer!.urlFor('gateway'), SPLIT_DB_MODE: 'false' };
    const migrate = await runCli('migrate', [], env);
    expect({ code: migrate.code, stderr: migrate.stderr }).toEqual({ code: 0, stderr: '' });
    const gateway = await startGateway({ env });
    try {
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      await gateway.waitForLog((_line, json) => json?.msg === 'gateway ready');
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('leaves no temp dir behind after stop()', async () => {
    const dirs = [certDir!, cluster!.dir, bouncer!.dir];
    expect(dirs.every((d) => existsSync(d))).toBe(true);
    await bouncer!.stop();
    await cluster!.stop();
    rmSync(certDir!, { recursive: true, force: true });
    expect(dirs.filter((d) => existsSync(d))).toEqual([]);
  });
});
