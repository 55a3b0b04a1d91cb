import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeImport, type ImportOutcome } from '../../data/imports/import-executor';
import { createImport, failInterruptedImports, markImportFailed } from '../../data/imports/import-records';
import type { WorkspaceImport } from '../../data/imports/workspace-import.entity';
import type { Databases } from '../../platform/db/databases';
import {
  createIntegrationRun,
  failRuns,
  finishRun,
  markRunRunning,
} from '../../primary/integration-runs/integration-run.service';
import { TooManyRequestsError } from '../../platform/errors/errors';
import { type ImportKind, RunStatus } from '../../shared/imports/run-status';
import type { Logger } from '../../platform/logger';
import { Slots } from './import-slots';

export interface StartedImport {
  imp: WorkspaceImport;
  /** Settles when processing ends; never rejects (an unexpected error marks both rows FAILED). */
  done: Promise<ImportOutcome>;
}

const INTERNAL_FAILURE =
  'The import stopped on an internal error; nothing was imported. The gateway log has details.';

/**
 * Orchestrates imports across both databases: the import row lives in data, its integration run in
 * primary. Built once per process; processing runs in the background and `close` waits for it.
 */
export class ImportRunner {
  private readonly inFlight = new Set<Promise<ImportOutcome>>();
  private readonly slots: Slots;

  constructor(
    private readonly dbs: Databases,
    private readonly logger: Logger,
    private readonly progressEvery = 1000,
    concurrency = 2,
  ) {
    this.slots = new Slots(concurrency);
  }

  /** How many uploads may wait for a slot; beyond that an upload is refused (TOO_MANY_REQUESTS). */
  get maxWaiting(): number {
    return this.slots.size * 4;
  }

  /** Imports being processed now, and uploads waiting (PENDING) for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.slots.taken, waiting: this.slots.waiting };
  }

  private ems(): { data: EntityManager; primary: EntityManager } {
    return {
      data: this.dbs.fork('data'),
      primary: this.dbs.fork('primary'),
    };
  }

  /** Records the import and its run, then processes the stream in the background. */
  async start(
    kind: ImportKind,
    fileName: string,
    input: Readable,
    userId: string | null,
    onProgress?: (rows: number, bytes: number) => void,
  ): Promise<StartedImport> {
    if (this.slots.full && this.slots.waiting >= this.maxWaiting) {
      input.resume(); // discard the file so the client gets its answer
      throw new TooManyRequestsError(
        `${this.slots.waiting} imports are already waiting for their turn; try again in a few minutes.`,
        60,
      );
    }
    const ids = { importId: randomUUID(), runId: randomUUID() };
    const em = this.ems();
    let imp: WorkspaceImport;
    try {
      imp = await createImport(em.data, {
        id: ids.importId,
        kind,
        fileName: path.basename(fileName || 'upload.csv').slice(0, 255),
        createdByUserId: userId,
        integrationRunId: ids.runId,
      });
      await createIntegrationRun(em.primary, {
        id: ids.runId,
        kind,
        startedByUserId: userId,
        importId: ids.importId,
      });
    } catch (err) {
      input.resume(); // let the upload finish so the client gets its answer
      await this.failBoth(ids, err);
      throw err;
    }
    const done = this.process(kind, ids, input, onProgress);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return { imp, done };
  }

  private async process(
    kind: ImportKind,
    ids: { importId: string; runId: string },
    input: Readable,
    onProgress?: (rows: number, bytes: number) => void,
  ): Promise<ImportOutcome> {
    const em = this.ems();
    // A bounded number run at once: each holds a data connection for its whole run. Waiting ones stay
    // PENDING and their upload is not read until then, so a client's upload waits on the socket, not in memory.
    // Until the pipeline listens, an upload that breaks off (the client went away) must not crash the process.
    input.on('error', () => undefined);
    const slot = await this.slots.take();
    const release = slot ?? (() => undefined);
    // One that broke off while waiting is already destroyed and would never end, and one still waiting when
    // the gateway stops will not get a slot: hand the pipeline a stream that fails the way a broken upload
    // does, so the import is recorded FAILED as unreadable (and can be sent again).
    if (!slot) {
      input.resume();
      input = brokenUpload(new Error('the gateway stopped before it could start this import'));
    } else if (input.destroyed && !input.readableEnded) input = brokenUpload(input.errored);
    try {
      await markRunRunning(em.primary, ids.runId);
      const outcome = await executeImport(em.data, kind, ids.importId, input, {
        progressEvery: this.progressEvery,
        onProgress,
      });
      await finishRun(em.primary, ids.runId, outcome);
      this.logger.info({ importId: ids.importId, kind, ...outcome }, 'import finished');
      return outcome;
    } catch (err) {
      if (!input.readableEnded) input.resume();
      await this.failBoth(ids, err);
      return {
        status: RunStatus.FAILED,
        rowsTotal: 0,
        rowsImported: 0,
        rowsRejected: 0,
        errorSummary: INTERNAL_FAILURE,
      };
    } finally {
      release();
    }
  }

  private async failBoth(ids: { importId: string; runId: string }, err: unknown): Promise<void> {
    this.logger.error({ err, importId: ids.importId }, 'import failed unexpectedly');
    const em = this.ems();
    const failure = {
      sha256: null,
      rowsTotal: 0,
      rowsRejected: 0,
      errorSummary: INTERNAL_FAILURE,
      errors: [],
    };
    await markImportFailed(em.data, ids.importId, failure).catch(() => undefined);
    await failRuns(em.primary, [ids.runId], INTERNAL_FAILURE).catch(() => undefined);
  }

  /**
   * At start: imports left PENDING or RUNNING by a process that died are marked FAILED, with their runs.
   * The matrix needs no repair: an import changes it only in its final, single transaction.
   */
  async recoverInterrupted(): Promise<number> {
    const em = this.ems();
    const runIds = await failInterruptedImports(em.data);
    await failRuns(em.primary, runIds, 'Interrupted: the gateway stopped before the import finished.');
    if (runIds.length) this.logger.warn({ count: runIds.length }, 'interrupted imports marked FAILED');
    return runIds.length;
  }

  /** Fails the uploads still waiting for a slot, then waits for the running imports to end. */
  async close(): Promise<void> {
    this.slots.close();
    await Promise.allSettled([...this.inFlight]);
  }
}

function brokenUpload(reason: Error | null): Readable {
  const error = reason ?? new Error('the upload was closed before its end');
  return new Readable({
    read() {
      this.destroy(error);
    },
  });
}
