import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { MAX_FIRST_COME_OPERATIONS } from '../../src/graphql/persisted/operation-labels';
import { createLogger } from '../../src/platform/logger';
import { ID, post, WEB_MANIFEST } from '../graphql/fixtures/manifests';
import { startTestApp, type TestApp } from '../support/test-app';

const scrape = async (t: TestApp, headers: Record<string, string> = {}) =>
  (await fetch(t.app.gateway.metricsUrl, { headers })).text();
const durationSeries = (text: string) =>
  text.split('\n').filter((l) => l.startsWith('graphql_request_duration'));
const operationLabels = (text: string) =>
  new Set(durationSeries(text).map((l) => /operation="([^"]*)"/.exec(l)?.[1]));

/** `count` requests, each with a fresh random operation name, 25 at a time. */
async function randomlyNamed(t: TestApp, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, count - sent) }, async () => {
        const res = await t.gql(`query R${randomBytes(6).toString('hex')} { __typename }`);
        expect(res.status).toBe(200);
      }),
    );
  }
}

describe('operation labels no client controls', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('split', {
      PERSISTED_DOCUMENTS: 'allow',
      PERSISTED_DOCUMENTS_MANIFESTS: WEB_MANIFEST,
    });
  });
  afterAll(() => t.close());

  it('1,000 random operation names do not add series once the bounded set is full', async () => {
    await randomlyNamed(t, 1000);
    const full = await scrape(t);
    const labels = operationLabels(full);
    // The first 50 names outside the manifests, then everything else as `other`.
    expect(labels.size).toBe(MAX_FIRST_COME_OPERATIONS + 1);
    expect(labels).toContain('other');
    const series = durationSeries(full).length;
    expect(series).toBe((MAX_FIRST_COME_OPERATIONS + 1) * 14); // 11 buckets, +Inf, sum, count

    await randomlyNamed(t, 1000);
    expect(durationSeries(await scrape(t)).length).toBe(series);
  });

  it('keeps a label for every operation of the manifests, however many names came first', async () => {
    expect(await post(t, { documentId: ID.Me })).toMatchObject({ status: 200, data: { me: null } });
    expect(await scrape(t)).toMatch(
      /graphql_request_duration_seconds_count\{operation="Me",outcome="ok"\} 1/,
    );
    await t.gql('query Me { me { id } }'); // an ad-hoc document may use a manifest name: still one label
    expect(await scrape(t)).toMatch(
      /graphql_request_duration_seconds_count\{operation="Me",outcome="ok"\} 2/,
    );
  });

  it('labels unnamed operations anonymous, and names no GraphQL name could be as other', async () => {
    await t.gql('{ __typename }');
    await t.gql(`query ${'L'.repeat(150)} { __typename }`);
    const text = await scrape(t);
    expect(text).toMatch(/graphql_request_duration_seconds_count\{operation="anonymous",outcome="ok"\} 1/);
    expect(text).not.toContain('L'.repeat(150));
  });
});

describe('/metrics behind METRICS_TOKEN, on its own METRICS_PORT', () => {
  let t: TestApp;
  const token = randomBytes(32).toString('hex');
  const logged: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  });
  beforeAll(async () => {
    t = await startTestApp('split', { METRICS_TOKEN: token, METRICS_PORT: '0' }, createLogger('trace', sink));
  });
  afterAll(() => t.close());

  it('answers 401 with a code without the right bearer token, 200 with it', async () => {
    for (const authorization of [
      undefined,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}x`,
      token,
      'Basic x',
    ]) {
      const res = await fetch(t.app.gateway.metricsUrl, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await res.json()).toEqual({
        errors: [
          {
            message: expect.stringMatching(/Authorization: Bearer/),
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
    }
    const res = await fetch(t.app.gateway.metricsUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^# HELP /m);
  });

  it('serves /metrics on loopback on its own port, and not on the GraphQL port', async () => {
    const metrics = new URL(t.app.gateway.metricsUrl);
    expect(metrics.hostname).toBe('127.0.0.1');
    expect(metrics.port).not.toBe(new URL(t.url).port);
    const onMain = await fetch(new URL('/metrics', t.url), { headers: { authorization: `Bearer ${token}` } });
    expect(onMain.status).toBe(404);
    expect(await scrape(t, { authorization: `Bearer ${token}` })).toMatch(/db_statements_total/);
  });

  it('never logs the token', () => {
    expect(logged.join('')).toMatch(/"tokenRequired":true/);
    expect(logged.join('')).not.toContain(token);
  });
});
