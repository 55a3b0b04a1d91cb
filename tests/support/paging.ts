import { Client } from 'pg';
import type { DomainName } from '../../src/platform/domains';
import type { TestApp } from './test-app';

export interface PageInfoView {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface PageView<N> {
  edges: Array<{ cursor: string; node: N }>;
  pageInfo: PageInfoView;
}

export interface PageArgsView {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** The GraphQL selection of a page for these node fields. */
export const pageSelection = (nodeFields: string) =>
  `pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${nodeFields} } }`;

/**
 * Reads a whole list a page at a time, forward (first/after from the start) or backward (last/before
 * from the end), checking every page's PageInfo on the way: its cursors are its first and last edge's,
 * the side it came from has more, the side it goes to has more until the last page. Returns the nodes in
 * list order, so a forward and a backward walk of the same list must return the same array.
 */
export async function walkPages<N>(
  fetch: (args: PageArgsView) => Promise<PageView<N>>,
  size: number,
  direction: 'forward' | 'backward',
): Promise<N[]> {
  const pages: N[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 1000; i += 1) {
    const args = direction === 'forward' ? { first: size, after: cursor } : { last: size, before: cursor };
    const page = await fetch(args);
    const { edges, pageInfo } = page;
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.length).toBeLessThanOrEqual(size);
    expect(pageInfo.startCursor).toBe(edges[0].cursor);
    expect(pageInfo.endCursor).toBe(edges.at(-1)!.cursor);
    const nodes = edges.map((e) => e.node);
    if (direction === 'forward') {
      expect(pageInfo.hasPreviousPage).toBe(cursor !== undefined);
      pages.push(nodes);
      if (!pageInfo.hasNextPage) return pages.flat();
      expect(edges).toHaveLength(size);
      cursor = pageInfo.endCursor!;
    } else {
      expect(pageInfo.hasNextPage).toBe(cursor !== undefined);
      pages.unshift(nodes);
      if (!pageInfo.hasPreviousPage) return pages.flat();
      expect(edges).toHaveLength(size);
      cursor = pageInfo.startCursor!;
    }
  }
  throw new Error('walkPages: more than 1000 pages');
}

/**
 * The statements a call sends to one database that read `table`, with their values inlined exactly as the
 * ORM sends them (MikroORM formats each query before it goes out).
 */
export async function statementsReading(
  t: TestApp,
  domain: DomainName,
  table: string,
  run: () => Promise<unknown>,
): Promise<string[]> {
  const platform = t.app.dbs.orms[domain].em.getPlatform();
  const sent: string[] = [];
  const off = t.app.dbs.counter.onStatement((d, sql, params) => {
    if (d === domain && sql.includes(`"${table}"`)) sent.push(platform.formatQuery(sql, [...params]));
  });
  try {
    await run();
  } finally {
    off();
  }
  return sent;
}

/**
 * EXPLAIN of each statement. Sequential scans are switched off: test tables hold a few rows, where reading
 * the whole table wins on cost and hides whether an index could serve the query at all.
 */
export async function explainAll(t: TestApp, domain: DomainName, statements: string[]): Promise<string[]> {
  const client = new Client({ connectionString: t.dbs.urls[domain] });
  await client.connect();
  try {
    await client.query('set enable_seqscan = off');
    const plans: string[] = [];
    for (const sql of statements) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain ${sql}`);
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    return plans;
  } finally {
    await client.end();
  }
}

/** The plans of what a call sends to read `table`: the page, and its count when totalCount is selected. */
export async function plansOf(
  t: TestApp,
  domain: DomainName,
  table: string,
  run: () => Promise<unknown>,
): Promise<string[]> {
  const statements = await statementsReading(t, domain, table, run);
  expect(statements.length).toBeGreaterThan(0);
  return explainAll(t, domain, statements);
}
