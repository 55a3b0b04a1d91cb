import 'reflect-metadata';
import { createApp } from '../../src/app';
import { openDatabases } from '../../src/db/open-databases';
import { migrateAll } from '../../src/db/migrate';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { seedCustomers, signInAdmin } from '../support/seed';
import { Client } from 'pg';
import { profiled } from './cpu-profile';

/**
 * CPU time of one nested page in the gateway, measured in-process: 50 organizations × 20 facilities, a
 * signed-in admin, the page sent PROFILE_ROUNDS times (default 60) after 20 warm-up requests,
 * PROFILE_CONCURRENCY at a time (default 1). Prints the median and 10th percentile CPU milliseconds per
 * request (the client's share, fetch and JSON parsing, included). GRAPHQL_EXECUTOR is passed on.
 * PROFILE_CPU=<file>.cpuprofile records a CPU profile of the measured rounds only (open it in Chrome's
 * DevTools) and prints where the time went, by package and by function. Database: a scratch database on PROFILE_DATABASE_URL's server
 * (default the local one), dropped at the end.
 */
const QUERY = `query Nested { organizations(first: 50) { edges { node { facilities { edges { node { code organization { name } } } } } } } }`;

async function main(): Promise<void> {
  const base = process.env.PROFILE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `prof_${process.pid}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const url = base.replace(/\/[^/]*$/, `/${name}`);
  try {
    const urls = { mode: 'single' as const, primary: url, data: url };
    const dbs = await openDatabases(urls, { pool: { primary: 2, data: 2 } });
    await migrateAll(dbs);
    await seedCustomers(dbs, { organizations: 50, facilitiesPerOrganization: 20 });
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      // GRAPHQL_EXECUTOR=graphql-js profiles the interpreted path for comparison.
      ...(process.env.GRAPHQL_EXECUTOR && { GRAPHQL_EXECUTOR: process.env.GRAPHQL_EXECUTOR }),
    });
    const app = await createApp(config, urls, createLogger(config.logLevel));
    const who = await signInAdmin(dbs, app.gateway.url);
    const send = async () => {
      const res = await fetch(app.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${who.token}` },
        body: JSON.stringify({ query: QUERY }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    for (let i = 0; i < 20; i++) await send();
    const n = Number(process.env.PROFILE_ROUNDS ?? 60);
    const samples: number[] = [];
    const concurrency = Number(process.env.PROFILE_CONCURRENCY ?? 1);
    await profiled(process.env.PROFILE_CPU, async () => {
      for (let i = 0; i < n; i++) {
        const c = process.cpuUsage();
        await Promise.all(Array.from({ length: concurrency }, send));
        const d = process.cpuUsage(c);
        samples.push((d.user + d.system) / 1000 / concurrency);
      }
    });
    samples.sort((a, b) => a - b);
    console.log(
      `CPU ms per request: median ${samples[n >> 1]!.toFixed(1)}, p10 ${samples[Math.floor(n * 0.1)]!.toFixed(1)}`,
    );
    await app.close();
    await dbs.close();
  } finally {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}
void main();
