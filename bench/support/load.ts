import autocannon from 'autocannon';
import type { ChildStats, ServerChild } from './child';

export interface GraphqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** A prepared body sent as is instead of the JSON one (a multipart upload); its content type in headers. */
  body?: Buffer;
}

const requestBody = (r: GraphqlRequest) =>
  r.body ?? JSON.stringify({ query: r.query, variables: r.variables });

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts, non-2xx answers and 200s carrying GraphQL `errors`, all together. */
  errors: number;
  /** Of those, requests autocannon gave up on after its 10 s timeout (the server was too slow, not wrong). */
  timeouts: number;
  statementsPerRequest: { primary: number; data: number };
  peakRssBytes: number;
  /**
   * CPU milliseconds the server process spent per answered request during the timed run: unlike req/s,
   * barely moved by other work on the machine (work a server hands to PostgreSQL is not in it).
   */
  cpuMsPerRequest: number;
  /** With several requests cycled through: each one's latency, in the order given. */
  byRequest?: RequestLatency[];
}

export interface RequestLatency {
  requests: number;
  p50Ms: number;
  p99Ms: number;
}

/** The value below which the fraction p of the values lie (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Requests sent one by one after each load run to count statements exactly. */
const SERIAL_ROUNDS = 20;

/** One autocannon run from code. Each connection cycles through `requests` in order. */
async function cannon(url: string, requests: GraphqlRequest[], connections: number, seconds: number) {
  let graphqlErrors = 0;
  let firstError: string | null = null;
  // autocannon reports one latency histogram; each request's own comes from its responses. A request's
  // onResponse runs just before the tracker's 'response' event for the same answer, in one call stack.
  const latencies: number[][] = requests.map(() => []);
  let answering = 0;
  const options: autocannon.Options = {
    url,
    connections,
    duration: seconds,
    method: 'POST',
    requests: requests.map((r, i) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', ...r.headers },
      body: requestBody(r),
      // A GraphQL failure is a 200 with `errors`: count those too, or a broken server would look fast.
      onResponse: (status: number, body: string) => {
        answering = i;
        if (status === 200 && !body.includes('"errors"')) return;
        graphqlErrors += 1;
        firstError ??= `${status} ${body.slice(0, 300)}`;
      },
    })),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, done) => (err ? reject(err) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, ms) => latencies[answering]!.push(ms));
  });
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return { result, answered, graphqlErrors, firstError, latencies };
}

/**
 * Warm the server (JIT, pools, caches), then measure: throughput, latency percentiles, errors, and the
 * statements each database receives per request, read from the server process itself.
 */
export async function measure(
  server: ServerChild,
  requests: GraphqlRequest[],
  settings: LoadSettings,
): Promise<LoadResult> {
  if (settings.warmupSeconds > 0) {
    const warm = await cannon(server.url, requests, settings.connections, settings.warmupSeconds);
    if (warm.firstError) throw new Error(`warm-up against ${server.url} failed: ${warm.firstError}`);
  }
  const cpuBefore = (await server.stats()).cpuMicros;
  const run = await cannon(server.url, requests, settings.connections, settings.durationSeconds);
  const cpuAfter = (await server.stats()).cpuMicros;
  // autocannon drops the requests in flight when time is up, but the server still runs them, so a
  // statements / answered ratio taken from the load run is biased. Count on a quiet server instead:
  // the same requests one at a time, each one exactly once.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before: ChildStats = await server.stats();
  for (let i = 0; i < SERIAL_ROUNDS; i += 1)
    for (const request of requests) await expectOk(server.url, request);
  const after: ChildStats = await server.stats();
  const perRequest = (domain: 'primary' | 'data') =>
    (after.statements[domain] - before.statements[domain]) / (SERIAL_ROUNDS * requests.length);
  if (run.firstError) console.warn(`  first error from ${server.url}: ${run.firstError}`);
  return {
    requests: run.answered,
    rps: run.answered / run.result.duration,
    p50Ms: run.result.latency.p50,
    p99Ms: run.result.latency.p99,
    // autocannon counts a timeout in `errors` too, so `errors` already includes `timeouts`.
    errors: run.result.errors + run.graphqlErrors,
    timeouts: run.result.timeouts,
    statementsPerRequest: { primary: perRequest('primary'), data: perRequest('data') },
    peakRssBytes: after.maxRssBytes,
    cpuMsPerRequest: (cpuAfter - cpuBefore) / 1000 / run.answered,
    ...(requests.length > 1 && {
      byRequest: run.latencies.map((ms) => ({
        requests: ms.length,
        p50Ms: Math.round(percentile(ms, 0.5)),
        p99Ms: Math.round(percentile(ms, 0.99)),
      })),
    }),
  };
}

/** Sends one request and fails loudly unless it answers without errors: a shape check before timing. */
export async function expectOk(url: string, request: GraphqlRequest): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: requestBody(request),
  });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (res.status !== 200 || body.errors) {
    throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.data;
}
