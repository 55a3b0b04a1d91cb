import { randomBytes } from 'node:crypto';
import type { PoolConfig } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { parseConnectionSettings } from '../../../src/platform/db/connection-settings';
import { isResolved, toPgConfig, type ResolvedConnectionSettings } from '../../../src/platform/db/pg-config';
import {
  poolOptions,
  toOrmConnectionOptions,
  watchPoolFailures,
} from '../../../src/platform/db/pool-waiting';

/**
 * A role with CONNECTION LIMIT 2 makes the server refuse a third connection with SQLSTATE 53300, as a
 * full server does. Names are unique: other suites share this server.
 */
const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = `${process.env.TEST_RUN_ID ?? 'local'}_${randomBytes(3).toString('hex')}`;
const roles = { two: `pool_wait_two_${suffix}`, none: `pool_wait_none_${suffix}` };
function adminSettings(): ResolvedConnectionSettings {
  const url = `${base}${base.includes('?') ? '&' : '?'}sslmode=disable`;
  const settings = parseConnectionSettings(url, {}, { settingName: 'TEST_DATABASE_URL' });
  if (!isResolved(settings)) throw new Error('sslmode=disable is settled');
  return settings;
}
// A password too: the embedded test server (no TEST_DATABASE_URL) authenticates every login by password.
const ROLE_PASSWORD = randomBytes(12).toString('hex');
const asRole = (user: string): ResolvedConnectionSettings => ({
  ...adminSettings(),
  user,
  password: ROLE_PASSWORD,
});

const admin = new Client(toPgConfig(adminSettings()));
beforeAll(async () => {
  await admin.connect();
  await admin.query(`create role ${roles.two} login connection limit 2 password '${ROLE_PASSWORD}'`);
  await admin.query(`create role ${roles.none} login connection limit 0 password '${ROLE_PASSWORD}'`);
});
afterAll(async () => {
  for (const role of Object.values(roles)) {
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where usename = $1', [role]);
    await admin.query(`drop role if exists ${role}`);
  }
  await admin.end();
});

async function withOrm<T>(
  role: string,
  pool: PoolConfig,
  use: (orm: MikroORM, failures: Error[]) => Promise<T>,
) {
  const orm = await MikroORM.init({
    ...toOrmConnectionOptions(asRole(role)),
    pool,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    connect: false,
  });
  const failures: Error[] = [];
  const stop = watchPoolFailures(orm, (err) => failures.push(err));
  try {
    return await use(orm, failures);
  } finally {
    stop();
    await orm.close(true);
  }
}
const sixQueries = (orm: MikroORM) =>
  Promise.allSettled(
    Array.from({ length: 6 }, () =>
      orm.em.fork().execute<{ pid: number }[]>('select pg_backend_pid() as pid from pg_sleep(0.2)'),
    ),
  );
const codeOf = (err: unknown) => (err as { code?: string }).code;

it('6 concurrent queries on a pool of 5 all succeed on the 2 connections the server allows', async () => {
  await withOrm(roles.two, poolOptions({ max: 5, acquireTimeoutMillis: 20_000 }), async (orm, failures) => {
    const results = await sixQueries(orm);
    const pids = results.map((r) => (r.status === 'fulfilled' ? r.value[0].pid : r.reason));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
    expect(new Set(pids).size).toBeLessThanOrEqual(2);
    // The refusals happened, and the watcher saw each with its SQLSTATE.
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map(codeOf))).toEqual(new Set(['53300']));
  });
});

it("knex's default pool fails some of the same queries at once (why poolOptions exists)", async () => {
  await withOrm(roles.two, { min: 0, max: 5 }, async (orm) => {
    const results = await sixQueries(orm);
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.map(codeOf)).toEqual(rejected.map(() => '53300'));
  });
});

it('at acquireTimeoutMillis the query fails with knex timeout, and the watcher has the server reason', async () => {
  await withOrm(roles.none, poolOptions({ max: 2, acquireTimeoutMillis: 1000 }), async (orm, failures) => {
    const started = Date.now();
    const err = await orm.em
      .fork()
      .execute('select 1')
      .then(
        () => new Error('expected a timeout'),
        (e: Error) => e,
      );
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // MikroORM wraps knex's KnexTimeoutError; the refusal behind it is not in the error at all.
    expect(err).toMatchObject({
      name: 'DriverException',
      message: expect.stringMatching(/^Knex: Timeout acquiring a connection/),
    });
    expect(codeOf(err)).toBeUndefined();
    // Retried every 200 ms while the query waited: each refusal reached the watcher.
    expect(failures.length).toBeGreaterThanOrEqual(3);
    expect(failures[0]).toMatchObject({
      code: '53300',
      message: `too many connections for role "${roles.none}"`,
    });
  });
});
