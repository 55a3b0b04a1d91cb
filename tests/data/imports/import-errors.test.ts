import { signInAs, type TestUser } from '../../support/auth';
import { importCsv, MATRIX_HEADER } from '../../support/imports';
import { statementsReading } from '../../support/paging';
import { startTestApp, type TestApp } from '../../support/test-app';

/** A matrix file whose `bad` rows each have one bad column (transit days out of range). */
const withBadRows = (bad: number) =>
  `${MATRIX_HEADER}\n${Array.from({ length: bad }, (_, i) => `UPS,GROUND,${String(i % 1000).padStart(3, '0')},100,99`).join('\n')}\n`;

interface ErrorsPage {
  totalCount: number;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    endCursor: string | null;
    startCursor: string | null;
  };
  edges: Array<{ cursor: string; node: { id: string; ordinal: number; rowNumber: number; column: string } }>;
}

const PAGE = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id ordinal rowNumber column } }`;

describe('Import.errors: a connection of ImportError nodes', () => {
  let t: TestApp;
  let operator: TestUser;
  let viewer: TestUser;
  const failed: string[] = [];
  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    viewer = await signInAs(t, ['viewer']);
    const carriers = await importCsv(
      t,
      'importCarriers',
      'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\n',
      operator,
    );
    expect(carriers.status).toBe('SUCCEEDED');
    for (const bad of [250, 3, 5]) {
      const imp = await importCsv(t, 'importDeliveryMatrix', withBadRows(bad), operator);
      expect(imp).toMatchObject({ status: 'FAILED', rowsRejected: bad, errorsOmitted: 0 });
      failed.push(imp.id);
    }
  });
  afterAll(() => t.close());

  const errorsOf = async (id: string, args: string, user = operator) => {
    const res = await t.gql<{ import: { errors: ErrorsPage } }>(
      `query($id: ID!) { import(id: $id) { errors(${args}) { ${PAGE} } } }`,
      { id },
      user,
    );
    if (!res.data?.import) throw new Error(JSON.stringify(res.errors));
    return res.data.import.errors;
  };

  it('pages forward and backward in row order, every ordinal once', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ErrorsPage = await errorsOf(failed[0]!, `first: 100${after ? `, after: "${after}"` : ''}`);
      expect(page.totalCount).toBe(250);
      seen.push(...page.edges.map((e) => e.node.ordinal));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const first = await errorsOf(failed[0]!, 'first: 2');
    expect(first.edges.map((e) => [e.node.ordinal, e.node.rowNumber, e.node.column])).toEqual([
      [1, 2, 'transit_days'],
      [2, 3, 'transit_days'],
    ]);
    const back = await errorsOf(
      failed[0]!,
      `last: 3, before: "${(await errorsOf(failed[0]!, 'first: 10')).pageInfo.endCursor}"`,
    );
    expect(back.edges.map((e) => e.node.ordinal)).toEqual([7, 8, 9]);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('an error is a Node: node(id) finds it again, for a reader of imports', async () => {
    const [edge] = (await errorsOf(failed[1]!, 'first: 1')).edges;
    const res = await t.gql<{ node: { __typename: string; id: string; ordinal: number } }>(
      'query($id: ID!) { node(id: $id) { __typename id ... on ImportError { ordinal } } }',
      { id: edge!.node.id },
      viewer,
    );
    expect(res.data!.node).toEqual({ __typename: 'ImportError', id: edge!.node.id, ordinal: 1 });
  });

  it('the errors of a page of imports are read in one statement, the counts in one more', async () => {
    const query = `{ imports(first: 10, filter: { status: [FAILED] }) { edges { node { id errors(first: 2) { ${PAGE} } } } } }`;
    let body: { imports: { edges: Array<{ node: { id: string; errors: ErrorsPage } }> } } | undefined;
    const statements = await statementsReading(t, 'data', 'import_error', async () => {
      body = (await t.gql<NonNullable<typeof body>>(query, {}, operator)).data!;
    });
    expect(statements).toHaveLength(2);
    const byId = new Map(body!.imports.edges.map((e) => [e.node.id, e.node.errors]));
    expect(failed.map((id) => byId.get(id)!.totalCount)).toEqual([250, 3, 5]);
    expect(failed.map((id) => byId.get(id)!.edges.map((e) => e.node.ordinal))).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(failed.map((id) => byId.get(id)!.pageInfo.hasNextPage)).toEqual([true, true, true]);
  });

  it('refuses a cursor that is not one of its own, and a page over 100', async () => {
    const res = await t.gql(
      'query($id: ID!) { import(id: $id) { errors(first: 101) { totalCount } } }',
      { id: failed[0] },
      operator,
    );
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const bad = await t.gql(
      'query($id: ID!) { import(id: $id) { errors(first: 1, after: "nope") { totalCount } } }',
      { id: failed[0] },
      operator,
    );
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
