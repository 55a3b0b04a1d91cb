import type { EntityManager } from '@mikro-orm/postgresql';
import { RunStatus } from '../../shared/imports/run-status';

/**
 * Every change of an import's row is announced with NOTIFY on this channel of the data database, so each
 * gateway instance (one LISTEN each, import-feed.ts) can tell its subscribers. The payload only names the
 * import and its status (NOTIFY caps payloads at 8000 bytes); listeners read the row by id.
 */
export const IMPORT_CHANNEL = 'gateway_import_changes';

export interface ImportNotice {
  id: string;
  status: RunStatus;
}

const STATUSES = new Set<string>(Object.values(RunStatus));

export function parseNotice(payload: string): ImportNotice | null {
  try {
    const notice = JSON.parse(payload) as Partial<ImportNotice> | null;
    if (typeof notice?.id !== 'string' || !STATUSES.has(notice.status ?? '')) return null;
    return { id: notice.id, status: notice.status! };
  } catch {
    return null;
  }
}

/** Final for a watcher: a PREVIEWED import still moves on, to SUCCEEDED when applied or to EXPIRED. */
export const isFinished = (status: RunStatus): boolean =>
  status === RunStatus.SUCCEEDED || status === RunStatus.FAILED || status === RunStatus.EXPIRED;

/**
 * The SQL expression of a notice for a row of `workspace_import` in scope as "id" and "status", for
 * statements that NOTIFY in the transaction that changes the row: the notice then goes out on commit,
 * never before the row it announces can be read, and never for a change rolled back.
 */
export const NOTIFY_ROW_SQL = `pg_notify('${IMPORT_CHANNEL}', json_build_object('id', "id", 'status', "status")::text)`;

/** A NOTIFY sent now on the data pool (in the caller's transaction when `em` is in one). */
export async function notifyImport(em: EntityManager, id: string, status: RunStatus): Promise<void> {
  await em.execute('select pg_notify(?, ?)', [IMPORT_CHANNEL, JSON.stringify({ id, status })]);
}

/** The most notices one import's progress sends: a few a second, whatever IMPORT_PROGRESS_EVERY is. */
export const PROGRESS_NOTICE_EVERY_MS = 250;

/**
 * Coalesces the progress notices of the imports this process runs: at most one per import per interval.
 * A change inside the interval is sent at its end (so the last count before a long apply is not held back);
 * changes of status are sent at once by their own writes (import-records.ts), not through here.
 */
export class ProgressNotices {
  private readonly last = new Map<string, number>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly send: (id: string) => Promise<void>,
    private readonly everyMs = PROGRESS_NOTICE_EVERY_MS,
  ) {}

  changed(id: string): void {
    if (this.trailing.has(id)) return; // the one scheduled carries this change too (listeners read the row)
    const wait = (this.last.get(id) ?? -Infinity) + this.everyMs - Date.now();
    if (wait <= 0) return this.fire(id);
    const timer = setTimeout(() => {
      this.trailing.delete(id);
      this.fire(id);
    }, wait);
    timer.unref();
    this.trailing.set(id, timer);
  }

  /** The import has finished (its final notice went out with the final write): nothing more to send. */
  finished(id: string): void {
    clearTimeout(this.trailing.get(id));
    this.trailing.delete(id);
    this.last.delete(id);
  }

  private fire(id: string): void {
    this.last.set(id, Date.now());
    // A lost progress notice is harmless: the next one, or the final one, carries the newer state.
    this.send(id).catch(() => undefined);
  }
}
