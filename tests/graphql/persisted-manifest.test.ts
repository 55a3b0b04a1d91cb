import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadManifests } from '../../src/graphql/persisted/manifest';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { PROJECT_ROOT, runGateway } from '../support/gateway-process';
import { startTestApp } from '../support/test-app';
import type { TestDatabases } from '../support/test-db';
import { OPS_MANIFEST, WEB_MANIFEST } from './fixtures/manifests';

const ROOT = PROJECT_ROOT;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

// Not the temp folder, which a test run must leave as it found it; .data is git-ignored.
mkdirSync(path.join(ROOT, '.data'), { recursive: true });
const dir = mkdtempSync(path.join(ROOT, '.data', 'manifests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
};

describe('manifests', () => {
  it('fixtures are what the client preset writes: each id is the SHA-256 of its document text', () => {
    for (const manifest of [WEB_MANIFEST, OPS_MANIFEST]) {
      const entries = Object.entries(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>);
      expect(entries.length).toBeGreaterThan(1);
      for (const [id, text] of entries) expect(id.replace(/^sha256:/, '')).toBe(sha256(text));
    }
    const documents = loadManifests([WEB_MANIFEST, OPS_MANIFEST]);
    expect(documents.size).toBe(6); // `Me` is in both, under both spellings of one id
    expect([...documents.operationNames].sort()).toEqual([
      'CarrierList',
      'ImportCarriers',
      'ImportStatus',
      'Me',
      'OrganizationsPage',
      'SignIn',
    ]);
  });

  it.each([
    ['missing.json', null, /missing\.json: cannot be read \(ENOENT\)/],
    ['truncated.json', '{"abc": "query', /truncated\.json: is not JSON/],
    ['list.json', '[]', /list\.json: must be a JSON object/],
    ['empty.json', '{}', /empty\.json: holds no documents/],
    ['sha1.json', JSON.stringify({ [sha256('x').slice(0, 40)]: 'x' }), /SHA-1 id.*hashAlgorithm: 'sha256'/],
    ['odd-id.json', JSON.stringify({ 'md5:abc': '{ me { id } }' }), /"md5:abc" is not a SHA-256 id/],
    [
      'edited.json',
      JSON.stringify({ [sha256('{ me { id } }')]: '{ me { email } }' }),
      /is not the SHA-256 of its/,
    ],
    ['broken.json', JSON.stringify({ [sha256('{ me {')]: '{ me {' }), /does not parse: Syntax Error/],
    [
      'fragments.json',
      JSON.stringify({ [sha256('fragment F on User { id }')]: 'fragment F on User { id }' }),
      /holds no operation/,
    ],
  ])('refuses %s, naming the setting and the file', (name, content, problem) => {
    const at = content === null ? path.join(dir, name) : file(name, content);
    const problems = problemsOf(() => loadManifests([WEB_MANIFEST, at]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(`PERSISTED_DOCUMENTS_MANIFESTS: ${at}:`);
    expect(problems[0]).toMatch(problem);
  });
});

describe('configuration', () => {
  const base = { DATABASE_URL: 'postgres://h/db' };
  it('defaults to off in development and test, and in production to require once manifests are named', () => {
    expect(loadConfig(base).persistedDocuments).toEqual({ mode: 'off', manifests: [] });
    expect(
      loadConfig({ ...base, NODE_ENV: 'test', PERSISTED_DOCUMENTS_MANIFESTS: 'a.json' }).persistedDocuments
        .mode,
    ).toBe('off');
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).persistedDocuments.mode).toBe('off');
    expect(
      loadConfig({ ...base, NODE_ENV: 'production', PERSISTED_DOCUMENTS_MANIFESTS: ' web.json, ops.json ,' })
        .persistedDocuments,
    ).toEqual({ mode: 'require', manifests: ['web.json', 'ops.json'] });
  });

  it.each([
    [{ PERSISTED_DOCUMENTS: 'require' }, /PERSISTED_DOCUMENTS: require needs PERSISTED_DOCUMENTS_MANIFESTS/],
    [{ PERSISTED_DOCUMENTS: 'strict' }, /PERSISTED_DOCUMENTS: must be off, allow or require/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN: must be at least 32 characters/],
    [{ METRICS_TOKEN: `${'x'.repeat(32)} y` }, /METRICS_TOKEN: must be printable ASCII without spaces/],
    [{ METRICS_PORT: '4000' }, /METRICS_PORT: must differ from PORT/],
    [{ METRICS_HOST: '0.0.0.0' }, /METRICS_HOST: set METRICS_PORT too/],
  ])('refuses %j', (env, problem) => {
    expect(problemsOf(() => loadConfig({ ...base, ...env })).join('\n')).toMatch(problem);
  });

  it('serves /metrics on its own listener on loopback unless told otherwise', () => {
    expect(loadConfig(base).metrics).toEqual({ token: null, listen: null });
    expect(loadConfig({ ...base, METRICS_PORT: '9464' }).metrics.listen).toEqual({
      port: 9464,
      host: '127.0.0.1',
    });
  });
});

describe('the gateway process with a bad manifest', () => {
  let dbs: TestDatabases;
  beforeAll(async () => {
    const t = await startTestApp('single');
    dbs = t.dbs;
    await t.app.close(); // migrated databases, kept for the process below
  });
  afterAll(() => dbs.drop());

  it('does not start, and says which file and which entry', async () => {
    const bad = file(
      'stale.json',
      JSON.stringify({ [`sha256:${sha256('{ me { id } }')}`]: '{ me { name } }' }),
    );
    const run = await runGateway({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: dbs.urls.primary,
      PERSISTED_DOCUMENTS_MANIFESTS: `${WEB_MANIFEST},${bad}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(`PERSISTED_DOCUMENTS_MANIFESTS: ${bad}: "sha256:`);
    expect(run.stderr).toMatch(/is not the SHA-256 of its document/);
  });
});
