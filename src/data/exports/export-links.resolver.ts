import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { toGlobalId } from '../../shared/graphql/global-id';
import { Permission } from '../../shared/permissions/permissions';
import type { DataContext } from '../data.context';
import { CarrierService } from '../carriers/carrier-service.entity';
import { Carrier } from '../carriers/carrier.entity';
import { WorkspaceImport } from '../imports/workspace-import.entity';
import { EXPORT_ROUTES, deliveryMatrixExportUrl, importErrorsExportUrl } from './export-paths';

/**
 * Links to the CSV downloads (docs/EXPORTS.md): relative URLs, fetched with the same session (bearer token
 * or cookie) as /graphql. Each sits on what it exports; the two whole files on Query. Building a link reads
 * nothing: the download checks its permission and finds its rows when it is fetched.
 */
@Resolver()
export class ExportLinksResolver {
  @Authorized(Permission.ExportsRead)
  @Query(() => String, {
    nullable: true,
    description:
      'Where to download every carrier service as a carriers CSV (the importCarriers format), by carrier and ' +
      'service code. Needs exports:read.',
  })
  carriersExportUrl(): string {
    return EXPORT_ROUTES.carriers;
  }

  @Authorized(Permission.ExportsRead)
  @Query(() => String, {
    nullable: true,
    description:
      'Where to download the whole delivery matrix as a CSV in the importDeliveryMatrix format, by lane ' +
      '(origin_zip3, destination_zip3), then carrier and service code. Needs exports:read.',
  })
  deliveryMatrixExportUrl(): string {
    return deliveryMatrixExportUrl();
  }
}

@Resolver(() => Carrier)
export class CarrierExportLinkResolver {
  @Authorized(Permission.ExportsRead)
  @FieldResolver(() => String, {
    description:
      "Where to download this carrier's lanes (all its services) as a delivery-matrix CSV; importing that " +
      'file back changes nothing. Needs exports:read.',
  })
  deliveryMatrixExportUrl(@Root() carrier: Carrier): string {
    return deliveryMatrixExportUrl(carrier.code);
  }
}

@Resolver(() => CarrierService)
export class CarrierServiceExportLinkResolver {
  @Authorized(Permission.ExportsRead)
  @FieldResolver(() => String, {
    description:
      "Where to download this service's lanes as a delivery-matrix CSV; importing that file back changes " +
      'nothing. Needs exports:read.',
  })
  async deliveryMatrixExportUrl(@Root() service: CarrierService, @Ctx() ctx: DataContext): Promise<string> {
    // The carrier is usually in the identity map already; the loader batches the other case.
    const carrier =
      service.carrier.code !== undefined
        ? service.carrier
        : await ctx.loaders.data.carrierById.load(service.carrier.id);
    return deliveryMatrixExportUrl(carrier!.code, service.code);
  }
}

@Resolver(() => WorkspaceImport)
export class ImportExportLinkResolver {
  @FieldResolver(() => String, {
    description:
      "Where to download this import's rejected rows (the first 1000, as errors lists them) as a CSV of " +
      'row_number, column, message; just the header when none was rejected. Needs imports:read, like the ' +
      'import itself.',
  })
  errorsExportUrl(@Root() imp: WorkspaceImport): string {
    return importErrorsExportUrl(toGlobalId('Import', imp.id));
  }
}
