import type { DatabaseUrls, Databases } from '../../src/platform/db/databases';
import type { ServerChild } from './child';
import type { BenchServer } from './databases';
import type { LoadResult, LoadSettings } from './load';
import type { CustomerSizes, SignedIn } from './seed';

/** Everything a scenario may use; run.ts builds it once and tears it down after the last scenario. */
export interface BenchContext {
  quick: boolean;
  server: BenchServer;
  /** The harness's own ORMs on the bench databases (seeding, users); never the servers under test. */
  dbs: Databases;
  primaryDatabase: string;
  /** The bench databases, as the gateways reach them. */
  urls: DatabaseUrls;
  load: LoadSettings;
  customers: CustomerSizes;
  /** The gateway with its real session cache, shared by the scenarios that need one. */
  gateway: ServerChild;
  admin: SignedIn;
  /** Starts another gateway process on the same databases (or the same ones reached another way); the caller stops it. */
  startGateway(sessionCache: 'on' | 'off', urls?: DatabaseUrls): Promise<ServerChild>;
}

/** One server's figures in a scenario. */
export interface Measurement extends LoadResult {
  subject: string;
}

export interface Check {
  what: string;
  value: number;
  /** Human-readable target, e.g. "≥ 1.00". */
  target: string;
  met: boolean;
}

export interface ScenarioResult {
  name: string;
  title: string;
  status: 'done' | 'pending';
  measurements: Measurement[];
  checks: Check[];
  notes: string[];
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

export const atLeast = (what: string, value: number, min: number, digits = 2): Check => ({
  what,
  value,
  target: `≥ ${min.toFixed(digits)}`,
  met: value >= min,
});

export const atMost = (what: string, value: number, max: number, digits = 2): Check => ({
  what,
  value,
  target: `≤ ${max.toFixed(digits)}`,
  met: value <= max,
});

/** A scenario whose feature has not reached main yet: listed in the report, never silently dropped. */
export const pending = (name: string, title: string, why: string): Scenario => ({
  name,
  title,
  run: async () => ({ name, title, status: 'pending', measurements: [], checks: [], notes: [why] }),
});

/** A ratio reported for information, with no target attached. */
export const info = (what: string, value: number): Check => ({ what, value, target: '—', met: true });
