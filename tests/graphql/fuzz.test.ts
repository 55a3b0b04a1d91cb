import fc from 'fast-check';
import { signInAs, type TestUser } from '../support/auth';
import { importCsv, MATRIX_HEADER, uploadCsv, waitForImport } from '../support/imports';
import { fingerprint } from '../support/db-fingerprint';
import { startTestApp, type TestApp } from '../support/test-app';

/** Valid-looking operations a read-only caller may send; mutations among them must all be refused. */
const OPERATIONS = [
  '{ me { id email permissions } }',
  'query($first: Int, $after: String) { organizations(first: $first, after: $after) { totalCount edges { node { id name } } } }',
  'query($id: ID!) { organization(id: $id) { id name facilities { edges { node { code } } } } }',
  'query($first: Int) { users(first: $first) { edges { node { email roles { name } } } } }',
  'mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
  'mutation($input: DeleteOrganizationInput!) { deleteOrganization(input: $input) { deletedId } }',
  'mutation($input: CreateUserInput!) { createUser(input: $input) { id } }',
  'mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { id } }',
];

const hostileString = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uFFFF',
    '\uD800',
    "' or 1=1 --",
    '"; drop table core.user; --',
    '${jndi:ldap://x}',
    '../../etc/passwd',
  ),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom('first', 'after', 'id', 'input', 'name', 'slug', 'email', '__proto__', 'constructor'),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

type Req = { body: Buffer | string; contentType: string; auth: boolean };

const deepQuery = fc.integer({ min: 5, max: 3000 }).map((n) => `{ ${'me { '.repeat(n)}id${' }'.repeat(n)} }`);
const mangledOperation = fc
  .tuple(fc.constantFrom(...OPERATIONS), fc.nat(), fc.string({ maxLength: 8 }))
  .map(([op, cut, junk]) => op.slice(0, cut % op.length) + junk);
const request: fc.Arbitrary<Req> = fc
  .oneof(
    fc
      .record({ query: fc.constantFrom(...OPERATIONS), variables: hostileValue })
      .map((b) => JSON.stringify(b)),
    fc.record({ query: mangledOperation, variables: hostileValue }).map((b) => JSON.stringify(b)),
    deepQuery.map((query) => JSON.stringify({ query })),
    fc
      .record({
        query: hostileValue,
        variables: hostileValue,
        operationName: hostileValue,
        extensions: hostileValue,
      })
      .map((b) => JSON.stringify(b)),
    fc.string({ maxLength: 300 }),
    fc
      .uint8Array({ maxLength: 300 })
      .map((bytes) =>
        Buffer.concat([Buffer.from('{"query":"{ me { id } }","x":"'), Buffer.from(bytes), Buffer.from('"}')]),
      ),
    fc
      .integer({ min: 1, max: 3 })
      .map((n) => JSON.stringify({ query: `{ me { id } } #${'a'.repeat(n * 700_000)}` })),
  )
  .chain((body) =>
    fc.record({
      body: fc.constant<Buffer | string>(body),
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/graphql',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        '',
      ),
      auth: fc.boolean(),
    }),
  );

describe('fuzzing the HTTP API', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp('split');
    token = (await signInAs(t, ['viewer'])).token;
    await t.gql('{ me { id } }', {}, { token });
  });
  afterAll(() => t.close());

  it('answers 1000 hostile requests with well-formed GraphQL or a 4xx, never crashes, and changes nothing', async () => {
    const before = await fingerprint(t.dbs.names);
    const samples = fc.sample(request, { numRuns: Number(process.env.FUZZ_RUNS ?? 1000), seed: 20261123 });
    const problems: string[] = [];
    for (let i = 0; i < samples.length; i += 10) {
      await Promise.all(
        samples.slice(i, i + 10).map(async (req, j): Promise<void> => {
          const headers: Record<string, string> = { 'apollo-require-preflight': 'true' };
          if (req.contentType) headers['content-type'] = req.contentType;
          if (req.auth) headers.authorization = `Bearer ${token}`;
          const res = await fetch(t.url, { method: 'POST', headers, body: req.body });
          const text = await res.text();
          if (res.status >= 500) {
            problems.push(`#${i + j}: HTTP ${res.status} ${text.slice(0, 200)}`);
            return;
          }
          let body: {
            data?: unknown;
            errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }>;
          };
          try {
            body = JSON.parse(text);
          } catch {
            if (res.status >= 400) return; // a 4xx without JSON is acceptable
            problems.push(`#${i + j}: HTTP ${res.status} non-JSON ${text.slice(0, 100)}`);
            return;
          }
          const wellFormed =
            (body.errors === undefined ||
              (Array.isArray(body.errors) && body.errors.every((e) => typeof e.message === 'string'))) &&
            ('data' in body || body.errors);
          if (!wellFormed) problems.push(`#${i + j}: malformed ${text.slice(0, 200)}`);
          if (body.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'))
            problems.push(`#${i + j}: internal error ${text.slice(0, 300)}`);
        }),
      );
    }
    expect(problems).toEqual([]);
    expect((await fetch(new URL('/health/live', t.url))).status).toBe(200);
    expect((await t.gql<{ me: { id: string } }>('{ me { id } }', {}, { token })).data!.me).not.toBeNull();
    expect(await fingerprint(t.dbs.names)).toEqual(before);
  });
});

describe('fuzzing the import pipeline', () => {
  let t: TestApp;
  let operator: TestUser;
  beforeAll(async () => {
    t = await startTestApp('split', { IMPORT_MAX_FILE_MB: '1' });
    operator = await signInAs(t, ['operator']);
    const admin = await signInAs(t, ['admin']);
    await importCsv(
      t,
      'importCarriers',
      'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\n',
      admin,
    );
    await importCsv(t, 'importDeliveryMatrix', `${MATRIX_HEADER}\nUPS,GROUND,100,941,3\n`, admin);
  });
  afterAll(() => t.close());

  const brokenCsv = fc.oneof(
    fc.string({ maxLength: 400 }).map((body) => `${MATRIX_HEADER}\n${body}`),
    fc
      .uint8Array({ minLength: 1, maxLength: 600 })
      .map((bytes) => `${MATRIX_HEADER}\n${Buffer.from(bytes).toString('latin1')}`),
    fc.nat({ max: 40 }).map((n) => `${MATRIX_HEADER}\nUPS,GROUND,"1${'"'.repeat(n)}00,941,3\n`),
    fc.constantFrom(
      '',
      '\uFEFF',
      'carrier_code;service_code\n',
      `${MATRIX_HEADER}\nUPS,GROUND,100,941`,
      `${MATRIX_HEADER}\n"UPS,GROUND,100,941,3\n`,
    ),
    fc.constant(`${MATRIX_HEADER}\n${'UPS,GROUND,100,941,3\n'.repeat(60_000)}`), // above the 1 MB upload limit
  );

  it('fails every broken file cleanly and leaves the matrix and carriers as they were', async () => {
    const tables = ['data.delivery_matrix_entry', 'data.carrier', 'data.carrier_service'];
    const pick = (fp: Record<string, string>) => Object.fromEntries(tables.map((k) => [k, fp[k]]));
    const before = pick(await fingerprint(t.dbs.names));
    const files = fc.sample(brokenCsv, { numRuns: Number(process.env.FUZZ_CSV_RUNS ?? 60), seed: 42 });
    for (const csv of files) {
      const res = await uploadCsv(t, 'importDeliveryMatrix', csv, operator);
      expect(res.status).toBeLessThan(500);
      const started = res.body.data?.importDeliveryMatrix;
      if (!started) continue; // refused up front with a client error
      const done = await waitForImport(t, started.id, operator);
      expect(done.status).toBe('FAILED');
      expect(done.run.status).toBe('FAILED');
    }
    expect(pick(await fingerprint(t.dbs.names))).toEqual(before);
    expect((await fetch(new URL('/health/live', t.url))).status).toBe(200);
  });
});
