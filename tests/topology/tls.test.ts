import { runCli } from './support/gateway-process';
import { gql, health, importCsv, login } from './support/client';
import { migrate, startTopology, type Topology } from './support/topology';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,United Parcel Service,GROUND,Ground
UPS,United Parcel Service,2DAY,2nd Day Air
`;
const MATRIX = `carrier_code,service_code,origin_zip3,destination_zip3,transit_days
UPS,GROUND,100,941,5
UPS,2DAY,100,941,2
`;
const OPTIONS = `{ deliveryOptions(originPostalCode: "10001", destinationPostalCode: "94105", maxTransitDays: 5) { transitDays service { code } } }`;

/** TLS on every connection: how each sslmode of the URL reaches the TLS-only server, read by pg_stat_ssl. */
async function sslOf(t: Topology, applicationName: string): Promise<boolean[]> {
  const rows = await t.cluster.query<{ ssl: boolean }>(
    `select s.ssl from pg_stat_ssl s join pg_stat_activity a using (pid) where a.application_name = $1`,
    [applicationName],
  );
  return rows.map((r) => r.ssl);
}

describe('TLS to a server that allows only hostssl, with PgBouncer in transaction mode', () => {
  let t: Topology;
  beforeAll(async () => {
    t = await startTopology();
    await migrate(t);
  });
  afterAll(() => t?.stop());

  it('migrates over verify-full, then signs in, edits organizations and imports a matrix (primary through PgBouncer)', async () => {
    const gw = await t.startGateway();
    const token = await login(gw);
    const created = await gql<{ createOrganization: { id: string; version: number } }>(
      gw,
      'mutation { createOrganization(input: { name: "Acme Fulfilment" }) { id version } }',
      {},
      token,
    );
    const id = created.data!.createOrganization.id;
    const renamed = await gql(
      gw,
      'mutation($id: ID!) { updateOrganization(input: { id: $id, name: "Acme", expectedVersion: 1 }) { name } }',
      { id },
      token,
    );
    expect(renamed.data).toEqual({ updateOrganization: { name: 'Acme' } });
    const deleted = await gql(
      gw,
      'mutation($id: ID!) { deleteOrganization(input: { id: $id }) { deletedId } }',
      { id },
      token,
    );
    expect(deleted.data).toEqual({ deleteOrganization: { deletedId: id } });
    expect(await importCsv(gw, token, 'importCarriers', CARRIERS)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await importCsv(gw, token, 'importDeliveryMatrix', MATRIX)).toMatchObject({
      status: 'SUCCEEDED',
      rowsImported: 2,
    });
    expect((await gql(gw, OPTIONS, {}, token)).data).toEqual({
      deliveryOptions: [
        { transitDays: 2, service: { code: '2DAY' } },
        { transitDays: 5, service: { code: 'GROUND' } },
      ],
    });
    // Every connection the gateway holds to the server itself is encrypted.
    expect(await sslOf(t, 'gateway-data')).toEqual(expect.arrayContaining([true]));
    expect(await sslOf(t, 'gateway-data')).not.toContain(false);
    expect(await sslOf(t, 'gateway-revocations')).toEqual([true]);
    expect((await health(gw)).body).toMatchObject({ status: 'ok', revocation: { status: 'ok' } });
  });

  it('sslmode=require without a CA encrypts without verifying, as psql does', async () => {
    const gw = await t.startGateway({
      DATA_DATABASE_URL: t.direct('data', { sslmode: 'require', sslrootcert: null }),
      PRIMARY_DIRECT_DATABASE_URL: t.direct('primary', { sslmode: 'require', sslrootcert: null }),
    });
    const token = await login(gw);
    expect((await gql(gw, '{ carriers { code } }', {}, token)).data).toEqual({ carriers: [{ code: 'UPS' }] });
    expect(await sslOf(t, 'gateway-data')).toContain(true);
    await gw.stop();
  });

  it('a plain connection is refused and answered as DATABASE_UNAVAILABLE naming the database, never the server text', async () => {
    const gw = await t.startGateway({
      DATA_DATABASE_URL: t.direct('data', { sslmode: 'disable', sslrootcert: null }),
    });
    const token = await login(gw);
    const res = await gql(gw, '{ carriers { code } me { email } }', {}, token);
    expect(res.data).toEqual({ carriers: null, me: { email: 'ops@example.com' } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0].extensions).toEqual({ code: 'DATABASE_UNAVAILABLE', database: 'data' });
    expect(res.errors![0].message).toBe('The data database is unavailable; try again shortly.');
    expect(JSON.stringify(res)).not.toMatch(/pg_hba|no encryption/);
    const h = await health(gw);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({
      status: 'degraded',
      databases: { data: { ok: false }, primary: { ok: true } },
    });
    // The server's reason is in the log, once per interval however many requests fail.
    for (let i = 0; i < 5; i += 1) await gql(gw, '{ carriers { code } }', {}, token);
    const reasons = gw
      .logs()
      .filter((l) => l.includes('database unavailable') && l.includes('no encryption'));
    expect(reasons).toHaveLength(1);
    await gw.stop();
  });

  it('refuses URL parameters it would otherwise ignore, naming the setting to use instead', async () => {
    const run = await runCli('migrate', [], {
      SPLIT_DB_MODE: 'true',
      PRIMARY_DATABASE_URL: `${t.direct('primary')}&pgbouncer=true&connection_limit=15`,
      DATA_DATABASE_URL: t.direct('data'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PRIMARY_DATABASE_URL: .*connection_limit.*PRIMARY_DB_POOL_MAX/);
    expect(run.stderr).toMatch(/PRIMARY_DATABASE_URL: .*pgbouncer.*PRIMARY_DIRECT_DATABASE_URL/);
  });

  it('db:split and db:merge run over verify-full', async () => {
    for (const db of ['gw_single', 'gw_split_primary', 'gw_split_data']) await t.cluster.createDatabase(db);
    const single = t.cluster.urlFor('gw_single');
    const migrated = await runCli('migrate', [], { DATABASE_URL: single });
    expect(migrated.code).toBe(0);
    await t.cluster.query(
      `insert into core.organization (id, name, slug, created_at, updated_at, version)
       select gen_random_uuid(), 'Org ' || i, 'org-' || i, now(), now(), 1 from generate_series(1, 50) i`,
      [],
      'gw_single',
    );
    const split = await runCli('db-split', [
      '--from',
      single,
      '--primary',
      t.cluster.urlFor('gw_split_primary'),
      '--data',
      t.cluster.urlFor('gw_split_data'),
    ]);
    expect({ code: split.code, err: split.stderr }).toEqual({ code: 0, err: expect.any(String) });
    const copied = await t.cluster.query<{ n: string }>(
      'select count(*) as n from core.organization',
      [],
      'gw_split_primary',
    );
    expect(copied).toEqual([{ n: '50' }]);
    await t.cluster.createDatabase('gw_merged');
    const merge = await runCli('db-merge', [
      '--primary',
      t.cluster.urlFor('gw_split_primary'),
      '--data',
      t.cluster.urlFor('gw_split_data'),
      '--to',
      t.cluster.urlFor('gw_merged'),
    ]);
    expect({ code: merge.code, err: merge.stderr }).toEqual({ code: 0, err: expect.any(String) });
    const merged = await t.cluster.query<{ n: string }>(
      'select count(*) as n from core.organization',
      [],
      'gw_merged',
    );
    expect(merged).toEqual([{ n: '50' }]);
  });
});
