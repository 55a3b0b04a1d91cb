import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import {
  ConnectionSettingsError,
  parseConnectionSettings,
  redactUrl,
} from '../../../src/platform/db/connection-settings';
import {
  describeTls,
  isResolved,
  probeWith,
  resolveSslPreference,
  toPgConfig,
  verifiesServer,
} from '../../../src/platform/db/pg-config';
import type { ResolvedConnectionSettings } from '../../../src/platform/db/pg-config';
import { toOrmConnectionOptions } from '../../../src/platform/db/pool-waiting';

const parse = (url: string, env: NodeJS.ProcessEnv = {}, hints?: Record<string, string>) =>
  parseConnectionSettings(url, env, { settingName: 'PRIMARY_DATABASE_URL', hints });
function settled(url: string): ResolvedConnectionSettings {
  const s = parse(url);
  if (!isResolved(s)) throw new Error(`${url} needs resolveSslPreference`);
  return s;
}
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConnectionSettingsError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConnectionSettingsError');
}

// A CA, a server certificate for "localhost" signed by it, and an unrelated CA, made fresh for the run.
const dir = mkdtempSync(path.join(os.tmpdir(), 'conn-settings-'));
const file = (name: string) => path.join(dir, name);
const [ca, other] = [file('ca.crt'), file('other.crt')];
beforeAll(() => {
  const key = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  for (const command of [
    `req -x509 ${key} -keyout ca.key -out ca.crt -days 1 -subj /CN=test-ca`,
    `req -x509 ${key} -keyout other.key -out other.crt -days 1 -subj /CN=other`,
    `req ${key} -keyout server.key -out server.csr -subj /CN=localhost`,
    'x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile ext.cnf -out server.crt',
  ]) {
    writeFileSync(file('ext.cnf'), 'subjectAltName=DNS:localhost\n');
    execFileSync('openssl', command.split(' '), { cwd: dir, stdio: 'pipe' });
  }
  chmodSync(file('server.key'), 0o600);
  chmodSync(file('other.key'), 0o644);
  writeFileSync(file('not-pem.crt'), 'hello');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseConnectionSettings reads a URL as libpq does', () => {
  // prettier-ignore
  const env = { PGHOST: 'envhost', PGPORT: '6000', PGUSER: 'envuser', PGPASSWORD: 'envpw', PGDATABASE: 'envdb',
    PGSSLMODE: 'disable', PGAPPNAME: 'envapp', PGOPTIONS: '-c work_mem=1MB', PGCONNECT_TIMEOUT: '7' };
  const me = os.userInfo().username;

  // prettier-ignore
  it.each([
    ['postgres://urluser@urlhost/urldb', env, { host: 'urlhost', port: 6000, user: 'urluser', password: 'envpw',
      database: 'urldb', sslmode: 'disable', application_name: 'envapp', options: '-c work_mem=1MB', connect_timeout: 7 }],
    ['postgresql://h', {}, { host: 'h', port: 5432, user: me, database: me, sslmode: 'prefer' }],
    // Query parameters beat the authority; ssl=true is libpq's spelling of require.
    ['postgresql://a:pw@h1:1/db1?host=h2&port=2&user=b&dbname=db2&ssl=true', {},
      { host: 'h2', port: 2, user: 'b', password: 'pw', database: 'db2', sslmode: 'require' }],
    // Every component percent-decoded, and nothing else: '+' stays a plus.
    ['postgres://us%40er:p%3Aw%2Fd@[::1]:5433/d%20b?options=-c%20search_path%3Dx&application_name=a+b', {},
      { user: 'us@er', password: 'p:w/d', host: '::1', port: 5433, database: 'd b', options: '-c search_path=x',
        application_name: 'a+b', sslmode: 'prefer' }],
    ['postgres:///db', { PGHOST: 'fromenv', PGUSER: 'u' }, { host: 'fromenv', port: 5432, user: 'u', database: 'db', sslmode: 'prefer' }],
    ['postgres://h/db?sslrootcert=system', {}, { host: 'h', port: 5432, user: me, database: 'db', sslmode: 'verify-full', sslrootcert: 'system' }],
    // With TLS off, libpq opens no certificate file at all.
    [`postgres://h/db?sslmode=disable&sslrootcert=${file('missing.crt')}`, {}, { host: 'h', port: 5432, user: me, database: 'db', sslmode: 'disable' }],
  ])('%s with %j', (url, vars, expected) => expect(parse(url, vars)).toEqual(expected));

  it('refuses parameters it would otherwise drop, naming the caller equivalent or what is accepted', () => {
    const hints = { connection_limit: 'PRIMARY_DB_POOL_MAX', pgbouncer: 'PRIMARY_DIRECT_DATABASE_URL' };
    const url = 'postgres://h/db?connection_limit=5&pgbouncer=true&schema=x&target_session_attrs=any&frob=1';
    expect(problemsOf(() => parse(url, {}, hints))).toEqual([
      'PRIMARY_DATABASE_URL: "connection_limit" is a Prisma URL option, not a PostgreSQL connection setting; use PRIMARY_DB_POOL_MAX instead',
      'PRIMARY_DATABASE_URL: "pgbouncer" is a Prisma URL option, not a PostgreSQL connection setting; use PRIMARY_DIRECT_DATABASE_URL instead',
      expect.stringMatching(/"schema" is a Prisma URL option.*; accepted: host, port, user, .*sslmode/),
      expect.stringMatching(
        /"target_session_attrs" is a libpq setting this gateway does not support; accepted/,
      ),
      expect.stringMatching(/"frob" is not a connection setting; accepted: host, port/),
    ]);
  });

  // prettier-ignore
  it.each([
    ['postgres://a,b:5433/db', {}, /several hosts/],
    ['postgres:///db', {}, /names no host/],
    ['mysql://h/db', {}, /is not a postgresql:\/\/ or postgres:\/\/ URL/],
    ['postgres://u:p%zz@h/db', {}, /^PRIMARY_DATABASE_URL: the password has an invalid percent-encoded token$/],
    ['postgres://h:0x10/db', {}, /invalid port "0x10"/],
    ['postgres://h/db', { PGSSLMODE: 'on' }, /invalid sslmode "on" \(from PGSSLMODE\)/],
    ['postgres://h/db?sslmode=verify-full', {}, /verify-full needs sslrootcert: a CA file, or "system"/],
    ['postgres://h/db?sslmode=require&sslrootcert=system', {}, /sslrootcert=system requires sslmode=verify-full, not require/],
    ['postgres://h/db?sslmode=require', { PGSSLROOTCERT: file('missing.crt') },
      new RegExp(`cannot read sslrootcert file ${file('missing.crt')} \\(from PGSSLROOTCERT\\): ENOENT`)],
    [`postgres://h/db?sslrootcert=${file('not-pem.crt')}`, {}, /not-pem.crt \(from the URL\) is not a PEM file/],
    [`postgres://h/db?sslcert=${file('server.crt')}&sslkey=${file('other.key')}`, {}, /sslkey file .*other.key \(from the URL\) has group or world access/],
    [`postgres://h/db?sslcert=${file('server.crt')}`, {}, /sslcert and sslkey go together/],
  ])('refuses %s with %j', (url, vars, message) =>
    expect(problemsOf(() => parse(url, vars))).toEqual([expect.stringMatching(message)]));

  it('reads certificate files once, at parse time', () => {
    writeFileSync(file('client.crt'), readFileSync(file('server.crt')));
    const s = settled(
      `postgres://h/db?sslmode=require&sslcert=${file('client.crt')}&sslkey=${file('server.key')}`,
    );
    writeFileSync(file('client.crt'), 'rotated');
    expect(toPgConfig(s).ssl).toMatchObject({
      cert: expect.stringContaining('BEGIN'),
      key: expect.stringContaining('BEGIN'),
    });
    expect(describeTls(s)).toBe(`TLS without server verification (client cert ${file('client.crt')})`);
  });

  it('redacts passwords for log lines', () => {
    expect(redactUrl('postgres://u:s3cr%40t@h:5/db?sslmode=require')).toBe(
      'postgres://u:***@h:5/db?sslmode=require',
    );
    expect(redactUrl('postgresql://h/db?user=u&password=s3cret&x=1')).toBe(
      'postgresql://h/db?user=u&password=***&x=1',
    );
    expect(redactUrl('postgres://u@h:5/db')).toBe('postgres://u@h:5/db');
  });
});

describe('toPgConfig gives each sslmode its libpq meaning', () => {
  it('maps the modes to TLS options, and describes them without secrets', () => {
    const disable = settled(
      'postgres://u:pw@h/db?sslmode=disable&application_name=a&options=-c%20x%3D1&connect_timeout=1',
    );
    // prettier-ignore
    expect(toPgConfig(disable, { fallbackApplicationName: 'gw' })).toEqual({ host: 'h', port: 5432, user: 'u', password: 'pw',
      database: 'db', ssl: false, application_name: 'a', fallback_application_name: 'gw', options: '-c x=1',
      connectionTimeoutMillis: 2000 }); // libpq raises 1 second to 2
    const require = settled('postgres://h/db?sslmode=require');
    expect(toPgConfig(require).ssl).toEqual({ rejectUnauthorized: false });
    const requireCa = settled(`postgres://h/db?sslmode=require&sslrootcert=${ca}`);
    expect(toPgConfig(requireCa).ssl).toMatchObject({
      rejectUnauthorized: true,
      ca: expect.stringContaining('BEGIN'),
    });
    const full = settled(`postgres://localhost/db?sslmode=verify-full&sslrootcert=${ca}`);
    expect(toPgConfig(full).ssl).toMatchObject({ servername: 'localhost', rejectUnauthorized: true });
    const byIp = settled(`postgres://10.0.0.1/db?sslmode=verify-full&sslrootcert=${ca}`);
    expect(toPgConfig(byIp).ssl).not.toHaveProperty('servername');
    expect([disable, require, requireCa, full].map((s) => [describeTls(s), verifiesServer(s)])).toEqual([
      ['no TLS', false],
      ['TLS without server verification', false],
      [`TLS verify-ca (CA ${ca}; sslmode=require with a root CA verifies like verify-ca)`, true],
      [`TLS verify-full (CA ${ca})`, true],
    ]);
    expect(describeTls(parse('postgres://h/db'))).toBe(
      'TLS if the server offers it (sslmode=prefer, not probed yet)',
    );
    expect(() => toPgConfig(parse('postgres://h/db') as ResolvedConnectionSettings)).toThrow(
      /must be settled first/,
    );
  });

  it('settles prefer and allow by trying in libpq order', async () => {
    const tried: boolean[] = [];
    const noTls = async (config: { ssl?: unknown }) => {
      tried.push(Boolean(config.ssl));
      if (config.ssl) throw new Error('The server does not support SSL connections');
    };
    expect(await resolveSslPreference(parse('postgres://h/db'), noTls)).toMatchObject({ sslmode: 'disable' });
    expect(await resolveSslPreference(parse('postgres://h/db?sslmode=allow'), noTls)).toMatchObject({
      sslmode: 'disable',
    });
    expect(tried).toEqual([true, false, false]);
    const refused = async () => Promise.reject(new Error('ECONNREFUSED'));
    await expect(resolveSslPreference(parse('postgres://h/db'), refused)).rejects.toThrow(
      'cannot connect to h:5432 (sslmode=prefer): with TLS: ECONNREFUSED; without TLS: ECONNREFUSED',
    );
  });
});

describe('the TLS handshake checks what libpq checks', () => {
  // A stand-in server: TLS with the "localhost" certificate, then a login refusal whose text proves that
  // the client accepted the certificate.
  const refusal = Buffer.from('SFATAL\0C28000\0Mcertificate accepted\0\0');
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write('S');
      const secure = new tls.TLSSocket(socket, {
        isServer: true,
        cert: readFileSync(file('server.crt')),
        key: readFileSync(file('server.key')),
      });
      secure.on('error', () => undefined);
      const head = Buffer.from([0x45, 0, 0, 0, 0]);
      head.writeInt32BE(refusal.length + 4, 1);
      secure.once('data', () => secure.end(Buffer.concat([head, refusal])));
    });
  });
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['127.0.0.1', 'sslmode=require', 'certificate accepted'],
    ['127.0.0.1', `sslmode=require&sslrootcert=${other}`, 'unable to verify the first certificate'],
    ['127.0.0.1', `sslmode=verify-ca&sslrootcert=${ca}`, 'certificate accepted'],
    ['localhost', `sslmode=verify-full&sslrootcert=${ca}`, 'certificate accepted'],
    [
      '127.0.0.1',
      `sslmode=verify-full&sslrootcert=${ca}`,
      "Hostname/IP does not match certificate's altnames",
    ],
    ['localhost', `sslmode=verify-full&sslrootcert=${other}`, 'unable to verify the first certificate'],
  ])('%s %s → %s', async (host, query, outcome) => {
    const { port } = server.address() as net.AddressInfo;
    const client = new Client(toPgConfig(settled(`postgres://u@${host}:${port}/db?${query}`)));
    const result = await client.connect().then(
      () => 'connected',
      (err: Error) => err.message,
    );
    await client.end().catch(() => undefined);
    expect(result).toContain(outcome);
  });
});

describe('against the real server, every connection uses the settings', () => {
  const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = (query: string) => `${base}${base.includes('?') ? '&' : '?'}${query}`;
  const app = `cs-test-${process.pid}`;
  let serverSsl: boolean;
  beforeAll(async () => {
    const client = new Client(toPgConfig(settled(url('sslmode=disable'))));
    await client.connect();
    serverSsl = (await client.query<{ ssl: string }>('show ssl')).rows[0].ssl === 'on';
    await client.end();
  });
  const sessions = async (settings: ResolvedConnectionSettings, count: number) => {
    const options = { ...toOrmConnectionOptions(settings), pool: { min: 0, max: count }, connect: false };
    const orm = await MikroORM.init({ ...options, entities: [], discovery: { warnWhenNoEntities: false } });
    try {
      // The sleep keeps each query on a connection of its own, so `count` connections are opened.
      const sql = `select s.pid, s.ssl, current_setting('application_name') as app,
        current_setting('search_path') as search_path from pg_stat_ssl s, pg_sleep(0.2) where s.pid = pg_backend_pid()`;
      return (await Promise.all(Array.from({ length: count }, () => orm.em.fork().execute(sql)))).map(
        ([row]) => row,
      );
    } finally {
      await orm.close(true);
    }
  };

  it('gives every pooled MikroORM connection the sslmode, application_name and options', async () => {
    const rows = await sessions(
      settled(url(`sslmode=disable&application_name=${app}&options=-c%20search_path%3Dcs_x`)),
      3,
    );
    expect(new Set(rows.map((row) => row.pid)).size).toBe(3);
    expect(rows.map(({ pid: _, ...rest }) => rest)).toEqual(
      Array(3).fill({ ssl: false, app, search_path: 'cs_x' }),
    );
  });

  it('require encrypts when the server offers TLS, and is refused when it does not', async () => {
    const attempt = sessions(settled(url('sslmode=require')), 1);
    if (serverSsl) expect((await attempt)[0]).toMatchObject({ ssl: true });
    else await expect(attempt).rejects.toThrow('The server does not support SSL connections');
  });

  it('prefer and allow are settled once, on what the server does, for every later connection', async () => {
    const prefer = await resolveSslPreference(parse(url('sslmode=prefer')), probeWith(Client));
    expect(prefer.sslmode).toBe(serverSsl ? 'require' : 'disable');
    expect(describeTls(prefer)).toMatch(/\(chosen at start for sslmode=prefer\)$/);
    expect((await sessions(prefer, 2)).map((row) => row.ssl)).toEqual([serverSsl, serverSsl]);
    const allow = await resolveSslPreference(parse(url('sslmode=allow')), probeWith(Client));
    expect(allow.sslmode).toBe('disable');
  });
});
