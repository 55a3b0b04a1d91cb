import { gql, login } from './support/client';
import type { GatewayProcess } from './support/gateway-process';
import { migrate, startTopology, type Topology } from './support/topology';

// Both databases on one server: each request reads the primary (organizations) and the data database.
const QUERY = '{ organizations(first: 5) { totalCount edges { node { name } } } carriers { code } }';

async function retry<T>(work: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await work();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

interface LoadResult {
  requests: number;
  failures: string[];
}

/** `clients` loops, spread over the gateways, each sending QUERY back to back for `seconds`. */
async function load(gateways: GatewayProcess[], tokens: string[], clients: number, seconds: number) {
  const until = Date.now() + seconds * 1000;
  const result: LoadResult = { requests: 0, failures: [] };
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const gateway = gateways[i % gateways.length]!;
      const token = tokens[i % gateways.length]!;
      while (Date.now() < until) {
        result.requests += 1;
        const res = await gql(gateway, QUERY, {}, token).catch((err: Error) => ({
          status: 0,
          errors: [{ message: err.message }],
        }));
        if (res.status !== 200 || res.errors)
          result.failures.push(`${res.status} ${JSON.stringify(res.errors)}`);
      }
    }),
  );
  return result;
}

describe('connection budget: two instances at default pool sizes on a server with 25 slots, 3 reserved', () => {
  let t: Topology;
  let gateways: GatewayProcess[];
  beforeAll(async () => {
    t = await startTopology({ maxConnections: 25, superuserReservedConnections: 3 });
    await migrate(t);
    // Straight to the server (no pooler): the instances' own pools (10 + 10 + the listener each, 42 in
    // all) are what must share the 22 usable slots.
    const direct = { PRIMARY_DATABASE_URL: t.direct('primary'), PRIMARY_DIRECT_DATABASE_URL: '' };
    gateways = [await t.startGateway(direct), await t.startGateway(direct)];
  });
  afterAll(() => t?.stop());

  it('warns at start that the pools cannot all fit', () => {
    const warned = gateways.map((g) =>
      g.logs().some((l) => l.includes('connection budget: this instance may open')),
    );
    expect(warned).toContain(true);
  });

  it('50 clients for 10 s over both instances: zero errors, and both serve normally right after', async () => {
    const tokens = await Promise.all(gateways.map((g) => login(g)));
    const result = await load(gateways, tokens, 50, 10);
    // The instances' pools may still be retrying refused connections for a moment; each attempt holds a
    // server slot while it is refused, so even this superuser session may have to try again.
    const used = await retry(() =>
      t.cluster.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where backend_type = 'client backend'",
      ),
    );
    console.log(
      `slots: ${result.requests} requests, ${result.failures.length} errors; ${used[0]!.n} server connections after`,
    );
    expect(result.failures.slice(0, 5)).toEqual([]);
    // That the load really ran, not how fast: 50 clients for 10 s make thousands of requests on an idle
    // machine and a few hundred on a busy shared one; a stalled pool makes a handful.
    expect(result.requests).toBeGreaterThan(100);
    for (const [i, g] of gateways.entries()) {
      const res = await gql(g, QUERY, {}, tokens[i]);
      expect(res.errors).toBeUndefined();
    }
  });
});
