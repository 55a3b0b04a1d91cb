import { createApp, type App } from '../../src/app';
import type { DbMode } from '../../src/platform/db/databases';
import { migrateAll } from '../../src/db/migrate';
import { loadConfig } from '../../src/platform/config';
import { createLogger, type Logger } from '../../src/platform/logger';
import { createTestDatabases, type TestDatabases } from './test-db';

export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }>;
  headers: Headers;
}

export interface TestApp {
  app: App;
  url: string;
  dbs: TestDatabases;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    opts?: { token?: string; headers?: Record<string, string> },
  ): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

/** A gateway on fresh databases, migrated, listening on a free port; call it the way a client does. */
export async function startTestApp(
  mode: DbMode = 'split',
  env: Record<string, string> = {},
  logger: Logger = createLogger('silent'),
): Promise<TestApp> {
  const dbs = await createTestDatabases(mode);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgres://unused/x',
    ...env,
  });
  const app = await createApp(config, dbs.urls, logger);
  await migrateAll(app.dbs);
  const url = app.gateway.url;
  return {
    app,
    url,
    dbs,
    async gql<T>(
      query: string,
      variables?: Record<string, unknown>,
      opts: { token?: string; headers?: Record<string, string> } = {},
    ) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Omit<GqlResponse<T>, 'status' | 'headers'>;
      return { status: res.status, headers: res.headers, ...body };
    },
    async close() {
      await app.close();
      await dbs.drop();
    },
  };
}
