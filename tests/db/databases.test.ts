import { Carrier } from '../../src/data/carriers/carrier.entity';
import { User } from '../../src/primary/users/user.entity';
import { startTestApp, type TestApp } from '../support/test-app';

describe.each(['single', 'split'] as const)('domain isolation in %s mode', (mode) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(mode);
  });
  afterAll(() => t.close());

  it("the primary EntityManager cannot reach the data domain's tables", async () => {
    const em = t.app.dbs.fork('primary');
    await expect(em.find(Carrier, {})).rejects.toThrow(/Carrier/);
  });

  it("the data EntityManager cannot reach the primary domain's tables", async () => {
    const em = t.app.dbs.fork('data');
    await expect(em.find(User, {})).rejects.toThrow(/User/);
  });

  it('each EntityManager reads its own tables', async () => {
    await expect(t.app.dbs.fork('primary').count(User, { email: 'nobody@example.com' })).resolves.toBe(0);
    await expect(t.app.dbs.fork('data').count(Carrier)).resolves.toBe(0);
  });

  if (mode === 'split') {
    it("raw SQL on one database finds no trace of the other's schema", async () => {
      const conn = t.app.dbs.orms.data.em.getConnection();
      await expect(conn.execute('select 1 from "core"."user"')).rejects.toThrow(/does not exist/);
    });
  }
});
