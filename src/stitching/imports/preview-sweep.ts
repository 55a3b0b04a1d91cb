import { expirePreviews, removeStagedRows } from '../../data/imports/previews/preview-expiry';
import type { Databases } from '../../platform/db/databases';
import type { Logger } from '../../platform/logger';
import { expireRuns } from '../../primary/integration-runs/integration-run.service';
import { SWEEP_EVERY_MS } from './import-liveness';
import { Periodic } from './periodic';

/**
 * Expires previews past their time and removes the staged rows of previews that are applied or expired,
 * on every instance, every sweep interval (the same as the recovery sweep's). Plain statements in short
 * transactions, like the recovery sweep: safe through PgBouncer, and harmless when two instances race.
 */
export class PreviewSweep {
  private readonly periodic: Periodic<{ expired: number; removedRows: number }>;
  /** Runs of expired previews whose update in primary has not succeeded yet. */
  private readonly runsToExpire = new Set<string>();

  constructor(
    private readonly dbs: Databases,
    private readonly logger: Logger,
    everyMs = SWEEP_EVERY_MS,
  ) {
    this.periodic = new Periodic(
      everyMs,
      () => this.pass(),
      (err) => logger.warn({ err }, 'could not sweep import previews'),
    );
  }

  /** One pass now: how many previews it expired, and how many staged rows it removed. */
  run(): Promise<{ expired: number; removedRows: number }> {
    return this.periodic.run();
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  private async pass(): Promise<{ expired: number; removedRows: number }> {
    const runIds = await expirePreviews(this.dbs.fork('data'));
    if (runIds.length) this.logger.info({ count: runIds.length }, 'import previews expired');
    // As for interrupted imports: the import (data) first, its run (primary) after, retried until it lands.
    runIds.forEach((id) => this.runsToExpire.add(id));
    const pending = [...this.runsToExpire];
    await expireRuns(this.dbs.fork('primary'), pending);
    pending.forEach((id) => this.runsToExpire.delete(id));
    const removedRows = await removeStagedRows(this.dbs.fork('data'));
    if (removedRows) this.logger.info({ rows: removedRows }, 'staged rows of import previews removed');
    return { expired: runIds.length, removedRows };
  }
}
