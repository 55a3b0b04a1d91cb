import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openDatabases } from '../src/db/open-databases';
import { migrateAll } from '../src/db/migrate';
import type { GatewayChildOptions } from './gateway-process';
import { startServerChild, type ServerChild } from './support/child';
import { createBenchDatabases, startBenchServer } from './support/databases';
import { describeRun, writeReport } from './support/report';
import type { BenchContext, Scenario, ScenarioResult } from './support/scenario';
import { seedCustomers, signInAdmin } from './support/seed';
import { acrossDatabases } from './scenarios/across-databases';
import { dbSplit } from './scenarios/db-split';
import { exportScenario } from './scenarios/export';
import { importScenario } from './scenarios/import';
import { importBloatScenario } from './scenarios/import-bloat';
import { importPreviewScenario } from './scenarios/import-preview';
import { mixedLoad } from './scenarios/mixed-load';
import { nestedReads } from './scenarios/nested-reads';
import { remotePrimary } from './scenarios/remote-primary';
import { sessionCache } from './scenarios/session-cache';
import { subscriptionLatency } from './scenarios/subscription-latency';

const SCENARIOS: Scenario[] = [
  sessionCache,
  nestedReads,
  remotePrimary,
  acrossDatabases,
  importScenario,
  importBloatScenario,
  importPreviewScenario,
  dbSplit,
  mixedLoad,
  subscriptionLatency,
  // Last: it replaces the matrix the earlier scenarios left with one of its own.
  exportScenario,
];

const USAGE = `npm run bench -- [--quick] [--only <scenario>] [--duration s] [--warmup s] [--connections n]
                    [--organizations n] [--facilities n]
scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}
BENCH_DATABASE_URL=postgres://… uses that server (databases are created and dropped); otherwise an embedded PostgreSQL.`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      organizations: { type: 'string' },
      facilities: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
  const only = values.only ? SCENARIOS.filter((s) => s.name === values.only) : SCENARIOS;
  if (!only.length) throw new Error(`unknown scenario ${values.only}\n${USAGE}`);
  return {
    quick: values.quick,
    scenarios: only,
    load: {
      connections: num(values.connections, 10),
      durationSeconds: num(values.duration, values.quick ? 3 : 15),
      warmupSeconds: num(values.warmup, values.quick ? 1 : 3),
    },
    // The nested scenario's shape: 50 organizations on a page, 20 facilities each.
    customers: {
      organizations: num(values.organizations, 50),
      facilitiesPerOrganization: num(values.facilities, 20),
    },
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const startedAt = new Date().toISOString();
  const server = await startBenchServer();
  const databases = await createBenchDatabases(server);
  const dbs = await openDatabases(databases.urls, { pool: { primary: 2, data: 2 } });
  const children: ServerChild[] = [];
  const results: ScenarioResult[] = [];
  try {
    await migrateAll(dbs);
    await seedCustomers(dbs, options.customers);
    const startGateway = async (cache: 'on' | 'off', urls = databases.urls) => {
      const child = await startServerChild('gateway-process.ts', {
        urls,
        sessionCache: cache,
      } satisfies GatewayChildOptions);
      children.push(child);
      return child;
    };
    const gateway = await startGateway('on');
    const ctx: BenchContext = {
      quick: options.quick,
      server,
      dbs,
      primaryDatabase: databases.names[0]!,
      urls: databases.urls,
      load: options.load,
      customers: options.customers,
      gateway,
      admin: await signInAdmin(dbs, gateway.url),
      startGateway,
    };
    for (const scenario of options.scenarios) {
      console.log(`▶ ${scenario.name}`);
      const result = await scenario.run(ctx);
      for (const m of result.measurements) {
        console.log(`  ${m.subject}: ${m.rps.toFixed(0)} req/s, p99 ${m.p99Ms} ms, errors ${m.errors}`);
      }
      for (const c of result.checks) console.log(`  ${c.what}: ${c.value.toFixed(4)} (${c.target})`);
      results.push(result);
    }
  } finally {
    await Promise.allSettled(children.map((c) => c.stop()));
    await dbs.close();
    await databases.drop();
    await server.stop();
  }
  const run = describeRun(
    {
      startedAt,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      quick: options.quick,
      database: { kind: server.kind, version: server.version },
      settings: { ...options.load, ...options.customers },
    },
    results,
  );
  // A partial run (--only) keeps its JSON but leaves the published table to full runs.
  const written = await writeReport(run, options.scenarios.length === SCENARIOS.length);
  console.log(`wrote ${written.join(' and ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
