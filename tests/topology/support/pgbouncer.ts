import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Certificates } from './certs';
import { freePort, waitForPort } from './ports';
import { buildPgUrl, type UrlParams } from './pg-url';
import type { TlsCluster } from './postgres-cluster';
import { giveToServerUser, makeServerTempDir, serverUser } from './server-user';

export interface PgBouncerOptions {
  cluster: Pick<TlsCluster, 'port' | 'user' | 'password' | 'caFile'>;
  /** Used for client TLS (the server cert/key), when clientTls is 'require'. */
  certs: Certificates;
  /** Server connections per user+database pair; keep it below the number of clients to see queuing. */
  defaultPoolSize?: number;
  maxClientConn?: number;
  /** 'require' behaves like a managed provider's pooler: clients must use TLS. Default 'disable'. */
  clientTls?: 'disable' | 'require';
  poolMode?: 'transaction' | 'session' | 'statement';
  /** Extra [pgbouncer] settings, written last. */
  settings?: Record<string, string | number>;
}

export interface PgBouncer {
  port: number;
  dir: string;
  /** A URL for the cluster's password user through the pooler; sslmode follows clientTls by default. */
  urlFor(db: string, params?: UrlParams): string;
  logs(): string[];
  stop(): Promise<void>;
}

/** Debian installs pgbouncer in /usr/sbin, which is not on a non-root user's PATH. */
function pgbouncerBinary(): string {
  if (process.env.TOPOLOGY_PGBOUNCER_BIN) return process.env.TOPOLOGY_PGBOUNCER_BIN;
  return ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p)) ?? 'pgbouncer';
}

/** Starts PgBouncer in the foreground as a child process, in front of a TLS-only cluster. */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const { cluster, certs } = options;
  const clientTls = options.clientTls ?? 'disable';
  const dir = makeServerTempDir('topology-pgbouncer-');
  const port = await freePort();
  const ini = path.join(dir, 'pgbouncer.ini');
  const userlist = path.join(dir, 'userlist.txt');
  // A plain-text password: PgBouncer then does SCRAM with the client and, separately, with the server.
  writeFileSync(userlist, `"${cluster.user}" "${cluster.password}"\n`, { mode: 0o600 });
  const settings: Record<string, string | number> = {
    listen_addr: '127.0.0.1',
    listen_port: port,
    unix_socket_dir: '', // no socket in /tmp: nothing left behind, TCP only
    auth_type: 'scram-sha-256',
    auth_file: userlist,
    admin_users: cluster.user, // SHOW POOLS etc. on the `pgbouncer` console database
    pool_mode: options.poolMode ?? 'transaction',
    default_pool_size: options.defaultPoolSize ?? 5,
    max_client_conn: options.maxClientConn ?? 500,
    // The hop to the TLS-only server is verified against the test CA and the name in `host=` below.
    server_tls_sslmode: 'verify-full',
    server_tls_ca_file: cluster.caFile,
    client_tls_sslmode: clientTls,
    ...(clientTls === 'disable'
      ? {}
      : { client_tls_cert_file: certs.serverCert, client_tls_key_file: certs.serverKey }),
    // PgBouncer 1.18 refuses unknown startup parameters (08P01 "unsupported startup parameter").
    // node-postgres sends user, database and application_name (which PgBouncer handles) and, only when
    // configured, options, statement_timeout, lock_timeout, idle_in_transaction_session_timeout.
    // Listed parameters are dropped, not forwarded, so the timeouts stay refused rather than ignored.
    ignore_startup_parameters: 'extra_float_digits,options',
    ...options.settings,
  };
  const lines = [
    '[databases]',
    // Wildcard fallback: every database name goes to the cluster, so tests can create databases freely.
    `* = host=127.0.0.1 port=${cluster.port}`,
    '[pgbouncer]',
    ...Object.entries(settings).map(([k, v]) => `${k} = ${v}`),
    '',
  ];
  writeFileSync(ini, lines.join('\n'));
  giveToServerUser(ini, userlist);

  const user = serverUser();
  // Not via runuser: its supervising parent turns our signal into SIGTERM, waits 2 s and reports 143
  // instead of PgBouncer's own exit. Node's spawn drops to the user itself (setgroups, setgid, setuid).
  const child = spawn(pgbouncerBinary(), [ini], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  const log: string[] = [];
  const collect =
    (pending = { rest: '' }) =>
    (d: Buffer) => {
      const parts = (pending.rest + d.toString()).split('\n'); // a chunk may end mid-line
      pending.rest = parts.pop() ?? '';
      log.push(...parts.filter(Boolean));
    };
  child.stdout.on('data', collect());
  child.stderr.on('data', collect());
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.once('error', (err) => log.push(`spawn error: ${err.message}`));

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM'); // PgBouncer's immediate shutdown (SIGINT would wait for clients)
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    })());

  const failed = exited.then((code) => {
    throw new Error(`pgbouncer exited (${code}) while starting:\n${log.slice(-30).join('\n')}`);
  });
  try {
    await Promise.race([waitForPort(port, 15_000), failed]);
  } catch (err) {
    await stop();
    throw err;
  }
  failed.catch(() => undefined); // later exits are reported through logs(), not as unhandled rejections

  return {
    port,
    dir,
    urlFor: (db, p = {}) => {
      const sslmode = p.sslmode ?? (clientTls === 'disable' ? 'disable' : 'verify-full');
      const sslrootcert =
        p.sslrootcert === undefined && sslmode !== 'disable' ? cluster.caFile : p.sslrootcert;
      return buildPgUrl(
        { user: cluster.user, password: cluster.password, port, db },
        { sslmode, sslrootcert },
      );
    },
    logs: () => [...log],
    stop,
  };
}
