import { parse } from 'csv-parse/sync';
import { signInAs, type TestUser } from '../../support/auth';
import { fingerprint } from '../../support/db-fingerprint';
import { download } from '../../support/exports';
import { importCsv, MATRIX_HEADER } from '../../support/imports';
import { adminQuery } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS_HEADER = 'carrier_code,carrier_name,service_code,service_name';
const CARRIERS = `${CARRIERS_HEADER}
UPS,United Parcel Service,GROUND,UPS Ground
UPS,United Parcel Service,NDA,UPS Next Day Air
FEDEX,"FedEx, the ""purple"" one",GROUND,FedEx Ground
DHL,DHL,EXPRESS,DHL Express
`;
const MATRIX = `${MATRIX_HEADER}
UPS,NDA,100,941,1
UPS,GROUND,100,941,5
FEDEX,GROUND,100,941,5
UPS,GROUND,100,100,1
UPS,GROUND,021,941,6
FEDEX,GROUND,606,100,2
`;

describe('GET /exports: CSV downloads in the import formats', () => {
  let t: TestApp;
  let operator: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    viewer = await signInAs(t, ['viewer']);
    expect((await importCsv(t, 'importCarriers', CARRIERS, operator)).status).toBe('SUCCEEDED');
    expect((await importCsv(t, 'importDeliveryMatrix', MATRIX, operator)).status).toBe('SUCCEEDED');
  });
  afterAll(() => t.close());

  it('streams the whole matrix with the import header, by lane then carrier and service code', async () => {
    const res = await download(t, '/exports/delivery-matrix.csv', operator);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="delivery-matrix.csv"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toBe(
      [
        MATRIX_HEADER,
        'UPS,GROUND,021,941,6',
        'UPS,GROUND,100,100,1',
        'FEDEX,GROUND,100,941,5',
        'UPS,GROUND,100,941,5',
        'UPS,NDA,100,941,1',
        'FEDEX,GROUND,606,100,2',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [
      'carrier=ups',
      'delivery-matrix-UPS.csv',
      ['UPS,GROUND,021,941,6', 'UPS,GROUND,100,100,1', 'UPS,GROUND,100,941,5', 'UPS,NDA,100,941,1'],
    ],
    ['carrier=UPS&service=nda', 'delivery-matrix-UPS-NDA.csv', ['UPS,NDA,100,941,1']],
    ['carrier=DHL', 'delivery-matrix-DHL.csv', []],
  ])(
    '?%s: that scope only, named after it (a scope without lanes is just the header)',
    async (query, name, rows) => {
      const res = await download(t, `/exports/delivery-matrix.csv?${query}`, operator);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
      expect(res.text).toBe([MATRIX_HEADER, ...rows, ''].join('\n'));
    },
  );

  it('streams the carriers file, quoting as CSV needs', async () => {
    const res = await download(t, '/exports/carriers.csv', operator);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="carriers.csv"');
    expect(res.text).toBe(
      [
        CARRIERS_HEADER,
        'DHL,DHL,EXPRESS,DHL Express',
        'FEDEX,"FedEx, the ""purple"" one",GROUND,FedEx Ground',
        'UPS,United Parcel Service,GROUND,UPS Ground',
        'UPS,United Parcel Service,NDA,UPS Next Day Air',
        '',
      ].join('\n'),
    );
  });

  it('authenticates like /graphql: the session cookie works as well as the bearer token', async () => {
    const res = await download(t, '/exports/carriers.csv', { cookie: `gw_session=${operator.token}` });
    expect(res.status).toBe(200);
    expect(res.text.split('\n')[0]).toBe(CARRIERS_HEADER);
  });

  it.each([
    ['no session', '/exports/delivery-matrix.csv', {}, 401, 'UNAUTHENTICATED'],
    ['a token nobody gave out', '/exports/carriers.csv', { token: 'not-a-token' }, 401, 'UNAUTHENTICATED'],
    ['a viewer (no exports:read)', '/exports/delivery-matrix.csv', 'viewer', 403, 'FORBIDDEN'],
    ['a viewer, carriers file', '/exports/carriers.csv', 'viewer', 403, 'FORBIDDEN'],
    ['an unknown carrier', '/exports/delivery-matrix.csv?carrier=ACME', 'operator', 404, 'NOT_FOUND'],
    [
      'an unknown service',
      '/exports/delivery-matrix.csv?carrier=UPS&service=AIR',
      'operator',
      404,
      'NOT_FOUND',
    ],
    [
      'a service without its carrier',
      '/exports/delivery-matrix.csv?service=GROUND',
      'operator',
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a malformed code',
      '/exports/delivery-matrix.csv?carrier=U%20P%20S!',
      'operator',
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a parameter it does not take',
      '/exports/delivery-matrix.csv?origin=100',
      'operator',
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a repeated parameter',
      '/exports/delivery-matrix.csv?carrier=UPS&carrier=FEDEX',
      'operator',
      400,
      'BAD_USER_INPUT',
    ],
    [
      'a parameter on the carriers file',
      '/exports/carriers.csv?carrier=UPS',
      'operator',
      400,
      'BAD_USER_INPUT',
    ],
  ] as const)('refuses %s with JSON and a code', async (_what, path, who, status, code) => {
    const auth = who === 'viewer' ? viewer : who === 'operator' ? operator : who;
    const res = await download(t, path, auth);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBeNull();
    expect(res.error?.extensions.code).toBe(code);
    if (code === 'FORBIDDEN') expect(res.error?.extensions.permission).toBe('exports:read');
    if (code === 'UNAUTHENTICATED') expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    if (code === 'BAD_USER_INPUT') expect(res.error?.extensions.field).toEqual(expect.any(String));
  });

  it('answers HEAD with the checks and the headers, and no body', async () => {
    const head = await download(t, '/exports/carriers.csv', { ...operator, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-disposition')).toBe('attachment; filename="carriers.csv"');
    expect(head.text).toBe('');
    const refused = await download(t, '/exports/delivery-matrix.csv?carrier=ACME', {
      ...operator,
      method: 'HEAD',
    });
    expect(refused.status).toBe(404);
    expect(refused.text).toBe('');
  });

  it('gives the links in GraphQL, relative, each downloading what it names', async () => {
    const res = await t.gql<{
      carriersExportUrl: string;
      deliveryMatrixExportUrl: string;
      carrier: {
        deliveryMatrixExportUrl: string;
        services: Array<{ code: string; deliveryMatrixExportUrl: string }>;
      };
    }>(
      `{ carriersExportUrl deliveryMatrixExportUrl
         carrier(code: "ups") { deliveryMatrixExportUrl services { code deliveryMatrixExportUrl } } }`,
      {},
      operator,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      carriersExportUrl: '/exports/carriers.csv',
      deliveryMatrixExportUrl: '/exports/delivery-matrix.csv',
      carrier: {
        deliveryMatrixExportUrl: '/exports/delivery-matrix.csv?carrier=UPS',
        services: [
          {
            code: 'GROUND',
            deliveryMatrixExportUrl: '/exports/delivery-matrix.csv?carrier=UPS&service=GROUND',
          },
          { code: 'NDA', deliveryMatrixExportUrl: '/exports/delivery-matrix.csv?carrier=UPS&service=NDA' },
        ],
      },
    });
    const service = await download(t, res.data!.carrier.services[1]!.deliveryMatrixExportUrl, operator);
    expect(service.text).toBe(`${MATRIX_HEADER}\nUPS,NDA,100,941,1\n`);
  });

  it('keeps the links from a viewer, with the permission named, as the downloads do', async () => {
    const res = await t.gql('{ carriersExportUrl carriers { code deliveryMatrixExportUrl } }', {}, viewer);
    expect(res.data).toEqual({ carriersExportUrl: null, carriers: null });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.permission])).toEqual([
      ['FORBIDDEN', 'exports:read'],
      ['FORBIDDEN', 'exports:read'],
    ]);
  });

  it("downloads an import's rejected rows as row_number, column, message, for imports:read", async () => {
    const bad = `${MATRIX_HEADER}\nACME,GROUND,100,941,5\nUPS,GROUND,1000,941,99\n`;
    const failed = await importCsv(t, 'importDeliveryMatrix', bad, operator);
    expect(failed.status).toBe('FAILED');
    const link = await t.gql<{ import: { errorsExportUrl: string } }>(
      'query($id: ID!) { import(id: $id) { errorsExportUrl } }',
      { id: failed.id },
      viewer,
    );
    const url = link.data!.import.errorsExportUrl;
    expect(url).toBe(`/exports/imports/${failed.id}/errors.csv`);
    // A viewer reads imports, so it reads their errors: no exports:read needed for this one.
    const res = await download(t, url, viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="import-[0-9a-f-]{36}-errors\.csv"$/,
    );
    expect(res.text.split('\n')[0]).toBe('row_number,column,message');
    const rows = parse(res.text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toEqual(
      failed.errors.map((e) => ({ row_number: String(e.rowNumber), column: e.column, message: e.message })),
    );
    expect(rows.map((r) => r.column)).toEqual(['carrier_code', 'origin_zip3', 'transit_days']);
  });

  it('answers the errors file of an unknown import 404, of an id of another type 400, anonymous 401', async () => {
    const unknown = await download(
      t,
      '/exports/imports/00000000-0000-4000-8000-000000000000/errors.csv',
      operator,
    );
    expect([unknown.status, unknown.error?.extensions.code]).toEqual([404, 'NOT_FOUND']);
    const other = await download(t, `/exports/imports/${operator.globalId}/errors.csv`, operator);
    expect([other.status, other.error?.extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
    const anonymous = await download(t, '/exports/imports/x/errors.csv');
    expect([anonymous.status, anonymous.error?.extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('answers 503 DATABASE_UNAVAILABLE naming the database that is down, the primary one failing closed', async () => {
    const setAllowed = (db: string, allowed: boolean) =>
      adminQuery(`alter database "${db}" allow_connections ${allowed}`);
    const takeDown = async (db: string) => {
      await setAllowed(db, false);
      await adminQuery(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [db],
      );
    };
    const [primaryDb, dataDb] = t.dbs.names as [string, string];
    const uncached = await signInAs(t, ['operator']); // its session is checked on first use
    await takeDown(primaryDb);
    try {
      const res = await download(t, '/exports/carriers.csv', uncached);
      expect([res.status, res.error?.extensions]).toEqual([
        503,
        { code: 'DATABASE_UNAVAILABLE', database: 'primary' },
      ]);
    } finally {
      await setAllowed(primaryDb, true);
    }
    await takeDown(dataDb);
    try {
      for (const path of ['/exports/carriers.csv', '/exports/delivery-matrix.csv?carrier=UPS']) {
        const res = await download(t, path, operator);
        expect([res.status, res.error?.extensions]).toEqual([
          503,
          { code: 'DATABASE_UNAVAILABLE', database: 'data' },
        ]);
        expect(res.error?.message).not.toMatch(/allow_connections|postgres:\/\//);
      }
    } finally {
      await setAllowed(dataDb, true);
    }
    expect((await download(t, '/exports/carriers.csv', operator)).status).toBe(200);
  });

  it('writes nothing: a download leaves both databases as they were', async () => {
    const before = await fingerprint(t.dbs.names);
    for (const path of [
      '/exports/delivery-matrix.csv',
      '/exports/carriers.csv',
      '/exports/delivery-matrix.csv?carrier=UPS',
    ]) {
      expect((await download(t, path, operator)).status).toBe(200);
    }
    expect(await fingerprint(t.dbs.names)).toEqual(before);
  });
});
