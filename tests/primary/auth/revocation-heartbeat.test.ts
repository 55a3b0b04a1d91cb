import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/platform/logger';
import { RevocationBus } from '../../../src/primary/auth/revocation-bus';
import { SessionCache } from '../../../src/primary/auth/session-cache';
import type { Viewer } from '../../../src/shared/permissions/viewer';
import { createTestDatabases, type TestDatabases } from '../../support/test-db';

const HEARTBEAT = { intervalMs: 200, timeoutMs: 400, fallbackTtlSeconds: 2 };
const until = async (probe: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * NOTIFY reaches listeners of the same database only, so heartbeats published on the other database of a
 * split pair never come back: the same silence a listener behind a transaction pooler meets.
 */
describe('the revocation listener proves it hears, with a heartbeat to itself', () => {
  let dbs: TestDatabases;
  const orms: MikroORM[] = [];
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
  );
  const emOf = async (url: string): Promise<EntityManager> => {
    const orm = await MikroORM.init({
      clientUrl: url,
      entities: [],
      discovery: { warnWhenNoEntities: false },
    });
    orms.push(orm);
    return orm.em.fork();
  };
  beforeAll(async () => {
    dbs = await createTestDatabases('split');
  });
  afterAll(async () => {
    await Promise.all(orms.map((o) => o.close(true)));
    await dbs.drop();
  });

  it('stays ok while its heartbeats come back, and goes degraded (short TTL, cache dropped, error logged) when they stop', async () => {
    const cache = new SessionCache({ ttlSeconds: 30 });
    const same = await emOf(dbs.urls.primary);
    const other = await emOf(dbs.urls.data);
    let publishOn = same;
    const bus = new RevocationBus(dbs.urls.primary, cache, logger, () => publishOn, HEARTBEAT);
    await bus.start();
    try {
      await until(() => bus.health().lastHeartbeatMs !== null);
      expect(bus.health()).toMatchObject({ status: 'ok', listening: true });
      expect(cache.effectiveTtlSeconds).toBe(30);

      const viewer = { userId: 'u1', expiresAt: Date.now() + 60_000 } as Viewer;
      await cache.get('session-key', async () => viewer);
      expect(cache.stats().keys).toBe(1);
      publishOn = other; // heartbeats now go where this listener cannot hear them
      await until(() => bus.health().status === 'degraded');
      expect(bus.health().reason).toMatch(/PRIMARY_DIRECT_DATABASE_URL/);
      expect(cache.effectiveTtlSeconds).toBe(2);
      expect(cache.stats().keys).toBe(0); // cached for 30 s before: dropped, since revocations were missed
      expect(
        lines.filter((l) => l.includes('does not hear its own heartbeat') && l.includes('"level":50')),
      ).toHaveLength(1);

      publishOn = same;
      await until(() => bus.health().status === 'ok');
      expect(cache.effectiveTtlSeconds).toBe(30);
    } finally {
      await bus.stop();
      cache.close();
    }
  });
});
