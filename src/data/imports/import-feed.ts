import type { EntityManager } from '@mikro-orm/postgresql';
import { PgListener } from '../../platform/db/pg-listener';
import type { Logger } from '../../platform/logger';
import { RunStatus } from '../../shared/imports/run-status';
import { IMPORT_CHANNEL, parseNotice } from './import-notices';
import { WorkspaceImport } from './workspace-import.entity';

/** One subscriber of the feed: one import (by uuid) or every import (`id` null). */
export interface ImportWatcher {
  id: string | null;
  deliver(imp: WorkspaceImport): void;
  /** The listener is back after a drop: notices may have been missed, so re-read what is shown. */
  resync(missedMs: number): void;
}

const RETRY_READ_MS = 1000;
const MAX_READ_RETRIES = 30;
/** The most rows a catch-up (subscribe, or after a reconnect) sends to an `importsUpdated` subscriber. */
export const CATCH_UP_LIMIT = 100;

/**
 * The instance's one LISTEN on the data database's direct connection, fanned out to its subscribers. A
 * notice names an import; the feed reads that row once (concurrent notices for one import share a read)
 * and hands it to every watcher of it. Reads that fail are retried, so a final state is not lost to a blip.
 */
export class ImportFeed {
  private readonly listener: PgListener;
  private readonly byId = new Map<string, Set<ImportWatcher>>();
  private readonly everything = new Set<ImportWatcher>();
  private readonly reads = new Map<string, { again: boolean }>();
  private lostAt: number | null = null;

  constructor(
    url: string,
    private readonly fork: () => EntityManager,
    private readonly logger: Logger,
  ) {
    this.listener = new PgListener({
      url,
      channels: [IMPORT_CHANNEL],
      applicationName: 'gateway-imports',
      what: 'import listener',
      logger,
      onNotification: (_channel, payload) => this.receive(payload),
      onLost: () => {
        this.lostAt ??= Date.now();
      },
      onConnected: (reconnected) => {
        const missedMs = this.lostAt === null ? 0 : Date.now() - this.lostAt;
        this.lostAt = null;
        if (!reconnected) return;
        logger.info({ missedMs }, 'import listener reconnected; subscribers re-read their imports');
        for (const w of [...this.everything, ...[...this.byId.values()].flatMap((s) => [...s])])
          w.resync(missedMs);
      },
    });
  }

  get listening(): boolean {
    return this.listener.connected;
  }

  get watchers(): number {
    let n = this.everything.size;
    for (const set of this.byId.values()) n += set.size;
    return n;
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  stop(): Promise<void> {
    return this.listener.stop();
  }

  /** Registers a watcher; returns the function that removes it. */
  watch(watcher: ImportWatcher): () => void {
    if (watcher.id === null) this.everything.add(watcher);
    else {
      const set = this.byId.get(watcher.id) ?? new Set();
      set.add(watcher);
      this.byId.set(watcher.id, set);
    }
    return () => {
      if (watcher.id === null) return void this.everything.delete(watcher);
      const set = this.byId.get(watcher.id);
      set?.delete(watcher);
      if (set?.size === 0) this.byId.delete(watcher.id);
    };
  }

  read(id: string): Promise<WorkspaceImport | null> {
    return this.fork().findOne(WorkspaceImport, { id });
  }

  /**
   * What an `importsUpdated` subscriber is shown first, and again after a reconnect: the unfinished imports,
   * the ones it last saw unfinished, and those finished within `finishedWithinMs`; newest first.
   */
  catchUp(ids: string[], finishedWithinMs: number): Promise<WorkspaceImport[]> {
    const since = new Date(Date.now() - finishedWithinMs);
    return this.fork().find(
      WorkspaceImport,
      {
        $or: [
          { status: { $in: [RunStatus.PENDING, RunStatus.RUNNING, RunStatus.PREVIEWED] } },
          ...(ids.length ? [{ id: { $in: ids } }] : []),
          ...(finishedWithinMs > 0 ? [{ finishedAt: { $gte: since } }] : []),
        ],
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: CATCH_UP_LIMIT },
    );
  }

  private receive(payload: string): void {
    const notice = parseNotice(payload);
    if (!notice) return void this.logger.warn({ payload }, 'ignored a malformed import notice');
    if (this.everything.size === 0 && !this.byId.has(notice.id)) return; // nobody here is watching it
    this.refresh(notice.id, 0);
  }

  private refresh(id: string, attempt: number): void {
    const inFlight = this.reads.get(id);
    if (inFlight) return void (inFlight.again = true);
    const state = { again: false };
    this.reads.set(id, state);
    this.read(id)
      .then((imp) => {
        this.reads.delete(id);
        if (imp) for (const w of [...(this.byId.get(id) ?? []), ...this.everything]) w.deliver(imp);
        if (state.again) this.refresh(id, 0);
      })
      .catch((err: unknown) => {
        this.reads.delete(id);
        if (attempt >= MAX_READ_RETRIES) {
          this.logger.error({ err, importId: id }, 'could not read a changed import for its subscribers');
          return;
        }
        this.logger.warn({ err, importId: id }, 'could not read a changed import; retrying');
        setTimeout(() => this.refresh(id, attempt + 1), RETRY_READ_MS).unref();
      });
  }
}
