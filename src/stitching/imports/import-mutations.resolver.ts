import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { WorkspaceImport } from '../../data/imports/workspace-import.entity';
import { ImportKind } from '../../shared/imports/run-status';
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
      'every service in the file. Answers at once with the PENDING import (poll import(id)); ' +
      'TOO_MANY_REQUESTS when too many imports wait already.',
  })
  importDeliveryMatrix(
    @Arg('file', () => UploadScalar, { description: 'The CSV file, with its header row.' })
    file: Promise<FileUpload>,
    @Ctx() ctx: StitchingContext,
  ): Promise<WorkspaceImport> {
    return startImport(ctx, ImportKind.DELIVERY_MATRIX, file);
  }
}

async function startImport(
  ctx: StitchingContext,
  kind: ImportKind,
  file: Promise<FileUpload>,
): Promise<WorkspaceImport> {
  const upload = await file;
  const started = await ctx.services.imports.start(
    kind,
    upload.filename,
    upload.createReadStream(),
    ctx.viewer!.userId,
  );
  return started.imp;
}
