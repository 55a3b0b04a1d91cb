import { randomUUID } from 'node:crypto';
import { failInterruptedImports, heartbeatImports } from '../../data/imports/import-records';
import type { Databases } from '../../platform/db/databases';
import type { Logger } from '../../platform/logger';
import { failRuns } from '../../primary/integration-runs/integration-run.service';
import { Periodic } from './periodic';

/** How often an instance refreshes the heartbeat of its unfinished imports (one UPDATE for all of them). */
export const HEARTBEAT_EVERY_MS = 10_000;
/** Three heartbeats missed in a row: the owner is gone, not merely in a long GC pause or a slow statement. */
export const STALE_AFTER_MS = 3 * HEARTBEAT_EVERY_MS;
/** How often every instance looks for imports whose owner is gone (so nobody has to restart for it). */
export const SWEEP_EVERY_MS = 30_000;

/** Shorter intervals are for tests; production uses the constants above on every instance. */
export interface LivenessOptions {
  heartbeatEveryMs?: number;
  staleAfterMs?: number;
  sweepEveryMs?: number;
}

const RUN_INTERRUPTED = 'Interrupted: the gateway stopped before the import finished.';

/**
 * Which imports have a live owner. Every import row names its owner (`owner_id`, this instance's id) and
 * carries a heartbeat the owner refreshes while the import is unfinished. Recovery, at start and then
 * periodically on every instance, fails only imports whose heartbeat is stale and whose advisory lock is
 * free, with their runs. All of it is plain statements in short transactions: no session state (advisory
 * session locks, LISTEN), so it works through PgBouncer in transaction mode.
 */
export class ImportLiveness {
  /** This process as an owner: random, new for each runner, so a restarted instance is a new owner. */
  readonly instanceId = randomUUID();
  private readonly staleAfterMs: number;
  private readonly heartbeat: Periodic<void>;
  private readonly sweep: Periodic<number>;
  /** Runs whose import a pass failed but whose own update in primary has not succeeded yet. */
  private readonly runsToFail = new Set<string>();

  constructor(
    private readonly dbs: Databases,
    private readonly logger: Logger,
    /** Whether this instance has imports in flight; with none, a heartbeat would be a wasted statement. */
    hasImports: () => boolean,
    options: LivenessOptions = {},
  ) {
    const heartbeatEveryMs = options.heartbeatEveryMs ?? HEARTBEAT_EVERY_MS;
    this.staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
    if (this.staleAfterMs < 2 * heartbeatEveryMs) {
      throw new Error('staleAfterMs must be at least twice heartbeatEveryMs, or live imports look stale');
    }
    this.heartbeat = new Periodic(
      heartbeatEveryMs,
      async () => {
        if (hasImports()) await heartbeatImports(dbs.fork('data'), this.instanceId);
      },
      (err) => logger.warn({ err }, 'could not refresh the heartbeat of running imports'),
    );
    this.sweep = new Periodic(
      options.sweepEveryMs ?? SWEEP_EVERY_MS,
      () => this.failOrphans(),
      (err) => logger.warn({ err }, 'could not check for interrupted imports'),
    );
    this.heartbeat.start();
  }

  /** One recovery pass now; returns how many imports it failed. */
  recover(): Promise<number> {
    return this.sweep.run();
  }

  /** Recovers now (the returned pass), then every sweep interval until `stop`. */
  startSweeping(): Promise<number> {
    this.sweep.start();
    return this.recover();
  }

  /**
   * Stops both timers and waits for a pass in progress. Stopping the heartbeat when the instance starts to
   * shut down is safe: it takes no new import, its waiting ones it fails itself, and a running one keeps its
   * advisory lock (so no sweep touches it) until its transaction commits, or dies with the process.
   */
  async stop(): Promise<void> {
    await Promise.all([this.heartbeat.stop(), this.sweep.stop()]);
  }

  /** The matrix needs no repair: an import changes it only in its final, single transaction. */
  private async failOrphans(): Promise<number> {
    const runIds = await failInterruptedImports(this.dbs.fork('data'), {
      staleAfterMs: this.staleAfterMs,
      exceptOwner: this.instanceId,
    });
    if (runIds.length)
      this.logger.warn({ count: runIds.length, runIds }, 'interrupted imports marked FAILED');
    // No transaction spans the databases: the import (data) is failed first, its run (primary) after. With
    // primary unreachable now, the next pass would not find these imports again, so it retries their runs.
    runIds.forEach((id) => this.runsToFail.add(id));
    const pending = [...this.runsToFail];
    await failRuns(this.dbs.fork('primary'), pending, RUN_INTERRUPTED);
    pending.forEach((id) => this.runsToFail.delete(id));
    return runIds.length;
  }
}
