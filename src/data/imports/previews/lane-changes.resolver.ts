import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { CarrierService } from '../../carriers/carrier-service.entity';
import { RunStatus } from '../../../shared/imports/run-status';
import type { DataContext } from '../../data.context';
import { WorkspaceImport } from '../workspace-import.entity';
import { ImportMode } from './import-mode';
import { ServiceLaneChanges } from './lane-changes.types';

const MADE = [RunStatus.PREVIEWED, RunStatus.SUCCEEDED, RunStatus.EXPIRED];

@Resolver(() => WorkspaceImport)
export class ImportLaneChangesResolver {
  @FieldResolver(() => [ServiceLaneChanges], {
    nullable: true,
    description:
      'A preview: per carrier service in the file (by carrier then service code), the lanes it adds, ' +
      'removes and changes against the matrix as it was when the preview was made. Null for an APPLY ' +
      'import, and until the preview is made (PREVIEWED; kept once applied or expired).',
  })
  laneChanges(@Root() imp: WorkspaceImport, @Ctx() ctx: DataContext): Promise<ServiceLaneChanges[]> | null {
    if (imp.mode !== ImportMode.PREVIEW || !MADE.includes(imp.status)) return null;
    return ctx.loaders.data.laneChangesByImportId.load(imp.id);
  }
}

@Resolver(() => ServiceLaneChanges)
export class ServiceLaneChangesResolver {
  @FieldResolver(() => CarrierService, { description: 'The carrier service whose lanes these are.' })
  async service(@Root() changes: ServiceLaneChanges, @Ctx() ctx: DataContext): Promise<CarrierService> {
    const service = await ctx.loaders.data.serviceById.load(changes.carrierServiceId);
    if (!service) throw new Error(`carrier service ${changes.carrierServiceId} not found`);
    return service;
  }
}
