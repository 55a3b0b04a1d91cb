import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, type QueryResultRow } from 'pg';
import type { Certificates } from './certs';
import { buildPgUrl, type UrlParams } from './pg-url';
import { freePort } from './ports';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries';
import { giveToServerUser, makeServerTempDir, runAsServerUser } from './server-user';

export interface ClusterOptions {
  certs: Certificates;
  maxConnections?: number;
  superuserReservedConnections?: number;
  /** PostgreSQL 16+ only (slots for pg_use_reserved_connections members); an error on older servers. */
  reservedConnections?: number;
  /** Name of the password user created with LOGIN CREATEDB (default `gateway`). */
  user?: string;
  binaries?: PostgresBinaries;
}

export interface TlsCluster {
  host: '127.0.0.1';
  port: number;
  dir: string;
  binaries: PostgresBinaries;
  user: string;
  password: string;
  superuserUrl: string;
  caFile: string;
  urlFor(db: string, params?: UrlParams): string;
  /** CREATE DATABASE owned by the password user. */
  createDatabase(name: string): Promise<void>;
  /** One statement as the superuser, over verified TLS, on its own short-lived connection. */
  query<R extends QueryResultRow = QueryResultRow>(
    sql: string,
    params?: unknown[],
    database?: string,
  ): Promise<R[]>;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

function writeConfig(data: string, o: ClusterOptions, port: number, socketDir: string): void {
  // Only hostssl lines for TCP: a plain connection is refused with 28000 "no pg_hba.conf entry ...
  // no encryption", as on a TLS-only managed server. The socket sits in a 0700 dir only its owner
  // (and root) can enter, which is why trust is acceptable there (admin/debugging via psql -h).
  const hba = ['local all all trust', 'hostssl all all 127.0.0.1/32 scram-sha-256', ''];
  writeFileSync(path.join(data, 'pg_hba.conf'), hba.join('\n'));
  const settings: Record<string, string | number | undefined> = {
    listen_addresses: "'127.0.0.1'",
    port,
    unix_socket_directories: `'${socketDir}'`,
    max_connections: o.maxConnections ?? 100,
    superuser_reserved_connections: o.superuserReservedConnections ?? 3,
    reserved_connections: o.reservedConnections,
    ssl: 'on',
    ssl_cert_file: `'${o.certs.serverCert}'`,
    ssl_key_file: `'${o.certs.serverKey}'`,
    password_encryption: "'scram-sha-256'",
    // Throw-away clusters: durability buys nothing here, and fsync makes CI slow.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
  };
  const lines = Object.entries(settings).flatMap(([k, v]) => (v === undefined ? [] : [`${k} = ${v}`]));
  // Later lines win in postgresql.conf, so appending overrides initdb's defaults.
  appendFileSync(path.join(data, 'postgresql.conf'), `\n# topology harness\n${lines.join('\n')}\n`);
}

/**
 * A brand-new PostgreSQL cluster in its own temp dir: TLS-only on 127.0.0.1, on a free port.
 * stop() shuts it down and deletes the dir; call it from afterAll, which runs even when a test failed.
 */
export async function startTlsCluster(options: ClusterOptions): Promise<TlsCluster> {
  const bin = options.binaries ?? postgresBinaries();
  if (options.reservedConnections !== undefined && bin.major < 16) {
    throw new Error(`reserved_connections needs PostgreSQL 16+, these binaries are ${bin.version}`);
  }
  const dir = makeServerTempDir('topology-pg-');
  const [data, socketDir, log] = ['data', 'socket', 'postgres.log'].map((f) => path.join(dir, f));
  const [superPassword, password] = [randomBytes(12), randomBytes(12)].map((b) => b.toString('hex'));
  const user = options.user ?? 'gateway';
  const port = await freePort();
  const pgCtl = path.join(bin.binDir, 'pg_ctl');
  const readLog = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  const cleanup = async () => {
    if (existsSync(path.join(data, 'postmaster.pid'))) {
      await runAsServerUser(pgCtl, ['-D', data, 'stop', '-m', 'fast', '-w'], dir).catch(() =>
        runAsServerUser(pgCtl, ['-D', data, 'stop', '-m', 'immediate', '-w'], dir),
      );
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const ca = readFileSync(options.certs.caCert, 'utf8');
  const query = async <R extends QueryResultRow>(sql: string, params?: unknown[], database = 'postgres') => {
    const client = new Client({
      host: '127.0.0.1',
      port,
      user: SUPERUSER,
      password: superPassword,
      database,
      ssl: { ca },
    });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };

  try {
    const pwfile = path.join(dir, 'pwfile');
    writeFileSync(pwfile, superPassword, { mode: 0o600 });
    mkdirSync(socketDir, { mode: 0o700 });
    giveToServerUser(pwfile, socketDir);
    const initdb = path.join(bin.binDir, 'initdb');
    const initArgs = ['-D', data, '-U', SUPERUSER, `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C'];
    await runAsServerUser(initdb, [...initArgs, '-A', 'scram-sha-256'], dir);
    rmSync(pwfile);
    writeConfig(data, options, port, socketDir);
    await runAsServerUser(pgCtl, ['-D', data, '-l', log, '-w', '-t', '60', 'start'], dir).catch(
      (err: Error) => {
        throw new Error(`${err.message}\n--- postgres.log ---\n${readLog().slice(-2000)}`);
      },
    );
    await query(`create role "${user}" login createdb password '${password}'`);
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }

  let stopped: Promise<void> | undefined;
  const caFile = options.certs.caCert;
  return {
    host: '127.0.0.1',
    port,
    dir,
    binaries: bin,
    user,
    password,
    caFile,
    superuserUrl: buildPgUrl(
      { user: SUPERUSER, password: superPassword, port, db: 'postgres' },
      { sslmode: 'verify-full', sslrootcert: caFile },
    ),
    urlFor: (db, p = {}) =>
      buildPgUrl(
        { user, password, port, db },
        {
          sslmode: p.sslmode ?? 'verify-full',
          sslrootcert: p.sslrootcert === undefined ? caFile : p.sslrootcert,
        },
      ),
    createDatabase: async (name) => void (await query(`create database "${name}" owner "${user}"`)),
    query,
    logTail: (lines = 40) => readLog().split('\n').slice(-lines).join('\n'),
    stop: () => (stopped ??= cleanup()),
  };
}
