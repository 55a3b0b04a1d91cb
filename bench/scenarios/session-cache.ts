import { expectOk, measure } from '../support/load';
import { atLeast, atMost, info, type Scenario } from '../support/scenario';

const ME = 'query Me { me { id email name permissions } }';

/**
 * `me` with one token against two gateways on the same databases: one with the real SessionCache,
 * one whose cache was swapped for a pass-through after start (every request runs the principal
 * query, as a miss does). Production code has no switch for this; the bench swaps the object.
 */
export const sessionCache: Scenario = {
  name: 'session-cache',
  title: 'Session cache: `me`, cache on vs off, same token',
  async run(ctx) {
    const request = { query: ME, headers: { authorization: `Bearer ${ctx.admin.token}` } };
    const uncachedGateway = await ctx.startGateway('off');
    try {
      const me = (await expectOk(ctx.gateway.url, request)) as { me: { email: string } | null };
      if (me.me?.email !== ctx.admin.email) throw new Error('`me` did not resolve the bench admin');
      await expectOk(uncachedGateway.url, request);
      const cached = await measure(ctx.gateway, [request], ctx.load);
      const uncached = await measure(uncachedGateway, [request], ctx.load);
      const fewer = 1 - cached.statementsPerRequest.primary / uncached.statementsPerRequest.primary;
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [
          { subject: 'gateway, cache on', ...cached },
          { subject: 'gateway, cache off (pass-through)', ...uncached },
        ],
        checks: [
          atMost('primary statements per request, cached', cached.statementsPerRequest.primary, 0.01),
          atLeast('fewer primary statements than uncached', fewer, 0.99),
          info('req/s cached / uncached', cached.rps / uncached.rps),
          info('p99 cached / uncached', cached.p99Ms / uncached.p99Ms),
          atMost('errors', cached.errors + uncached.errors, 0, 0),
        ],
        notes: [
          'Both gateways run in their own process on the same databases; the uncached one replaces ' +
            '`app.services.primary.sessionCache` with a pass-through after `createApp`, so every request ' +
            'pays the principal query that a cache miss pays.',
        ],
      };
    } finally {
      await uncachedGateway.stop();
    }
  },
};
