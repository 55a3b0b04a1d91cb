import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { applyPreview } from '../../data/imports/previews/apply-preview';
import { WorkspaceImport } from '../../data/imports/workspace-import.entity';
import { NotFoundError } from '../../platform/errors/errors';
import type { Logger } from '../../platform/logger';
import { finishRun } from '../../primary/integration-runs/integration-run.service';
import { keyOf } from '../../shared/graphql/global-id';
import { RunStatus } from '../../shared/imports/run-status';
import type { EntityManager } from '@mikro-orm/postgresql';

@InputType({ description: 'The preview to apply.' })
export class ApplyImportInput {
  @Field(() => ID, {
    description: 'The Import (mode PREVIEW) whose staged file is applied; NOT_FOUND if none.',
  })
  id!: string;
}

@ObjectType({ description: 'The outcome of applyImport.' })
export class ApplyImportPayload {
  @Field(() => WorkspaceImport, { description: 'The import, now SUCCEEDED, with rowsImported.' })
  import!: WorkspaceImport;
}

/**
 * Applies a preview (data, one transaction), then closes its integration run (primary). No transaction
 * spans the two: with primary unreachable the matrix is applied and the run stays PREVIEWED, logged.
 */
export async function applyImport(
  em: { data: EntityManager; primary: EntityManager },
  logger: Logger,
  importId: string,
): Promise<WorkspaceImport> {
  const id = keyOf('Import', importId, 'input.id');
  if (!id) throw new NotFoundError('Import', importId);
  const applied = await applyPreview(em.data, id);
  if (applied.integrationRunId) {
    await finishRun(em.primary, applied.integrationRunId, {
      status: RunStatus.SUCCEEDED,
      rowsTotal: applied.rowsTotal,
      rowsImported: applied.rowsImported,
      rowsRejected: 0,
      errorSummary: null,
    }).catch((err: unknown) =>
      logger.warn({ err, importId: id }, 'preview applied; its integration run could not be closed'),
    );
  }
  logger.info({ importId: id, rowsImported: applied.rowsImported }, 'import preview applied');
  return em.data.findOneOrFail(WorkspaceImport, { id }, { refresh: true });
}
