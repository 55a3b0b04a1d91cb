import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { executeImport, type ImportOutcome } from '../../data/imports/import-executor';
import type { WorkspaceImport } from '../../data/imports/workspace-import.entity';
import type { Databases } from '../../platform/db/databases';
import { finishRun, markRunRunning } from '../../primary/integration-runs/integration-run.service';
import { TooManyRequestsError } from '../../platform/errors/errors';
import type { ImportKind } from '../../shared/imports/run-status';
import { ImportMode } from '../../data/imports/previews/import-mode';
import type { Logger } from '../../platform/logger';
import { Slots } from './import-slots';
import { ImportLiveness, type LivenessOptions } from './import-liveness';
import { brokenUpload, failBoth, internalFailure, recordBoth, type ImportIds } from './import-and-run';
import { PreviewSweep } from './preview-sweep';
import { applyImport } from './apply-import';

/** How long a preview can be applied after it is made, unless IMPORT_PREVIEW_TTL_HOURS says otherwise. */
export const DEFAULT_PREVIEW_TTL_HOURS = 24;

export interface StartedImport {
  imp: WorkspaceImport;
  /** Settles when processing ends; never rejects (an unexpected error marks both rows FAILED). */
  done: Promise<ImportOutcome>;
}

/**
 * Orchestrates imports across both databases: the import row lives in data, its integration run in
 * primary. Built once per process; processing runs in the background and `close` waits for it. The
 * imports it records are owned by it and kept alive by its heartbeat (import-liveness.ts).
 */
export class ImportRunner {
  private readonly inFlight = new Set<Promise<ImportOutcome>>();
  private readonly slots: Slots;
  private readonly liveness: ImportLiveness;
  /** Expires previews and removes their staged rows, beside the recovery sweep. */
  readonly previews: PreviewSweep;

  constructor(
    private readonly dbs: Databases,
    private readonly logger: Logger,
    private readonly progressEvery = 1000,
    concurrency = 2,
    liveness: LivenessOptions = {},
    private readonly previewTtlHours = DEFAULT_PREVIEW_TTL_HOURS,
  ) {
    this.slots = new Slots(concurrency);
    this.liveness = new ImportLiveness(dbs, logger, () => this.inFlight.size > 0, liveness);
    this.previews = new PreviewSweep(dbs, logger, liveness.sweepEveryMs);
  }

  /** The owner id written on this instance's imports (`owner_id`). */
  get instanceId(): string {
    return this.liveness.instanceId;
  }

  /** How many uploads may wait for a slot; beyond that an upload is refused (TOO_MANY_REQUESTS). */
  get maxWaiting(): number {
    return this.slots.size * 4;
  }

  /** Imports being processed now, and uploads waiting (PENDING) for a slot. */
  get load(): { running: number; waiting: number } {
    return { running: this.slots.taken, waiting: this.slots.waiting };
  }

  /** Records the import and its run, then processes the stream in the background. */
  async start(
    kind: ImportKind,
    fileName: string,
    input: Readable,
    userId: string | null,
    onProgress?: (rows: number, bytes: number) => void,
    /** PREVIEW (a delivery matrix only): stage the file and report its changes; applyImport applies it. */
    mode: ImportMode = ImportMode.APPLY,
  ): Promise<StartedImport> {
    if (this.slots.full && this.slots.waiting >= this.maxWaiting) {
      input.resume(); // discard the file so the client gets its answer
      throw new TooManyRequestsError(
        `${this.slots.waiting} imports are already waiting for their turn; try again in a few minutes.`,
        60,
      );
    }
    const ids = { importId: randomUUID(), runId: randomUUID() };
    const imp = await recordBoth(this.dbs, this.logger, ids, {
      kind,
      fileName,
      userId,
      ownerId: this.liveness.instanceId,
      mode,
    }).catch((err: unknown) => {
      input.resume(); // let the upload finish so the client gets its answer
      throw err;
    });
    const done = this.process(kind, ids, input, onProgress, mode);
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return { imp, done };
  }

  private async process(
    kind: ImportKind,
    ids: ImportIds,
    input: Readable,
    onProgress: ((rows: number, bytes: number) => void) | undefined,
    mode: ImportMode,
  ): Promise<ImportOutcome> {
    const em = { data: this.dbs.fork('data'), primary: this.dbs.fork('primary') };
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
        preview: mode === ImportMode.PREVIEW ? { ttlHours: this.previewTtlHours } : undefined,
      });
      await finishRun(em.primary, ids.runId, outcome);
      this.logger.info({ importId: ids.importId, kind, ...outcome }, 'import finished');
      return outcome;
    } catch (err) {
      if (!input.readableEnded) input.resume();
      await failBoth(this.dbs, this.logger, ids, err);
      return internalFailure();
    } finally {
      release();
    }
  }

  /** Applies a preview's staged file (applyImport); refusals are CONFLICT errors (apply-preview.ts). */
  apply(importId: string): Promise<WorkspaceImport> {
    const em = { data: this.dbs.fork('data'), primary: this.dbs.fork('primary') };
    return applyImport(em, this.logger, importId);
  }

  /**
   * One recovery pass: fails the imports (and runs) whose owner is gone, on whichever instance it runs.
   * Another live instance's imports are left alone, PENDING ones included.
   */
  recoverInterrupted(): Promise<number> {
    return this.liveness.recover();
  }

  /** At start: one recovery pass now (returned), then one every sweep interval until `close`. */
  startRecovery(): Promise<number> {
    this.previews.start();
    return this.liveness.startSweeping();
  }

  /**
   * Stops the heartbeat and the sweep, fails the uploads still waiting for a slot (this instance's own
   * PENDING imports, nobody else's), then waits for the running imports to end. One still running when the
   * process exits is rolled back by the database with its connection, and stays RUNNING until another
   * instance's sweep finds its heartbeat stale and its lock free.
   */
  async close(): Promise<void> {
    this.slots.close();
    await Promise.all([this.liveness.stop(), this.previews.stop()]);
    await Promise.allSettled([...this.inFlight]);
  }
}
