import type { ServerChild } from '../support/child';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy';
import { expectOk, measure, type GraphqlRequest } from '../support/load';
import { atMost, info, type Scenario } from '../support/scenario';

/** Each way: a 20 ms round trip to the primary database, as to a managed database in another zone. */
const DELAY_MS = 10;
const ME = 'query Me { me { id email name permissions } }';
const NESTED = `query Nested { organizations(first: 50) { edges { node { facilities { edges { node { code organization { name } } } } } } } }`;
/** Requests sent one at a time, on a quiet gateway, to count round trips and statements per request. */
const ROUNDS = 20;

/**
 * Round trips through the proxy and statements the gateway counted, per request, for one request sent
 * ROUNDS times. The gateway also talks to the primary on its own (the revocation listener's heartbeat):
 * the trips of as long a quiet spell right after are taken off.
 */
async function perRequest(gateway: ServerChild, proxy: DelayProxy, request: GraphqlRequest) {
  await expectOk(gateway.url, request);
  const trips = proxy.roundTrips();
  const before = await gateway.stats();
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i += 1) await expectOk(gateway.url, request);
  const elapsed = performance.now() - started;
  const after = await gateway.stats();
  const busyTrips = proxy.roundTrips() - trips;
  await new Promise((resolve) => setTimeout(resolve, elapsed));
  const quietTrips = proxy.roundTrips() - trips - busyTrips;
  return {
    roundTrips: (busyTrips - quietTrips) / ROUNDS,
    statements: (after.statements.primary - before.statements.primary) / ROUNDS,
  };
}

/**
 * The primary database behind a TCP proxy that holds each chunk 10 ms each way (20 ms a round trip); the
 * data database stays local. Two gateway processes reach the primary through it: one with the session
 * cache, one whose cache is a pass-through (every request pays the session query, as a miss does). Each
 * request is measured one at a time (one connection): latency is what a client waits, not queueing.
 */
export const remotePrimary: Scenario = {
  name: 'remote-primary',
  title: 'Remote primary: `me` and the nested page with 20 ms to the primary database',
  async run(ctx) {
    const direct = new URL(ctx.urls.primary);
    const proxy = await startDelayProxy(
      { host: direct.hostname, port: Number(direct.port || 5432) },
      DELAY_MS,
    );
    const urls = { ...ctx.urls, primary: proxy.urlFor(ctx.urls.primary) };
    const cached = await ctx.startGateway('on', urls);
    const uncached = await ctx.startGateway('off', urls).catch(async (err: unknown) => {
      await cached.stop();
      throw err;
    });
    try {
      const headers = { authorization: `Bearer ${ctx.admin.token}` };
      const me = { query: ME, headers };
      const nested = { query: NESTED, headers };
      const load = { ...ctx.load, connections: 1 };
      const meCached = await measure(cached, [me], load);
      const meUncached = await measure(uncached, [me], load);
      const nestedCached = await measure(cached, [nested], load);
      const trips = {
        meCached: await perRequest(cached, proxy, me),
        meUncached: await perRequest(uncached, proxy, me),
        nested: await perRequest(cached, proxy, nested),
      };
      const extra = Math.max(...Object.values(trips).map((t) => t.roundTrips - t.statements));
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [
          { subject: '`me`, session cache warm', ...meCached },
          { subject: '`me`, uncached (pass-through cache)', ...meUncached },
          { subject: 'nested page, session cache warm', ...nestedCached },
        ],
        checks: [
          info('`me` p50 ms, cached', meCached.p50Ms),
          info('`me` p99 ms, cached', meCached.p99Ms),
          info('`me` p50 ms, uncached', meUncached.p50Ms),
          info('`me` p99 ms, uncached', meUncached.p99Ms),
          info('nested page p50 ms', nestedCached.p50Ms),
          info('nested page p99 ms', nestedCached.p99Ms),
          info('primary round trips per request, `me` cached', trips.meCached.roundTrips),
          info('primary round trips per request, `me` uncached', trips.meUncached.roundTrips),
          info('primary statements per request, `me` uncached', trips.meUncached.statements),
          info('primary round trips per request, nested page', trips.nested.roundTrips),
          info('primary statements per request, nested page', trips.nested.statements),
          // Background trips land in either spell at random: a request paying a trip of its own shows as 1.
          atMost('round trips beyond statements, worst request', extra, 0.5, 1),
          atMost('errors', meCached.errors + meUncached.errors + nestedCached.errors, 0, 0),
        ],
        notes: [
          `The primary database sits behind a TCP proxy in the bench process that holds every chunk ${DELAY_MS} ms each way (bench/support/delay-proxy.ts), so each round trip to it takes ${DELAY_MS * 2} ms more; the data database is reached directly.`,
          'One connection, requests one after another: the latencies are what one client waits. Round trips are counted by the proxy (each time a connection writes again after the database answered it) and statements by the gateway, over 20 requests sent one at a time after the load runs, less the trips of as long a quiet spell right after (the revocation listener’s heartbeat); BEGIN and COMMIT would count as round trips but not as statements.',
          'The uncached gateway replaces its session cache with a pass-through after start (as in `session-cache`): every request pays the session query a cache miss pays.',
        ],
      };
    } finally {
      await Promise.allSettled([cached.stop(), uncached.stop()]);
      await proxy.close();
    }
  },
};
