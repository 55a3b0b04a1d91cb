import type { EntityManager } from '@mikro-orm/postgresql';
import { type ImportKind, RunStatus } from '../../shared/imports/run-status';
import { IntegrationRun } from './integration-run.entity';

export async function createIntegrationRun(
  em: EntityManager,
  data: { id: string; kind: ImportKind; startedByUserId: string | null; importId: string },
): Promise<IntegrationRun> {
  const run = em.create(IntegrationRun, data);
  await em.flush();
  return run;
}

export async function markRunRunning(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(IntegrationRun, { id }, { status: RunStatus.RUNNING });
}

export interface RunResult {
  /** PREVIEWED: a preview's file is staged; SUCCEEDED follows when it is applied. */
  status: RunStatus.SUCCEEDED | RunStatus.FAILED | RunStatus.PREVIEWED;
  rowsTotal: number;
  rowsImported: number;
  rowsRejected: number;
  errorSummary: string | null;
}

export async function finishRun(em: EntityManager, id: string, result: RunResult): Promise<void> {
  await em.nativeUpdate(IntegrationRun, { id }, { ...result, finishedAt: new Date() });
}

/** Marks the given unfinished runs FAILED with the reason; finished ones are left as they are. */
export async function failRuns(em: EntityManager, ids: string[], errorSummary: string): Promise<number> {
  if (!ids.length) return 0;
  return em.nativeUpdate(
    IntegrationRun,
    { id: { $in: ids }, status: { $in: [RunStatus.PENDING, RunStatus.RUNNING] } },
    { status: RunStatus.FAILED, errorSummary, finishedAt: new Date() },
  );
}

/** The runs of previews that expired unapplied: PREVIEWED -> EXPIRED (any other status is left alone). */
export async function expireRuns(em: EntityManager, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  return em.nativeUpdate(
    IntegrationRun,
    { id: { $in: ids }, status: RunStatus.PREVIEWED },
    { status: RunStatus.EXPIRED },
  );
}
