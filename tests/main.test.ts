import { createTestDatabases, type TestDatabases } from './support/test-db';
import { runGateway as startGatewayProcess } from './support/gateway-process';
import { startTestApp } from './support/test-app';

describe('the gateway process', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    const t = await startTestApp('single');
    dbs = t.dbs;
    await t.app.close(); // migrated databases, kept for the process below
  });
  afterAll(() => dbs.drop());

  it('serves, then on SIGTERM drains, closes its connections and exits 0', async () => {
    let url = '';
    let answer: unknown;
    const run = await startGatewayProcess({ DATABASE_URL: dbs.urls.primary }, (out, kill) => {
      const match = out.match(/open (http:\/\/\S+\/graphql)/);
      if (!match || url) return;
      url = match[1];
      void fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ me { id } }"}',
      })
        .then((r) => r.json())
        .then((body) => {
          answer = body;
          kill('SIGTERM');
        });
    });
    expect(answer).toEqual({ data: { me: null } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Gateway stopped.');
  });

  it('refuses to start on a database with pending migrations, naming the command to run', async () => {
    const empty = await createTestDatabases('single');
    try {
      const run = await startGatewayProcess({ DATABASE_URL: empty.urls.primary });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/pending migration.*npm run db:migrate/);
    } finally {
      await empty.drop();
    }
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const run = await startGatewayProcess({ PORT: 'eighty', DATABASE_URL: 'postgres://x/y' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PORT: must be a number/);
  });
});
