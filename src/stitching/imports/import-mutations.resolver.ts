import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { WorkspaceImport } from '../../data/imports/workspace-import.entity';
import { ImportKind } from '../../shared/imports/run-status';
import { ImportMode } from '../../data/imports/previews/import-mode';
import { ApplyImportInput, ApplyImportPayload } from './apply-import';
import { UploadScalar, type FileUpload } from './upload';
import { Permission } from '../../shared/permissions/permissions';
import type { StitchingContext } from '../stitching.context';

/**
 * Uploads over the GraphQL multipart request spec. Both answer at once with the PENDING import; the file
 * is processed in the background (poll `import(id)`). Clients must send `apollo-require-preflight: true`.
 */
@Resolver()
export class ImportMutationsResolver {
  @Authorized(Permission.ImportsRun)
  @Mutation(() => WorkspaceImport, {
    description:
      'CSV carrier_code,carrier_name,service_code,service_name: upserts carriers and services. Answers at ' +
      'once with the PENDING import (poll import(id)); TOO_MANY_REQUESTS when too many imports wait already.',
  })
  importCarriers(
    @Arg('file', () => UploadScalar, { description: 'The CSV file, with its header row.' })
    file: Promise<FileUpload>,
    @Ctx() ctx: StitchingContext,
  ): Promise<WorkspaceImport> {
    return startImport(ctx, ImportKind.CARRIERS, file);
  }

  @Authorized(Permission.ImportsRun)
  @Mutation(() => WorkspaceImport, {
    description:
      'CSV carrier_code,service_code,origin_zip3,destination_zip3,transit_days: replaces the matrix rows of ' +
      'every service in the file (mode PREVIEW: stages it and reports laneChanges instead; applyImport ' +
      'applies it). Answers at once with the PENDING import (poll import(id)); TOO_MANY_REQUESTS when too ' +
      'many imports wait already.',
  })
  importDeliveryMatrix(
    @Arg('file', () => UploadScalar, { description: 'The CSV file, with its header row.' })
    file: Promise<FileUpload>,
    @Arg('mode', () => ImportMode, {
      defaultValue: ImportMode.APPLY,
      description: 'APPLY (the default): replace the lanes at once; PREVIEW: stage and report the changes.',
    })
    mode: ImportMode,
    @Ctx() ctx: StitchingContext,
  ): Promise<WorkspaceImport> {
    return startImport(ctx, ImportKind.DELIVERY_MATRIX, file, mode);
  }

  @Authorized(Permission.ImportsRun)
  @Mutation(() => ApplyImportPayload, {
    description:
      'Applies a PREVIEWED import: exactly its staged file replaces the lanes of its services, in one ' +
      'transaction. CONFLICT with extensions.reason NOT_READY, APPLIED, FAILED, EXPIRED or STALE (another ' +
      'import replaced the same services after the preview); BAD_USER_INPUT for an import not made as a preview.',
  })
  async applyImport(
    @Arg('input', () => ApplyImportInput, { description: 'The preview to apply.' }) input: ApplyImportInput,
    @Ctx() ctx: StitchingContext,
  ): Promise<ApplyImportPayload> {
    return { import: await ctx.services.imports.apply(input.id) };
  }
}

async function startImport(
  ctx: StitchingContext,
  kind: ImportKind,
  file: Promise<FileUpload>,
  mode = ImportMode.APPLY,
): Promise<WorkspaceImport> {
  const upload = await file;
  const started = await ctx.services.imports.start(
    kind,
    upload.filename,
    upload.createReadStream(),
    ctx.viewer!.userId,
    undefined,
    mode,
  );
  return started.imp;
}
