import { EventQueue } from '../../shared/async/event-queue';
import { RunStatus } from '../../shared/imports/run-status';
import type { ImportFeed } from './import-feed';
import { isFinished } from './import-notices';
import type { WorkspaceImport } from './workspace-import.entity';

const RANK: Record<RunStatus, number> = {
  [RunStatus.PENDING]: 0,
  [RunStatus.RUNNING]: 1,
  [RunStatus.PREVIEWED]: 2,
  [RunStatus.SUCCEEDED]: 3,
  [RunStatus.FAILED]: 3,
  [RunStatus.EXPIRED]: 3,
};

/** Reads race one another (a subscribe's first read, a notice's): never show an older state after a newer one. */
function advances(prev: WorkspaceImport | undefined, next: WorkspaceImport): boolean {
  if (!prev) return true;
  if (RANK[next.status] !== RANK[prev.status]) return RANK[next.status] > RANK[prev.status];
  if (isFinished(prev.status)) return false; // a finished import does not change
  return next.rowsProcessed > prev.rowsProcessed || next.rowsTotal !== prev.rowsTotal;
}

/** A margin for the clocks of gateway and database, when a catch-up asks for imports finished lately. */
const CLOCK_MARGIN_MS = 5000;

/**
 * One import's states: the current one first, then each change, ending after the final one (SUCCEEDED,
 * FAILED or EXPIRED; a PREVIEWED import goes on until applied or expired). `id` null (not an Import id) or an import that does not exist: one null, then the end.
 */
export function watchImport(feed: ImportFeed, id: string | null): EventQueue<WorkspaceImport | null> {
  let shown: WorkspaceImport | undefined;
  let unwatch = () => undefined as void;
  const queue = new EventQueue<WorkspaceImport | null>(() => unwatch());
  const offer = (imp: WorkspaceImport | null) => {
    if (imp === null) {
      if (!shown) queue.push(null);
      return queue.end();
    }
    if (!advances(shown, imp)) return;
    shown = imp;
    queue.push(imp);
    if (isFinished(imp.status)) queue.end();
  };
  if (id === null) {
    offer(null);
    return queue;
  }
  const readNow = () => feed.read(id).then(offer, (err: unknown) => queue.fail(err));
  // Watch first, then read: a change committed in between is either in the read or announced to the watcher.
  unwatch = feed.watch({ id, deliver: offer, resync: () => void readNow() });
  void readNow();
  return queue;
}

/**
 * Every import's changes, for a caller who may read them all (`imports`' visibility: imports:read sees every
 * import). First the current state of the unfinished ones; after a listener reconnect, again those and the
 * ones finished while it was away, so no final state is missed.
 */
export function watchImports(feed: ImportFeed): EventQueue<WorkspaceImport> {
  const shown = new Map<string, WorkspaceImport>();
  let unwatch = () => undefined as void;
  const queue = new EventQueue<WorkspaceImport>(() => unwatch());
  const offer = (imp: WorkspaceImport) => {
    if (!advances(shown.get(imp.id), imp)) return;
    shown.delete(imp.id); // re-inserted last: the map's order is by last change, oldest first
    shown.set(imp.id, imp);
    // Kept for dedup and catch-up; bounded, forgetting the imports that changed longest ago.
    if (shown.size > 1000) shown.delete(shown.keys().next().value!);
    queue.push(imp);
  };
  const catchUp = (missedMs: number) => {
    const unfinished = [...shown.values()].filter((i) => !isFinished(i.status)).map((i) => i.id);
    const within = missedMs > 0 ? missedMs + CLOCK_MARGIN_MS : 0;
    return feed.catchUp(unfinished, within).then(
      (rows) => rows.reverse().forEach(offer),
      (err: unknown) => queue.fail(err),
    );
  };
  unwatch = feed.watch({ id: null, deliver: offer, resync: (missedMs) => void catchUp(missedMs) });
  void catchUp(0);
  return queue;
}
