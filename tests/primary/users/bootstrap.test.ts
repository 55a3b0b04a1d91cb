import { ensureAdmin } from '../../../src/primary/users/bootstrap';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('the bootstrap admin (ADMIN_EMAIL / ADMIN_PASSWORD)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('single');
  });
  afterAll(() => t.close());

  it('is created once when several instances start at the same moment', async () => {
    const starts = Array.from({ length: 6 }, () =>
      ensureAdmin(t.app.dbs.fork('primary'), 'race@example.com', 'a long enough password'),
    );
    const created = await Promise.all(starts);
    expect(created.filter(Boolean)).toHaveLength(1);
    const login = await t.gql(
      'mutation { login(email: "race@example.com", password: "a long enough password") { user { email } } }',
    );
    expect(login.data).toEqual({ login: { user: { email: 'race@example.com' } } });
  });
});
