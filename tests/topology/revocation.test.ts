import { gql, health, login, timeUntil } from './support/client';
import { migrate, startTopology, type Topology } from './support/topology';
import type { GatewayProcess } from './support/gateway-process';

const ME = '{ me { email } }';

/** Signs in on `a`, warms `b`'s cache with the session, logs out on `a`: how long until `b` refuses it? */
async function revocationDelay(a: GatewayProcess, b: GatewayProcess): Promise<number> {
  const token = await login(a);
  expect((await gql(b, ME, {}, token)).data).toEqual({ me: { email: 'ops@example.com' } });
  expect((await gql(a, 'mutation { logout }', {}, token)).data).toEqual({ logout: true });
  return timeUntil(async () => (await gql(b, ME, {}, token)).data?.me === null, 10_000, 25);
}

describe('session revocation across instances, primary behind PgBouncer in transaction mode', () => {
  let t: Topology;
  let a: GatewayProcess;
  let b: GatewayProcess;
  beforeAll(async () => {
    t = await startTopology();
    await migrate(t);
    [a, b] = await Promise.all([t.startGateway(), t.startGateway()]);
  });
  afterAll(() => t?.stop());

  it('with the listener on the direct URL, a logout on A is refused on B within a second', async () => {
    const delays = [];
    for (let i = 0; i < 3; i += 1) delays.push(await revocationDelay(a, b));
    console.log(`revocation delay A -> B, direct listener: ${delays.join(', ')} ms`);
    expect(Math.max(...delays)).toBeLessThan(1000);
    expect((await health(b)).body).toMatchObject({ revocation: { status: 'ok', listening: true } });
  });

  it('with the listener pointed at PgBouncer, the heartbeat finds it deaf: health degraded, 2 s TTL, revocation within about 2 s', async () => {
    const c = await t.startGateway({ PRIMARY_DIRECT_DATABASE_URL: t.pooled('primary') });
    const degraded = await timeUntil(
      async () => ((await health(c)).body.revocation as { status: string }).status === 'degraded',
      10_000,
      100,
    );
    const h = await health(c);
    expect(h.status).toBe(200); // the databases are up: the load balancer keeps the instance
    expect(h.body).toMatchObject({
      status: 'degraded',
      revocation: {
        status: 'degraded',
        listening: true,
        reason: expect.stringMatching(/DIRECT_DATABASE_URL/),
      },
      sessionCache: { ttlSeconds: 2 },
    });
    expect(
      c.logs().some((l) => l.includes('"level":50') && l.includes('does not hear its own heartbeat')),
    ).toBe(true);
    const delay = await revocationDelay(a, c);
    console.log(`listener behind PgBouncer: degraded after ${degraded} ms; revocation A -> C ${delay} ms`);
    expect(delay).toBeLessThan(3000);
  });
});
