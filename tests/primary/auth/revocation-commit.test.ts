import { Client } from 'pg';
import { REVOCATION_CHANNEL } from '../../../src/primary/auth/revocation-bus';
import { databaseUrl } from '../../support/test-db';
import { startTestApp, type TestApp } from '../../support/test-app';

/**
 * A revocation published inside a transaction reaches other instances only once that transaction commits:
 * sent before, another instance could reload the session (still valid until the commit) and cache it again
 * for a whole TTL. Rolled back, it is never sent.
 */
describe('revocations published in a transaction', () => {
  let t: TestApp;
  let listener: Client;
  const heard: string[] = [];
  beforeAll(async () => {
    t = await startTestApp('split');
    listener = new Client({ connectionString: databaseUrl(t.dbs.names[0]) });
    await listener.connect();
    listener.on('notification', (n) => {
      if (n.payload && !n.payload.includes('heartbeat')) heard.push(n.payload);
    });
    await listener.query(`listen ${REVOCATION_CHANNEL}`);
  });
  afterAll(async () => {
    await listener.end();
    await t.close();
  });
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('go out on commit, not before, and not at all on rollback', async () => {
    const bus = t.app.services.primary.revocations;
    await t.app.dbs.fork('primary').transactional(async (tx) => {
      await bus.publish(tx, { kind: 'user', userId: '00000000-0000-4000-8000-000000000001' });
      await pause(300);
      expect(heard).toEqual([]);
    });
    await pause(300);
    expect(heard.map((p) => JSON.parse(p) as { userId?: string })).toEqual([
      { kind: 'user', userId: '00000000-0000-4000-8000-000000000001' },
    ]);
    await expect(
      t.app.dbs.fork('primary').transactional(async (tx) => {
        await bus.publish(tx, { kind: 'user', userId: '00000000-0000-4000-8000-000000000002' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await pause(300);
    expect(heard).toHaveLength(1);
  });
});
