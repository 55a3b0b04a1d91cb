import { ConfigError, loadConfig } from '../../src/platform/config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('defaults to the embedded database in split mode with no URL configured', () => {
    const config = loadConfig({});
    expect(config.database).toMatchObject({ kind: 'embedded', split: true });
    expect(config.port).toBe(4000);
    expect(config.sessionCacheTtlSeconds).toBe(30);
    expect(config.pool).toEqual({ primary: 10, data: 10 });
  });

  it('infers single and split mode from the URLs given', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).database).toEqual({
      kind: 'single',
      url: 'postgres://h/db',
    });
    expect(
      loadConfig({ PRIMARY_DATABASE_URL: 'postgres://h/p', DATA_DATABASE_URL: 'postgres://h/d' }).database,
    ).toEqual({
      kind: 'split',
      primaryUrl: 'postgres://h/p',
      dataUrl: 'postgres://h/d',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ SPLIT_DB_MODE: 'yes' }, 'SPLIT_DB_MODE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://h/db' }, 'DATABASE_URL'],
    [{ SESSION_CACHE_TTL_SECONDS: '0' }, 'SESSION_CACHE_TTL_SECONDS'],
    [{ PRIMARY_DB_POOL_MAX: '-1' }, 'PRIMARY_DB_POOL_MAX'],
    [{ DATA_DB_POOL_MAX: '1.5' }, 'DATA_DB_POOL_MAX'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ EMBEDDED_PG_PORT: '5432' }, 'EMBEDDED_PG_PORT'],
    [{ SPLIT_DB_MODE: 'true', PRIMARY_DATABASE_URL: 'postgres://h/p' }, 'DATA_DATABASE_URL'],
    [{ SPLIT_DB_MODE: 'false', PRIMARY_DATABASE_URL: 'postgres://h/p' }, 'DATABASE_URL'],
    [
      {
        SPLIT_DB_MODE: 'true',
        DATABASE_URL: 'postgres://h/db',
        PRIMARY_DATABASE_URL: 'postgres://h/p',
        DATA_DATABASE_URL: 'postgres://h/d',
      },
      'DATABASE_URL',
    ],
    [{ IMPORT_CONCURRENCY: '0' }, 'IMPORT_CONCURRENCY'],
    [{ IMPORT_CONCURRENCY: '5', DATA_DB_POOL_MAX: '10' }, 'IMPORT_CONCURRENCY'],
    [{ EXPORT_CONCURRENCY: '0' }, 'EXPORT_CONCURRENCY'],
    [{ EXPORT_CONCURRENCY: '6', DATA_DB_POOL_MAX: '10' }, 'EXPORT_CONCURRENCY'],
    [{ ADMIN_EMAIL: 'a@b.co' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'a@b.co', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
  ])('rejects %j naming %s', (env, variable) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems.join('\n')).toContain(variable);
  });

  it('runs two imports at once by default, fewer on a small data pool', () => {
    const base = { DATABASE_URL: 'postgres://h/db' };
    expect(loadConfig(base).importConcurrency).toBe(2);
    expect(loadConfig({ ...base, DATA_DB_POOL_MAX: '4' }).importConcurrency).toBe(1);
    expect(loadConfig({ ...base, DATA_DB_POOL_MAX: '1' }).importConcurrency).toBe(1);
    expect(loadConfig({ ...base, IMPORT_CONCURRENCY: '4', DATA_DB_POOL_MAX: '20' }).importConcurrency).toBe(
      4,
    );
  });

  it('streams two downloads at once by default, one on a small data pool', () => {
    const base = { DATABASE_URL: 'postgres://h/db' };
    expect(loadConfig(base).exportConcurrency).toBe(2);
    expect(loadConfig({ ...base, DATA_DB_POOL_MAX: '8' }).exportConcurrency).toBe(1);
    expect(loadConfig({ ...base, DATA_DB_POOL_MAX: '1' }).exportConcurrency).toBe(1);
    expect(loadConfig({ ...base, EXPORT_CONCURRENCY: '5', DATA_DB_POOL_MAX: '10' }).exportConcurrency).toBe(
      5,
    );
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'y' })).toHaveLength(2);
  });

  it('reads database URLs as psql does and refuses parameters it would otherwise ignore, naming the setting', () => {
    const seed =
      'postgresql://doadmin:secret@db.example.com:25060/backoffice_primary?sslmode=require&pgbouncer=true&connection_limit=15';
    const problems = problemsOf({ PRIMARY_DATABASE_URL: seed, DATA_DATABASE_URL: 'postgres://h/d?schema=x' });
    expect(problems).toEqual([
      expect.stringMatching(/^PRIMARY_DATABASE_URL: .*pgbouncer.*PRIMARY_DIRECT_DATABASE_URL/),
      expect.stringMatching(/^PRIMARY_DATABASE_URL: .*connection_limit.*PRIMARY_DB_POOL_MAX/),
      expect.stringMatching(/^DATA_DATABASE_URL: .*schema/),
    ]);
    expect(problems.join('\n')).not.toContain('secret');
    expect(problemsOf({ DATABASE_URL: 'postgres://h/db?sslmode=verify-full' })).toEqual([
      expect.stringMatching(/^DATABASE_URL: sslmode=verify-full needs sslrootcert/),
    ]);
    expect(problemsOf({ DATABASE_URL: 'postgres://h/db', PGSSLMODE: 'sometimes' })).toEqual([
      expect.stringMatching(/^DATABASE_URL: invalid sslmode "sometimes" \(from PGSSLMODE\)/),
    ]);
  });

  it('takes direct URLs for sessions, per domain in split mode or one in single mode', () => {
    const split = loadConfig({
      PRIMARY_DATABASE_URL: 'postgres://pooler/p',
      PRIMARY_DIRECT_DATABASE_URL: 'postgres://server/p',
      DATA_DATABASE_URL: 'postgres://h/d',
    });
    expect(split.directUrls).toEqual({ primary: 'postgres://server/p' });
    expect(
      loadConfig({ DATABASE_URL: 'postgres://pooler/db', DIRECT_DATABASE_URL: 'postgres://server/db' })
        .directUrls,
    ).toEqual({
      primary: 'postgres://server/db',
      data: 'postgres://server/db',
    });
    expect(
      problemsOf({
        DATABASE_URL: 'postgres://h/db',
        DIRECT_DATABASE_URL: 'postgres://h/db',
        PRIMARY_DIRECT_DATABASE_URL: 'postgres://h/db',
      }),
    ).toEqual([expect.stringMatching(/^DIRECT_DATABASE_URL: /)]);
  });
});
